import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput } from '../../core/orm/connection';
import { Membership } from '../../entities/tenancy/membership.entity';
import { User } from '../../entities/identity/user.entity';
import { Role } from '../../entities/access/role.entity';
import * as tenancy from '../../services/tenancy';
import { MembersArgs, MembershipConnection } from './tenancy.types';
import { Parent } from '../../schema/common';
import { Loads, Selected, SelectedNodes, type FieldSelection } from '../../schema/selection';

@Resolver(() => Membership)
export class MemberResolver {
  @Query(() => MembershipConnection, { description: 'Members of the caller’s organization' })
  members(@Args() args: MembersArgs, @SelectedNodes(Membership) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return tenancy.listMembers(ctx, { ...args, filter: args.filter as FilterInput | undefined, select });
  }

  @FieldResolver(() => User)
  @Loads(() => User, { byId: 'userId' })
  async user(@Parent('userId') membership: Membership, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext): Promise<User> {
    return (await tenancy.memberUser(ctx, membership, fields))!;
  }

  @FieldResolver(() => [Role])
  roles(@Parent('id') membership: Membership, @Ctx() ctx: RequestContext): Promise<Role[]> {
    return tenancy.memberRoles(ctx, membership);
  }

  @Mutation(() => Membership, { description: 'Replaces the member’s roles (roles of this organization, at least one)' })
  updateMemberRoles(
    @Arg('membershipId', () => ID) membershipId: string,
    @Arg('roleIds', () => [ID]) roleIds: string[],
    @Ctx() ctx: RequestContext,
  ): Promise<Membership> {
    return tenancy.updateMemberRoles(ctx, membershipId, roleIds);
  }

  @Mutation(() => Membership)
  suspendMember(@Arg('membershipId', () => ID) membershipId: string, @Ctx() ctx: RequestContext): Promise<Membership> {
    return tenancy.suspendMember(ctx, membershipId);
  }

  @Mutation(() => Boolean)
  removeMember(@Arg('membershipId', () => ID) membershipId: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return tenancy.removeMember(ctx, membershipId);
  }
}
