import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Subscription } from 'type-graphql';
import { Parent } from '../../schema/common';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput } from '../../core/orm/connection';
import { Approval } from '../../entities/recon/approval.entity';
import { DataMapping } from '../../entities/recon/data-mapping.entity';
import { MatchingRule } from '../../entities/recon/matching-rule.entity';
import { ReconciliationException } from '../../entities/recon/reconciliation-exception.entity';
import { ReconciliationFile } from '../../entities/recon/reconciliation-file.entity';
import { ReconciliationJob } from '../../entities/recon/reconciliation-job.entity';
import * as recon from '../../services/recon';
import {
  ApprovalConnection,
  ApprovalsArgs,
  BulkExceptionOutcome,
  CreateReconciliationFileInput,
  ExceptionAgingBucket,
  MappingSuggestion,
  Match,
  MatchConnection,
  MatchedRow,
  MatchesArgs,
  MatchingRuleConnection,
  MatchingRuleInput,
  MatchingRulesArgs,
  ReconciliationExceptionConnection,
  ReconciliationExceptionsArgs,
  ReconciliationFileConnection,
  ReconciliationFilesArgs,
  ReconciliationJobConnection,
  ReconciliationJobsArgs,
  ReconRowConnection,
  ReportRequest,
  RuleStatistic,
  SaveMappingInput,
  StartReconciliationInput,
  UnmatchedRowsArgs,
} from './recon.types';

const filterOf = (f: unknown) => f as FilterInput | undefined;

@Resolver(() => ReconciliationFile)
export class ReconciliationFileResolver {
  @Query(() => ReconciliationFile)
  reconciliationFile(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return recon.getReconciliationFile(ctx, id);
  }

  @Query(() => ReconciliationFileConnection, { description: 'Files registered for reconciliation, newest first' })
  reconciliationFiles(@Args() args: ReconciliationFilesArgs, @Ctx() ctx: RequestContext) {
    return recon.listReconciliationFiles(ctx, { ...args, filter: filterOf(args.filter) });
  }

  @FieldResolver(() => DataMapping, { nullable: true, description: 'The saved mapping' })
  mapping(@Parent() file: ReconciliationFile, @Ctx() ctx: RequestContext) {
    return recon.getMapping(ctx, file.id);
  }

  @Query(() => MappingSuggestion, { description: 'Proposed target fields for the file’s columns, from header names and sampled values' })
  suggestMapping(@Arg('fileId', () => ID, { description: 'The ReconciliationFile' }) fileId: string, @Ctx() ctx: RequestContext) {
    return recon.suggestMapping(ctx, fileId);
  }

  @Mutation(() => ReconciliationFile, { description: 'Registers an uploaded CSV/Excel file: checks its header, counts its rows, detects duplicates by SHA-256' })
  createReconciliationFile(@Arg('input') input: CreateReconciliationFileInput, @Ctx() ctx: RequestContext) {
    return recon.createReconciliationFile(ctx, input);
  }

