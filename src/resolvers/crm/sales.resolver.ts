import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Subscription, InputType, Field } from 'type-graphql';
import { Parent } from '../../schema/common';
import { Loads, Selected, SelectedNodes, type FieldSelection } from '../../schema/selection';
import type { RequestContext } from '../../core/context/request-context';
import { DateScalar, DecimalScalar } from '../../schema/scalars';
import { Contact, Customer, CustomerType, Employee } from '../../entities/crm/people.entity';
import { Activity, Deal, Lead, Pipeline, PipelineStage, Quotation, QuotationItem, QuotationStatus, SalesTarget, StageKind } from '../../entities/crm/sales.entity';
import { BackgroundJob } from '../../entities/jobs/background-job.entity';
import * as crm from '../../services/crm';
import {
  BulkUpdateDealInput, BulkUpdateLeadInput, CreateActivityInput, CreateDealInput, CreateLeadInput, CreateQuotationInput, CreateSalesTargetInput,
  UpdateActivityInput, UpdateDealInput, UpdateLeadInput, UpdateQuotationInput, UpdateSalesTargetInput,
} from './crm.inputs';
import {
  ActivityConnection, ActivityListArgs, DealConnection, DealListArgs, ExportCustomerArgs, ExportDealArgs, ExportLeadArgs, LeadConnection, LeadListArgs,
  PipelineConnection, PipelineListArgs, QuotationConnection, QuotationListArgs, SalesTargetConnection, SalesTargetListArgs,
} from './crm.types';
import { ConvertLeadPayload, DealStageChange, DealStatistics, LeadConversion, LeadStatistics } from './crm.results';
import { employeeOf, listInput } from './people.resolver';

@InputType()
export class ConvertLeadInput {
  @Field(() => CustomerType, { nullable: true, description: 'Default: business when the lead names a company' }) customerType?: CustomerType;
  @Field(() => String, { nullable: true, description: 'Default: the lead’s company, else its name' }) customerName?: string;
  @Field(() => String, { nullable: true }) industry?: string;
  @Field(() => Boolean, { nullable: true, description: 'Also open a deal in the default pipeline’s first stage' }) createDeal?: boolean;
  @Field(() => String, { nullable: true }) dealTitle?: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Default: the lead’s estimated value' }) dealValue?: string;
  @Field(() => DateScalar, { nullable: true }) expectedCloseDate?: string;
}

@InputType()
export class PipelineStageInput {
  @Field() name!: string;
  @Field(() => Int, { description: '0–100' }) probability!: number;
  @Field(() => StageKind, { nullable: true, description: 'Default: open' }) kind?: StageKind;
}

@InputType()
export class CreatePipelineInput {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => [PipelineStageInput], { description: 'In order' }) stages!: PipelineStageInput[];
}

const exportArgs = (args: { filter?: object; search?: string; includeDeleted?: boolean }) => listInput(args);

@Resolver(() => Lead)
export class LeadResolver {
  @Query(() => Lead) lead(@Arg('id', () => ID) id: string, @Arg('includeDeleted', () => Boolean, { nullable: true }) includeDeleted: boolean | null, @Ctx() ctx: RequestContext) {
    return crm.getLead(ctx, id, includeDeleted ?? false);
  }

  @Query(() => LeadConnection, { description: 'Leads you may read; search looks in name, email and company' })
  leads(@Args() args: LeadListArgs, @SelectedNodes(Lead) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return crm.listLeads(ctx, listInput(args, select));
  }

  @Query(() => LeadStatistics) leadStatistics(@Ctx() ctx: RequestContext) {
    return crm.leadStatistics(ctx);
  }

  @FieldResolver(() => Employee, { nullable: true })
  @Loads(() => Employee, { byId: 'assignedEmployeeId' })
  assignedEmployee(@Parent('assignedEmployeeId') l: Lead, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return employeeOf(ctx, l.assignedEmployeeId, fields);
  }

  @FieldResolver(() => Customer, { nullable: true })
  @Loads(() => Customer, { byId: 'convertedCustomerId' })
  convertedCustomer(@Parent('convertedCustomerId') l: Lead, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return l.convertedCustomerId ? ctx.loaders.byId(Customer, l.convertedCustomerId, fields) : null;
  }

  @Mutation(() => Lead) createLead(@Arg('input') input: CreateLeadInput, @Ctx() ctx: RequestContext) {
    return crm.createLead(ctx, { ...input });
  }

  @Mutation(() => Lead) updateLead(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateLeadInput, @Ctx() ctx: RequestContext) {
    return crm.updateLead(ctx, id, { ...input });
  }

