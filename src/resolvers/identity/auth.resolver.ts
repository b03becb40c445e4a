import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import { requireViewer } from '../../core/context/request-context';
import { User } from '../../entities/identity/user.entity';
import * as auth from '../../services/identity/auth.service';
import { AuthPayload, LoginInput, SignUpInput } from './identity.types';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Creates an organization and its owner, signed in' })
  signUp(@Arg('input') input: SignUpInput, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return auth.signUp(ctx, input);
  }

  @Mutation(() => AuthPayload)
  login(@Arg('input') input: LoginInput, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return auth.login(ctx, input);
  }

  @Mutation(() => AuthPayload, { description: 'Rotates the refresh token; a token used twice revokes its session' })
  refreshSession(@Arg('refreshToken') refreshToken: string, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return auth.refreshSession(ctx, refreshToken);
  }

  @Mutation(() => Boolean)
  logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    return auth.logout(ctx);
  }

  @Query(() => User, { description: 'The signed-in user' })
  async me(@Ctx() ctx: RequestContext): Promise<User> {
    return (await ctx.loaders.byId<User>(User, requireViewer(ctx).userId))!;
  }
}
