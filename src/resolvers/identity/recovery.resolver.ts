import { Args, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import * as recovery from '../../services/identity/recovery.service';
import { RequestPasswordResetArgs, ResetPasswordArgs, VerifyEmailArgs } from './recovery.types';

@Resolver()
export class RecoveryResolver {
  @Mutation(() => Boolean, { description: 'Emails a password reset link (valid 1 hour) if the account exists; always true' })
  requestPasswordReset(@Args() { email }: RequestPasswordResetArgs, @Ctx() ctx: RequestContext): Promise<boolean> {
    return recovery.requestPasswordReset(ctx, email);
  }

  @Mutation(() => Boolean, { description: 'Sets a new password with a reset token and signs out every session' })
  resetPassword(@Args() { token, newPassword }: ResetPasswordArgs, @Ctx() ctx: RequestContext): Promise<boolean> {
    return recovery.resetPassword(ctx, token, newPassword);
  }

  @Mutation(() => Boolean, { description: 'Emails the signed-in user a verification link (valid 24 hours); true at once if already verified' })
  requestEmailVerification(@Ctx() ctx: RequestContext): Promise<boolean> {
    return recovery.requestEmailVerification(ctx);
  }

  @Mutation(() => Boolean, { description: 'Confirms the email address with the token from the verification email' })
  verifyEmail(@Args() { token }: VerifyEmailArgs, @Ctx() ctx: RequestContext): Promise<boolean> {
    return recovery.verifyEmail(ctx, token);
  }
}