  @Mutation(() => Lead, { description: 'Soft delete' }) deleteLead(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.setLeadDeleted(ctx, id, true);
  }

  @Mutation(() => Lead) restoreLead(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.setLeadDeleted(ctx, id, false);
  }

  @Mutation(() => Int) bulkUpdateLeads(@Arg('ids', () => [ID]) ids: string[], @Arg('input') input: BulkUpdateLeadInput, @Ctx() ctx: RequestContext) {
    return crm.bulkUpdateLeads(ctx, ids, { ...input });
  }

  @Mutation(() => Int) bulkDeleteLeads(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: RequestContext) {
    return crm.bulkDeleteLeads(ctx, ids);
  }

  @Mutation(() => ConvertLeadPayload, { description: 'Customer + primary contact (+ deal) from the lead, in one transaction; a second conversion is CONFLICT' })
  convertLead(@Arg('id', () => ID) id: string, @Arg('input', () => ConvertLeadInput, { nullable: true }) input: ConvertLeadInput | null, @Ctx() ctx: RequestContext) {
    return crm.convertLead(ctx, id, { ...(input ?? {}) });
  }

  @Mutation(() => BackgroundJob, { description: 'CSV of the leads matching the filter, built by a background job (its result holds fileId)' })
  exportLeads(@Args() args: ExportLeadArgs, @Ctx() ctx: RequestContext) {
    return crm.requestExport(ctx, 'leads', exportArgs(args));
  }

  @Mutation(() => BackgroundJob, { description: 'CSV of the customers matching the filter, built by a background job' })
  exportCustomers(@Args() args: ExportCustomerArgs, @Ctx() ctx: RequestContext) {
    return crm.requestExport(ctx, 'customers', exportArgs(args));
  }

  @Subscription(() => LeadConversion, {
    description: 'Lead conversions in your organization (own leads only with lead:read:own)',
    subscribe: ({ context }) => crm.subscribeLeadConverted(context as RequestContext),
  })
  leadConverted(@Parent() e: crm.LeadConvertedEvent): LeadConversion {
    return { ...e, convertedAt: new Date(e.convertedAt) };
  }
}

@Resolver(() => Pipeline)
export class PipelineResolver {
  @Query(() => Pipeline) pipeline(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.getPipeline(ctx, id);
  }

  @Query(() => PipelineConnection, { description: 'Pipelines, oldest (the default) first' })
  pipelines(@Args() args: PipelineListArgs, @SelectedNodes(Pipeline) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return crm.listPipelines(ctx, listInput(args, select));
  }

  @FieldResolver(() => [PipelineStage], { description: 'In order' }) stages(@Parent('id') p: Pipeline, @Ctx() ctx: RequestContext) {
    return crm.pipelineStages(ctx, p.id);
  }

  @Mutation(() => Pipeline) createPipeline(@Arg('input') input: CreatePipelineInput, @Ctx() ctx: RequestContext) {
    return crm.createPipeline(ctx, input);
  }
}

@Resolver(() => Deal)
export class DealResolver {
  @Query(() => Deal) deal(@Arg('id', () => ID) id: string, @Arg('includeDeleted', () => Boolean, { nullable: true }) includeDeleted: boolean | null, @Ctx() ctx: RequestContext) {
    return crm.getDeal(ctx, id, includeDeleted ?? false);
  }

  @Query(() => DealConnection, { description: 'Deals you may read; filter.customer and filter.stage select by related records' })
  deals(@Args() args: DealListArgs, @SelectedNodes(Deal) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return crm.listDeals(ctx, listInput(args, select));
  }

  @Query(() => DealStatistics, { description: 'Pipeline value and weighted forecast by stage; won/lost closed between from and to (inclusive)' })
  dealStatistics(
    @Ctx() ctx: RequestContext,
    @Arg('pipelineId', () => ID, { nullable: true }) pipelineId?: string,
    @Arg('currency', () => String, { nullable: true }) currency?: string,
    @Arg('from', () => DateScalar, { nullable: true }) from?: string,
    @Arg('to', () => DateScalar, { nullable: true }) to?: string,
  ) {
    return crm.dealStatistics(ctx, { pipelineId, currency, from, to });
  }

  @FieldResolver(() => DecimalScalar, { description: 'value × probability / 100' }) expectedRevenue(@Parent('value', 'probability') d: Deal) {
    return crm.dealExpectedRevenue(d);
  }