  @Mutation(() => ReconciliationFile, { description: 'Saves (confirms) the mapping and queues the normalization of the file' })
  saveMapping(@Arg('input') input: SaveMappingInput, @Ctx() ctx: RequestContext) {
    return recon.saveMapping(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes a file registration and its normalized rows (not the uploaded File)' })
  deleteReconciliationFile(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return recon.deleteReconciliationFile(ctx, id);
  }
}

@Resolver(() => MatchingRule)
export class MatchingRuleResolver {
  @Query(() => MatchingRule)
  matchingRule(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return recon.getMatchingRule(ctx, id);
  }

  @Query(() => MatchingRuleConnection, { description: 'Matching rules in priority order' })
  matchingRules(@Args() args: MatchingRulesArgs, @Ctx() ctx: RequestContext) {
    return recon.listMatchingRules(ctx, { ...args, filter: filterOf(args.filter) });
  }

  @Mutation(() => MatchingRule, { description: 'Creates a rule awaiting approval (rule_configuration); it applies once another member approves it' })
  createMatchingRule(@Arg('input') input: MatchingRuleInput, @Ctx() ctx: RequestContext) {
    return recon.createMatchingRule(ctx, input);
  }

  @Mutation(() => MatchingRule, { description: 'Proposes a change (pendingChange) that applies once approved' })
  updateMatchingRule(@Arg('id', () => ID) id: string, @Arg('input') input: MatchingRuleInput, @Ctx() ctx: RequestContext) {
    return recon.updateMatchingRule(ctx, id, input);
  }
}

@Resolver(() => Approval)
export class ApprovalResolver {
  @Query(() => Approval)
  approval(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return recon.getApproval(ctx, id);
  }

  @Query(() => ApprovalConnection, { description: 'Maker-checker requests, newest first' })
  approvals(@Args() args: ApprovalsArgs, @Ctx() ctx: RequestContext) {
    return recon.listApprovals(ctx, { ...args, filter: filterOf(args.filter) });
  }

  @Mutation(() => Approval, { description: 'Approves a pending request and applies it; never your own (FORBIDDEN, extensions.reason SELF_APPROVAL)' })
  approveRequest(@Arg('id', () => ID) id: string, @Arg('comment', () => String, { nullable: true }) comment: string | null, @Ctx() ctx: RequestContext) {
    return recon.approveRequest(ctx, id, comment);
  }

  @Mutation(() => Approval, { description: 'Declines a pending request; never your own (FORBIDDEN, extensions.reason SELF_APPROVAL)' })
  declineRequest(@Arg('id', () => ID) id: string, @Arg('comment', () => String, { nullable: true }) comment: string | null, @Ctx() ctx: RequestContext) {
    return recon.declineRequest(ctx, id, comment);
  }

  @Mutation(() => Approval)
  commentOnApproval(@Arg('id', () => ID) id: string, @Arg('comment') comment: string, @Ctx() ctx: RequestContext) {
    return recon.commentOnApproval(ctx, id, comment);
  }
}

@Resolver(() => ReconciliationJob)
export class ReconciliationJobResolver {
  @Query(() => ReconciliationJob)
  reconciliationJob(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return recon.getReconciliationJob(ctx, id);
  }

  @Query(() => ReconciliationJobConnection, { description: 'Reconciliation runs, newest first' })
  reconciliationJobs(@Args() args: ReconciliationJobsArgs, @Ctx() ctx: RequestContext) {
    return recon.listReconciliationJobs(ctx, { ...args, filter: filterOf(args.filter) });
  }

  @Query(() => MatchConnection, { description: 'Matches of a run with both sides’ rows' })
  reconciliationMatches(@Args() args: MatchesArgs, @Ctx() ctx: RequestContext) {
    return recon.listMatches(ctx, { ...args, filter: filterOf(args.filter) });
  }

  @Query(() => ReconRowConnection, { description: 'Rows of one side of a run that no match holds' })
  unmatchedRows(@Args() args: UnmatchedRowsArgs, @Ctx() ctx: RequestContext) {
    return recon.listUnmatchedRows(ctx, { ...args, filter: filterOf(args.filter) });
  }

  @Query(() => [RuleStatistic], { description: 'Matches and rows per rule and pass of a run' })
  reconciliationRuleStatistics(@Arg('jobId', () => ID) jobId: string, @Ctx() ctx: RequestContext) {
    return recon.ruleStatistics(ctx, jobId);
  }

  @Mutation(() => ReconciliationJob, { description: 'Starts a run with the approved active rules; returns at once, the run continues in the background' })
  startReconciliation(@Arg('input') input: StartReconciliationInput, @Ctx() ctx: RequestContext) {
    return recon.startReconciliation(ctx, input);
  }

  @Mutation(() => ReconciliationJob, { description: 'Stops a pending or running run before its next pass' })
  cancelReconciliation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return recon.cancelReconciliation(ctx, id);
  }

  @Mutation(() => ReportRequest, { description: 'Queues the summary report (CSV or Excel) of a run' })
  async generateReconciliationReport(
    @Arg('jobId', () => ID) jobId: string,
    @Arg('format', () => recon.ReportFormat) format: recon.ReportFormat,
    @Ctx() ctx: RequestContext,
  ): Promise<ReportRequest> {
    const queued = await recon.generateReconciliationReport(ctx, jobId, format);
    return { backgroundJobId: queued.id };
  }

  @Subscription(() => ReconciliationJob, {
    description: 'Live status, progress, counts and timings of one run',
    subscribe: ({ args, context }) => recon.subscribeReconciliationProgress(context as RequestContext, (args as { jobId: string }).jobId),
  })
  reconciliationProgress(@Parent() event: recon.ReconProgressEvent, @Arg('jobId', () => ID) _jobId: string): ReconciliationJob {
    return recon.jobFromEvent(event);
  }
}

@Resolver(() => Match)
export class MatchResolver {
  @FieldResolver(() => [MatchedRow], { description: 'The matched rows of both sides' })
  rows(@Parent() match: Match, @Ctx() ctx: RequestContext) {
    return recon.matchRows(ctx, match);
  }
}

@Resolver(() => ReconciliationException)
export class ReconciliationExceptionResolver {
  @Query(() => ReconciliationException)
  reconciliationException(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return recon.getException(ctx, id);
  }

