import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput } from '../../core/orm/connection';
import { Organization } from '../../entities/tenancy/organization.entity';
import * as tenancy from '../../services/tenancy';
import {
  CreateOrganizationInput,
  OrganizationConnection,
  OrganizationsArgs,
  UpdateOrganizationInput,
  UpdateOrganizationSettingsInput,
} from './tenancy.types';

@Resolver()
export class OrganizationResolver {
  @Query(() => Organization, { description: 'The organization the caller is signed in to' })
  organization(@Ctx() ctx: RequestContext): Promise<Organization> {
    return tenancy.currentOrganization(ctx);
  }

  @Query(() => OrganizationConnection, { description: 'Platform operator: every organization' })
  organizations(@Args() args: OrganizationsArgs, @Ctx() ctx: RequestContext) {
    return tenancy.listOrganizations(ctx, { ...args, filter: args.filter as FilterInput | undefined });
  }

  @Mutation(() => Organization, { description: 'Platform operator: a new organization, optionally owned by an existing user' })
  createOrganization(@Arg('input') input: CreateOrganizationInput, @Ctx() ctx: RequestContext): Promise<Organization> {
    return tenancy.createOrganizationAsOperator(ctx, input);
  }

  @Mutation(() => Organization, { description: 'Platform operator' })
  updateOrganization(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateOrganizationInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Organization> {
    return tenancy.updateOrganization(ctx, id, input);
  }

  @Mutation(() => Organization, { description: 'Platform operator: members can no longer sign in; their tokens stop working' })
  suspendOrganization(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Organization> {
    return tenancy.suspendOrganization(ctx, id);
  }

  @Mutation(() => Organization, { description: 'Platform operator' })
  activateOrganization(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Organization> {
    return tenancy.activateOrganization(ctx, id);
  }

  @Mutation(() => Organization, { description: 'Settings, branding and contact details of the caller’s organization' })
  updateOrganizationSettings(@Arg('input') input: UpdateOrganizationSettingsInput, @Ctx() ctx: RequestContext): Promise<Organization> {
    return tenancy.updateOrganizationSettings(ctx, input);
  }
}