  @FieldResolver(() => Customer, { nullable: true })
  @Loads(() => Customer, { byId: 'customerId' })
  customer(@Parent('customerId') d: Deal, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return d.customerId ? ctx.loaders.byId(Customer, d.customerId, fields) : null;
  }

  @FieldResolver(() => Contact, { nullable: true })
  @Loads(() => Contact, { byId: 'contactId' })
  contact(@Parent('contactId') d: Deal, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return d.contactId ? ctx.loaders.byId(Contact, d.contactId, fields) : null;
  }

  @FieldResolver(() => Lead, { nullable: true, description: 'Null when the lead is outside what you may read' })
  async lead(@Parent('leadId') d: Deal, @Ctx() ctx: RequestContext) {
    const lead = d.leadId ? await ctx.loaders.byId<Lead>(Lead, d.leadId) : null;
    return lead && (await crm.isVisible(ctx, 'lead:read', lead)) ? lead : null;
  }

  @FieldResolver(() => Pipeline)
  @Loads(() => Pipeline, { byId: 'pipelineId' })
  pipeline(@Parent('pipelineId') d: Deal, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(Pipeline, d.pipelineId, fields);
  }

  @FieldResolver(() => PipelineStage)
  @Loads(() => PipelineStage, { byId: 'stageId' })
  stage(@Parent('stageId') d: Deal, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(PipelineStage, d.stageId, fields);
  }

  @FieldResolver(() => Employee, { nullable: true })
  @Loads(() => Employee, { byId: 'assignedEmployeeId' })
  assignedEmployee(@Parent('assignedEmployeeId') d: Deal, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return employeeOf(ctx, d.assignedEmployeeId, fields);
  }

  @Mutation(() => Deal) createDeal(@Arg('input') input: CreateDealInput, @Ctx() ctx: RequestContext) {
    return crm.createDeal(ctx, { ...input });
  }

  @Mutation(() => Deal) updateDeal(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateDealInput, @Ctx() ctx: RequestContext) {
    return crm.updateDeal(ctx, id, { ...input });
  }

  @Mutation(() => Deal, { description: 'To another open stage of its pipeline; probability becomes the stage’s unless given' })
  moveDealToStage(
    @Arg('id', () => ID) id: string,
    @Arg('stageId', () => ID) stageId: string,
    @Ctx() ctx: RequestContext,
    @Arg('probability', () => Int, { nullable: true }) probability?: number,
  ) {
    return crm.moveDealToStage(ctx, id, stageId, probability);
  }

  @Mutation(() => Deal) winDeal(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Arg('closeDate', () => DateScalar, { nullable: true }) closeDate?: string) {
    return crm.winDeal(ctx, id, closeDate);
  }

  @Mutation(() => Deal) loseDeal(
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
    @Ctx() ctx: RequestContext,
    @Arg('closeDate', () => DateScalar, { nullable: true }) closeDate?: string,
  ) {
    return crm.loseDeal(ctx, id, reason, closeDate);
  }

  @Mutation(() => Deal, { description: 'Soft delete' }) deleteDeal(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.setDealDeleted(ctx, id, true);
  }

  @Mutation(() => Deal) restoreDeal(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.setDealDeleted(ctx, id, false);
  }

  @Mutation(() => Int) bulkUpdateDeals(@Arg('ids', () => [ID]) ids: string[], @Arg('input') input: BulkUpdateDealInput, @Ctx() ctx: RequestContext) {
    return crm.bulkUpdateDeals(ctx, ids, { ...input });
  }

  @Mutation(() => Int) bulkDeleteDeals(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: RequestContext) {
    return crm.bulkDeleteDeals(ctx, ids);
  }

  @Mutation(() => BackgroundJob, { description: 'CSV of the deals matching the filter, built by a background job' })
  exportDeals(@Args() args: ExportDealArgs, @Ctx() ctx: RequestContext) {
    return crm.requestExport(ctx, 'deals', exportArgs(args));
  }

  @Subscription(() => DealStageChange, {
    description: 'Stage changes (moves, wins, losses) of the deals you may read, optionally of one deal',
    subscribe: ({ args, context }) => crm.subscribeDealStageChanged(context as RequestContext, (args as { dealId?: string }).dealId),
  })
  dealStageChanged(@Parent() e: crm.DealStageChangedEvent, @Arg('dealId', () => ID, { nullable: true }) _dealId?: string): DealStageChange {
    return { ...e, status: e.status as DealStageChange['status'], changedAt: new Date(e.changedAt) };
  }
}

@Resolver(() => Activity)
export class ActivityResolver {
  @Query(() => Activity) activity(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.getActivity(ctx, id);
  }

