import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput } from '../../core/orm/connection';
import { Invitation, InvitationStatus } from '../../entities/tenancy/invitation.entity';
import { User } from '../../entities/identity/user.entity';
import { Role } from '../../entities/access/role.entity';
import * as tenancy from '../../services/tenancy';
import { AuthPayload } from '../identity/identity.types';
import { AcceptInvitationInput, InvitationConnection, InvitationsArgs, InviteMemberInput } from './tenancy.types';
import { Parent } from '../../schema/common';
import type { Loaded } from '../../core/orm/loaders';

@Resolver(() => Invitation)
export class InvitationResolver {
  @Query(() => InvitationConnection, { description: 'Invitations of the caller’s organization, newest first' })
  invitations(@Args() args: InvitationsArgs, @Ctx() ctx: RequestContext) {
    return tenancy.listInvitations(ctx, { ...args, filter: args.filter as (FilterInput & { status?: InvitationStatus }) | undefined });
  }

  @FieldResolver(() => InvitationStatus)
  status(@Parent() invitation: Invitation): InvitationStatus {
    return tenancy.invitationStatus(invitation);
  }

  @FieldResolver(() => [Role], { description: 'The roles the invitee will hold (those that still exist)' })
  roles(@Parent() invitation: Invitation, @Ctx() ctx: RequestContext): Promise<Role[]> {
    return tenancy.invitationRoles(ctx, invitation);
  }

  @FieldResolver(() => User, { nullable: true })
  invitedBy(@Parent() invitation: Invitation, @Ctx() ctx: RequestContext): Loaded<User | null> {
    return tenancy.invitationInviter(ctx, invitation);
  }

  @Mutation(() => Invitation, { description: 'Invites an email address with roles; the emailed token works for 7 days' })
  inviteMember(@Arg('input') input: InviteMemberInput, @Ctx() ctx: RequestContext): Promise<Invitation> {
    return tenancy.inviteMember(ctx, input);
  }

  @Mutation(() => Invitation, { description: 'Withdraws an invitation: its token stops working' })
  revokeInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Invitation> {
    return tenancy.revokeInvitation(ctx, id);
  }

  @Mutation(() => Invitation, { description: 'Emails a pending or expired invitation again with a new token, valid 7 days' })
  resendInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Invitation> {
    return tenancy.resendInvitation(ctx, id);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Joins the invitation’s organization and signs in to it. Creates the account (names and password required) when ' +
      'none exists for the invited email; otherwise the request must be signed in as that account.',
  })
  acceptInvitation(@Arg('input') input: AcceptInvitationInput, @Ctx() ctx: RequestContext) {
    return tenancy.acceptInvitation(ctx, input);
  }
}
