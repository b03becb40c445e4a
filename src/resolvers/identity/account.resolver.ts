import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import { User } from '../../entities/identity/user.entity';
import { Session } from '../../entities/identity/session.entity';
import * as account from '../../services/identity/account.service';
import { PageArgs, Parent } from '../../schema/common';
import { AuthPayload, ChangePasswordInput, SessionConnection, UpdateProfileInput } from './identity.types';

@Resolver()
export class AccountResolver {
  @Mutation(() => Boolean, { description: 'Changes the password and signs out every other session' })
  changePassword(@Arg('input') input: ChangePasswordInput, @Ctx() ctx: RequestContext): Promise<boolean> {
    return account.changePassword(ctx, input);
  }

  @Mutation(() => User, { description: 'Changes the signed-in user’s name or phone' })
  updateProfile(@Arg('input') input: UpdateProfileInput, @Ctx() ctx: RequestContext): Promise<User> {
    return account.updateProfile(ctx, input);
  }

  @Mutation(() => AuthPayload, { description: 'Opens a new session in another organization the user belongs to' })
  switchOrganization(@Arg('organizationId', () => ID) organizationId: string, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return account.switchOrganization(ctx, organizationId);
  }

  @Query(() => SessionConnection, { description: 'The signed-in user’s live sessions, newest first' })
  sessions(@Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return account.listSessions(ctx, page);
  }

  @Mutation(() => Boolean, { description: 'Revokes one of the signed-in user’s sessions' })
  revokeSession(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return account.revokeSession(ctx, id);
  }

  @Mutation(() => Int, { description: 'Signs a member out of every session in this organization; returns how many were revoked' })
  revokeMemberSessions(@Arg('userId', () => ID) userId: string, @Ctx() ctx: RequestContext): Promise<number> {
    return account.revokeMemberSessions(ctx, userId);
  }
}

@Resolver(() => Session)
export class SessionResolver {
  @FieldResolver(() => Boolean, { description: 'True for the session this request is signed in with' })
  current(@Parent() session: Session, @Ctx() ctx: RequestContext): boolean {
    return session.id === ctx.viewer?.sessionId;
  }
}