  @Query(() => ActivityConnection) activities(@Args() args: ActivityListArgs, @SelectedNodes(Activity) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return crm.listActivities(ctx, listInput(args, select));
  }

  @FieldResolver(() => Employee, { nullable: true })
  @Loads(() => Employee, { byId: 'assignedEmployeeId' })
  assignedEmployee(@Parent('assignedEmployeeId') a: Activity, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return employeeOf(ctx, a.assignedEmployeeId, fields);
  }

  @Mutation(() => Activity) createActivity(@Arg('input') input: CreateActivityInput, @Ctx() ctx: RequestContext) {
    return crm.createActivity(ctx, { ...input });
  }

  @Mutation(() => Activity) updateActivity(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateActivityInput, @Ctx() ctx: RequestContext) {
    return crm.updateActivity(ctx, id, { ...input });
  }

  @Mutation(() => Boolean) deleteActivity(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.deleteActivity(ctx, id);
  }
}

@Resolver(() => Quotation)
export class QuotationResolver {
  @Query(() => Quotation) quotation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.getQuotation(ctx, id);
  }

  @Query(() => QuotationConnection) quotations(@Args() args: QuotationListArgs, @SelectedNodes(Quotation) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return crm.listQuotations(ctx, listInput(args, select));
  }

  @FieldResolver(() => [QuotationItem]) items(@Parent('id') q: Quotation, @Ctx() ctx: RequestContext) {
    return crm.quotationItems(ctx, q.id);
  }

  @FieldResolver(() => Customer, { nullable: true })
  @Loads(() => Customer, { byId: 'customerId' })
  customer(@Parent('customerId') q: Quotation, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return q.customerId ? ctx.loaders.byId(Customer, q.customerId, fields) : null;
  }

  @Mutation(() => Quotation, { description: 'A draft with the next number of the organization' })
  createQuotation(@Arg('input') input: CreateQuotationInput, @Ctx() ctx: RequestContext) {
    return crm.createQuotation(ctx, { ...input });
  }

  @Mutation(() => Quotation, { description: 'Drafts only' })
  updateQuotation(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateQuotationInput, @Ctx() ctx: RequestContext) {
    return crm.updateQuotation(ctx, id, { ...input });
  }

  @Mutation(() => Quotation, { description: 'draft → sent' }) sendQuotation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.transitionQuotation(ctx, id, QuotationStatus.SENT);
  }

  @Mutation(() => Quotation, { description: 'sent → accepted' }) acceptQuotation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.transitionQuotation(ctx, id, QuotationStatus.ACCEPTED);
  }

  @Mutation(() => Quotation, { description: 'sent → rejected' }) rejectQuotation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.transitionQuotation(ctx, id, QuotationStatus.REJECTED);
  }

  @Mutation(() => Quotation, { description: 'sent → expired' }) expireQuotation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.transitionQuotation(ctx, id, QuotationStatus.EXPIRED);
  }

  @Mutation(() => Boolean, { description: 'Drafts only' }) deleteQuotation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.deleteQuotation(ctx, id);
  }
}

@Resolver(() => SalesTarget)
export class SalesTargetResolver {
  @Query(() => SalesTarget) salesTarget(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.getSalesTarget(ctx, id);
  }

  @Query(() => SalesTargetConnection) salesTargets(@Args() args: SalesTargetListArgs, @SelectedNodes(SalesTarget) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return crm.listSalesTargets(ctx, listInput(args, select));
  }

  @FieldResolver(() => DecimalScalar, { description: 'Value of the won deals closed in the period (in the target’s currency, assigned to its employee if any)' })
  achieved(@Parent('id') t: SalesTarget, @Ctx() ctx: RequestContext) {
    return crm.salesTargetAchieved(ctx, t.id);
  }

  @FieldResolver(() => Employee, { nullable: true })
  @Loads(() => Employee, { byId: 'employeeId' })
  employee(@Parent('employeeId') t: SalesTarget, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return employeeOf(ctx, t.employeeId, fields);
  }

  @Mutation(() => SalesTarget) createSalesTarget(@Arg('input') input: CreateSalesTargetInput, @Ctx() ctx: RequestContext) {
    return crm.createSalesTarget(ctx, { ...input });
  }

  @Mutation(() => SalesTarget) updateSalesTarget(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateSalesTargetInput, @Ctx() ctx: RequestContext) {
    return crm.updateSalesTarget(ctx, id, { ...input });
  }

  @Mutation(() => Boolean) deleteSalesTarget(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.deleteSalesTarget(ctx, id);
  }
}