  @Query(() => ReconciliationExceptionConnection, { description: 'Exceptions, newest first' })
  reconciliationExceptions(@Args() args: ReconciliationExceptionsArgs, @Ctx() ctx: RequestContext) {
    return recon.listExceptions(ctx, { ...args, filter: filterOf(args.filter) });
  }

  @Query(() => [ExceptionAgingBucket], { description: 'Open exceptions by age: 0-1, 2-7, 8-30, >30 days since the transaction' })
  exceptionAging(@Arg('jobId', () => ID, { nullable: true }) jobId: string | null, @Ctx() ctx: RequestContext) {
    return recon.exceptionAging(ctx, jobId);
  }

  @FieldResolver(() => Int, { description: 'Days since the transaction date (since creation without one)' })
  ageDays(@Parent() e: ReconciliationException): number {
    const from = e.transactionDate ? new Date(`${e.transactionDate}T00:00:00Z`) : new Date(e.createdAt);
    return Math.max(0, Math.floor((Date.now() - from.getTime()) / 86_400_000));
  }

  @Mutation(() => ReconciliationException, { description: 'Assigns (or, with null, unassigns) an exception' })
  assignException(@Arg('id', () => ID) id: string, @Arg('userId', () => ID, { nullable: true }) userId: string | null, @Ctx() ctx: RequestContext) {
    return recon.assignException(ctx, id, userId);
  }

  @Mutation(() => ReconciliationException)
  commentOnException(@Arg('id', () => ID) id: string, @Arg('body') body: string, @Ctx() ctx: RequestContext) {
    return recon.commentOnException(ctx, id, body);
  }

  @Mutation(() => ReconciliationException, { description: 'Resolves with a reason; above the organization’s threshold an exception_resolution approval is raised instead (approvalId)' })
  resolveException(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() ctx: RequestContext) {
    return recon.resolveException(ctx, id, reason);
  }

  @Mutation(() => ReconciliationException)
  escalateException(@Arg('id', () => ID) id: string, @Arg('comment', () => String, { nullable: true }) comment: string | null, @Ctx() ctx: RequestContext) {
    return recon.escalateException(ctx, id, comment);
  }

  @Mutation(() => ReconciliationException)
  ignoreException(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() ctx: RequestContext) {
    return recon.ignoreException(ctx, id, reason);
  }

  @Mutation(() => BulkExceptionOutcome, { description: 'Assigns up to 500 open exceptions at once (all or none)' })
  bulkAssignExceptions(@Arg('ids', () => [ID]) ids: string[], @Arg('userId', () => ID, { nullable: true }) userId: string | null, @Ctx() ctx: RequestContext) {
    return recon.bulkAssignExceptions(ctx, ids, userId);
  }

  @Mutation(() => BulkExceptionOutcome, { description: 'Resolves up to 500 exceptions with one reason; those above the threshold wait for approval' })
  bulkResolveExceptions(@Arg('ids', () => [ID]) ids: string[], @Arg('reason') reason: string, @Ctx() ctx: RequestContext) {
    return recon.bulkResolveExceptions(ctx, ids, reason);
  }
}
