import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import * as mfa from '../../services/identity/mfa.service';
import { DisableMfaInput, MfaEnrolment, MfaRecoveryCodes } from './identity.types';

@Resolver()
export class MfaResolver {
  @Mutation(() => MfaEnrolment, { description: 'Starts TOTP enrolment: a new secret for the authenticator app (MFA stays off until confirmMfa)' })
  enableMfa(@Ctx() ctx: RequestContext): Promise<MfaEnrolment> {
    return mfa.enableMfa(ctx);
  }

  @Mutation(() => MfaRecoveryCodes, { description: 'Turns MFA on with a first code from the app; returns the recovery codes once' })
  confirmMfa(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<MfaRecoveryCodes> {
    return mfa.confirmMfa(ctx, code);
  }

  @Mutation(() => Boolean, { description: 'Turns MFA off; needs the password and a current code or a recovery code' })
  disableMfa(@Arg('input') input: DisableMfaInput, @Ctx() ctx: RequestContext): Promise<boolean> {
    return mfa.disableMfa(ctx, input);
  }
}
