import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput, OrderSpec } from '../../core/orm/connection';
import { Partner, PartnerMember } from '../../entities/csr/partner.entity';
import * as csr from '../../services/csr';
import { CreatePartnerInput, PartnerConnection, PartnersArgs, UpdatePartnerInput } from './csr.types';
import { Parent } from '../../schema/common';
import { SelectedNodes, type FieldSelection } from '../../schema/selection';
import type { Loaded } from '../../core/orm/loaders';

@Resolver(() => Partner)
export class PartnerResolver {
  @Query(() => Partner, { description: 'A partner organization' })
  partner(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Partner> {
    return csr.getPartner(ctx, id);
  }

  @Query(() => PartnerConnection, { description: 'Partner organizations, by name unless ordered otherwise' })
  partners(@Args() args: PartnersArgs, @SelectedNodes(Partner) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return csr.listPartners(ctx, { ...args, filter: args.filter as FilterInput | undefined, orderBy: args.orderBy as OrderSpec[] | undefined, select });
  }

  @FieldResolver(() => [PartnerMember], { description: 'Users acting for this partner (recipients)' })
  members(@Parent('id') partner: Partner, @Ctx() ctx: RequestContext): Loaded<PartnerMember[]> {
    return csr.listPartnerMembers(ctx, partner.id);
  }

  @Mutation(() => Partner)
  createPartner(@Arg('input') input: CreatePartnerInput, @Ctx() ctx: RequestContext): Promise<Partner> {
    return csr.createPartner(ctx, input);
  }

  @Mutation(() => Partner)
  updatePartner(@Arg('id', () => ID) id: string, @Arg('input') input: UpdatePartnerInput, @Ctx() ctx: RequestContext): Promise<Partner> {
    return csr.updatePartner(ctx, id, input);
  }

  @Mutation(() => PartnerMember, { description: 'Links a member to the partner they act for (replacing an earlier link); `own` grants then reach that partner’s projects' })
  linkPartnerMember(@Arg('partnerId', () => ID) partnerId: string, @Arg('userId', () => ID) userId: string, @Ctx() ctx: RequestContext): Promise<PartnerMember> {
    return csr.linkPartnerMember(ctx, partnerId, userId);
  }

  @Mutation(() => Boolean, { description: 'Removes a member’s partner link' })
  unlinkPartnerMember(@Arg('userId', () => ID) userId: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return csr.unlinkPartnerMember(ctx, userId);
  }
}
