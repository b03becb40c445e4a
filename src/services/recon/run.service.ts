/**
 * Reconciliation runs. startReconciliation records the job and queues it; the background job
 * (runReconciliation) applies the approved rules in priority order as set-based SQL passes, each
 * in its own transaction that holds the run's lock and records the pass as done, so a restarted
 * worker resumes after the last committed pass and a second worker on the same run (a stalled
 * job picked up again) waits, then skips what the first did. cancelReconciliation flips the
 * status; the runner stops before its next pass (a pass finishing meanwhile is rolled back).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { createScopedContext, requireTenant, requireTenantScope, requireViewer } from '../../core/context/request-context';
import { badInput, DomainError, notFound } from '../../core/errors';
import { assertId, isUuid } from '../../core/ids';
import { enqueueJob } from '../../core/jobs';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { defineEvent, publishAfterCommit, subscribeTo } from '../../core/pubsub';
import { MatchField, MatchingRuleType, ReconFileStatus, ReconFileType, ReconJobStatus } from '../../entities/recon/enums';
import { ReconciliationFile } from '../../entities/recon/reconciliation-file.entity';
import { ReconciliationJob, type RuleSnapshot } from '../../entities/recon/reconciliation-job.entity';
import { runReconciliationJob } from '../../jobs';
import { recordAudit } from '../audit';
import { exceptionsPass, groupPass, pairPass, type PassContext, type PassSql } from './matching-sql';
import { rulesForRun } from './rules.service';
import { jobAuditScope } from './shared';

/** What travels on the reconciliationProgress topic: the job's live figures (JSON). */
export interface ReconProgressEvent {
  id: string;
  organizationId: string;
  name: string;
  status: ReconJobStatus;
  progress: number;
  phase: string | null;
  totalRows: number;
  processedRows: number;
  matchedRows: number;
  exceptionRows: number;
  matchRate: string | null;
  timings: Record<string, number>;
  startedAt: string | null;
  finishedAt: string | null;
  processingSeconds: number | null;
  errorMessage: string | null;
}

export const ReconciliationProgress = defineEvent<ReconProgressEvent>('reconciliationProgress');

type JobRow = Record<string, any>;

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** From a raw recon_job row (snake case). */
function eventOf(row: JobRow): ReconProgressEvent {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    status: row.status,
    progress: Number(row.progress),
    phase: row.phase ?? null,
    totalRows: Number(row.total_rows),
    processedRows: Number(row.processed_rows),
    matchedRows: Number(row.matched_rows),
    exceptionRows: Number(row.exception_rows),
    matchRate: row.match_rate === null || row.match_rate === undefined ? null : String(row.match_rate),
    timings: row.timings ?? {},
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    processingSeconds: row.processing_seconds === null || row.processing_seconds === undefined ? null : Number(row.processing_seconds),
    errorMessage: row.error_message ?? null,
  };
}

/** The API shape from an event. */
export function jobFromEvent(e: ReconProgressEvent): ReconciliationJob {
  return {
    ...e,
    startedAt: e.startedAt ? new Date(e.startedAt) : null,
    finishedAt: e.finishedAt ? new Date(e.finishedAt) : null,
  } as unknown as ReconciliationJob;
}

export interface StartReconciliationInput {
  name?: string | null;
  sourceFileIds: string[];
  targetFileIds: string[];
}

function fileIds(field: string, ids: string[]): string[] {
  if (!ids.length || ids.length > 20) throw badInput(field, `${field} must hold 1 to 20 file ids`);
  return [...new Set(ids.map((id) => assertId(field, id)))];
}

/** Records a run over normalized files with the approved active rules and queues it; returns at once. */
export async function startReconciliation(ctx: RequestContext, input: StartReconciliationInput): Promise<ReconciliationJob> {
  requireTenant(ctx);
  const viewer = requireViewer(ctx);
  const source = fileIds('sourceFileIds', input.sourceFileIds);
  const target = fileIds('targetFileIds', input.targetFileIds);
  if (source.some((id) => target.includes(id))) throw badInput('targetFileIds', 'A file cannot be on both sides');
  const name = (input.name?.trim() || `Reconciliation ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`).slice(0, 200);
  return ctx.db.transactional(async (em) => {
    const files = await em.find(ReconciliationFile, { id: { $in: [...source, ...target] } });
    for (const [field, ids] of [['sourceFileIds', source], ['targetFileIds', target]] as const) {
      for (const id of ids) {
        const file = files.find((f) => f.id === id);
        if (!file) throw notFound('ReconciliationFile', field);
        if (file.status !== ReconFileStatus.NORMALIZED && file.status !== ReconFileStatus.PROCESSED) {
          throw new DomainError('CONFLICT', `File "${file.name}" is ${file.status}; only normalized files can be reconciled`, { field });
        }
      }
    }
    const rules = await rulesForRun(em);
    if (!rules.length) throw new DomainError('CONFLICT', 'No approved, active matching rule: create one and have it approved first');
    const job = em.create(ReconciliationJob, {
      name,
      sourceFileIds: source,
      targetFileIds: target,
      rules,
      status: ReconJobStatus.PENDING,
      totalRows: files.reduce((n, f) => n + (f.rowCount ?? 0), 0),
      timings: {},
      completedPasses: [],
      createdBy: viewer.userId,
    } as unknown as ReconciliationJob);
    await em.flush();
    const queued = enqueueJob(ctx, runReconciliationJob, { jobId: job.id }, { key: job.id });
    job.backgroundJobId = queued.id;
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'recon.job.start',
      resourceType: 'ReconciliationJob',
      resourceId: job.id,
      changes: { name, sourceFileIds: source, targetFileIds: target, rules: rules.map((r) => ({ id: r.id, name: r.name, priority: r.priority })) },
    });
    return job;
  });
}

/** Stops a pending or running job; matches of passes already committed stay. */
export async function cancelReconciliation(ctx: RequestContext, id: string): Promise<ReconciliationJob> {
  const organizationId = requireTenant(ctx);
  assertId('id', id);
  return ctx.db.transactional(async (em) => {
    const [row] = await em.execute<JobRow[]>(
      `update recon_job set status = 'cancelled', phase = null, finished_at = now(), updated_at = now(),
              processing_seconds = extract(epoch from now() - coalesce(started_at, now()))
        where id = ? and status in ('pending', 'processing') returning *`,
      [id],
    );
    if (!row) {
      const job = await em.findOne(ReconciliationJob, { id });
      if (!job) throw notFound('ReconciliationJob', 'id');
      throw new DomainError('CONFLICT', `The run is ${job.status} already`, { field: 'id' });
    }
    await recordAudit(ctx, em, { action: 'recon.job.cancel', resourceType: 'ReconciliationJob', resourceId: id, changes: { status: 'cancelled' } });
    publishAfterCommit(ctx, ReconciliationProgress, organizationId, eventOf(row));
    em.clear();
    return (await em.findOne(ReconciliationJob, { id }))!;
  });
}

export async function getReconciliationJob(ctx: RequestContext, id: string): Promise<ReconciliationJob> {
  requireTenant(ctx);
  const job = await ctx.loaders.byId<ReconciliationJob>(ReconciliationJob, assertId('id', id));
  if (!job) throw notFound('ReconciliationJob', 'id');
  return job;
}

export function listReconciliationJobs(ctx: RequestContext, args: ListArgs) {
  requireTenant(ctx);
  return buildConnection<ReconciliationJob>(ctx.db, ReconciliationJob, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
  });
}

/** Live figures of one run of the caller's organization (NOT_FOUND for another's). */
export async function subscribeReconciliationProgress(ctx: RequestContext, jobId: string): Promise<AsyncIterableIterator<ReconProgressEvent>> {
  if (!isUuid(jobId)) throw notFound('ReconciliationJob', 'jobId');
  const job = await ctx.loaders.byId<ReconciliationJob>(ReconciliationJob, jobId);
  if (!job) throw notFound('ReconciliationJob', 'jobId');
  return subscribeTo(ctx, ReconciliationProgress, (event) => event.id === jobId);
}

// ---- the run (background job) ----

class Cancelled extends Error {}

interface Pass {
  key: string;
  label: string;
  kind: 'match' | 'exceptions';
  sql: PassSql;
  /** Joined on equality keys (hash joins); fuzzy and regex passes are not. */
  hashable: boolean;
}

/** Test hook: runs before each pass (e.g. to cancel or "kill the worker" between passes). */
export const runHooks: { beforePass?: (jobId: string, key: string) => Promise<void> } = {};

export async function runReconciliation(ctx: RequestContext, payload: { jobId: string }, progress?: (pct: number) => Promise<void>): Promise<{ status: string }> {
  const organizationId = requireTenantScope(ctx);
  const userId = ctx.db.userId ?? null;
  const jobId = payload.jobId;
  /** One transaction of its own (committed before the next step starts). */
  const step = async <T>(fn: (em: EntityManager, sctx: RequestContext) => Promise<T>): Promise<T> => {
    const sctx = createScopedContext(ctx.app, { organizationId, userId }, { requestId: ctx.requestId });
    try {
      const value = await sctx.db.transactional((em) => fn(em, sctx));
      await sctx.db.finish(true);
      return value;
    } catch (err) {
      await sctx.db.finish(false).catch(() => undefined);
      throw err;
    }
  };

  const started = await step(async (em, sctx) => {
    const [row] = await em.execute<JobRow[]>(
      `update recon_job set status = 'processing', started_at = coalesce(started_at, now()), phase = 'matching', progress = greatest(progress, 1),
              error_message = null, updated_at = now()
        where id = ? and status in ('pending', 'processing') returning *`,
      [jobId],
    );
    if (row) publishAfterCommit(sctx, ReconciliationProgress, organizationId, eventOf(row));
    return row ?? null;
  });
  if (!started) return { status: 'skipped' };

  const rules = started.rules as RuleSnapshot[];
  const completed = new Set<string>(started.completed_passes as string[]);
  const pctx: PassContext = { organizationId, jobId, sourceFileIds: started.source_file_ids, targetFileIds: started.target_file_ids };
  const passes: Pass[] = [];
  // The first pass reads every row of the files; its statement records what it leaves in
  // recon_leftover, and the later passes and the exceptions read that instead.
  const later: PassContext = { ...pctx, leftovers: true };
  const ctxOf = (): PassContext => (passes.length ? later : { ...pctx, recordLeftovers: true });
  for (const rule of rules) {
    const hashable = rule.type === MatchingRuleType.EXACT || (rule.type === MatchingRuleType.RANGE && rule.fields.some((f) => f !== MatchField.AMOUNT && f !== MatchField.DATE));
    passes.push({ key: `${rule.id}:pairs`, label: `${rule.name} (${rule.type})`, kind: 'match', sql: pairPass(ctxOf(), rule), hashable });
    if (rule.allowGroups) {
      passes.push({ key: `${rule.id}:many_to_one`, label: `${rule.name} (many to one)`, kind: 'match', sql: groupPass(ctxOf(), rule, 'source'), hashable: true });
      passes.push({ key: `${rule.id}:one_to_many`, label: `${rule.name} (one to many)`, kind: 'match', sql: groupPass(ctxOf(), rule, 'target'), hashable: true });
    }
  }
  const targetTypes = await step(async (em) =>
    (await em.execute<{ type: string }[]>('select type from recon_file where id = any(?::uuid[])', [`{${pctx.targetFileIds.join(',')}}`])).map((r) => r.type),
  );
  const timingDays = Math.max(3, ...rules.map((r) => r.dateToleranceDays + 2));
  passes.push({
    key: 'exceptions',
    label: 'exceptions',
    kind: 'exceptions',
    hashable: true,
    sql: exceptionsPass(later, { timingDays, targetHasSettlement: targetTypes.includes(ReconFileType.SETTLEMENT) }),
  });

  try {
    for (let i = 0; i < passes.length; i++) {
      const pass = passes[i];
      if (completed.has(pass.key)) continue;
      await runHooks.beforePass?.(jobId, pass.key);
      const t0 = Date.now();
      const pct = Math.round(5 + ((i + 1) / passes.length) * 90);
      await step(async (em, sctx) => {
        // The run's lock, held to the end of the pass (an advisory lock: a cancel does not wait for
        // it): another worker on this run waits here, then finds the pass done. Cancelled already:
        // nothing more to do (checked again when the pass is recorded).
        await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`recon_job:${jobId}`]);
        const [state] = await em.execute<{ status: string; done: boolean }[]>(
          'select status, completed_passes @> jsonb_build_array(?::text) as done from recon_job where id = ?',
          [pass.key, jobId],
        );
        if (state?.status !== 'processing') throw new Cancelled();
        if (state.done) return;
        // Freshly loaded rows have no planner statistics yet (ANALYZE needs the table owner): the
        // estimates can favour nested loops that turn a hash join into n × m comparisons. Passes
        // with an equality key take hash joins; all take room for their hashes and sorts.
        await em.execute(`select set_config('work_mem', '256MB', true)`);
        if (pass.hashable) await em.execute(`select set_config('enable_nestloop', 'off', true)`);
        const [result] = await em.execute<{ rows?: number; inserted?: number; first_id?: string | null; last_id?: string | null }[]>(pass.sql.sql, pass.sql.params);
        const ms = Date.now() - t0;
        const matchedRows = pass.kind === 'match' ? Number(result?.rows ?? 0) : 0;
        const exceptionRows = pass.kind === 'exceptions' ? Number(result?.inserted ?? 0) : 0;
        const [row] = await em.execute<JobRow[]>(
          `update recon_job set completed_passes = completed_passes || to_jsonb(?::text),
                  matched_rows = matched_rows + ?, processed_rows = least(total_rows, processed_rows + ? + ?), exception_rows = exception_rows + ?,
                  progress = greatest(progress, ?), phase = ?,
                  timings = timings || jsonb_build_object(?::text, ?::int, ?::text, coalesce((timings ->> ?)::int, 0) + ?),
                  first_match_set_id = least(first_match_set_id, ?::bigint), last_match_set_id = greatest(last_match_set_id, ?::bigint),
                  updated_at = now()
            where id = ? and status = 'processing' returning *`,
          [pass.key, matchedRows, matchedRows, exceptionRows, exceptionRows, Math.min(pct, 99), pass.label,
            `pass ${pass.label}`, ms, pass.kind === 'match' ? 'match' : 'exceptions', pass.kind === 'match' ? 'match' : 'exceptions', ms,
            result?.first_id ?? null, result?.last_id ?? null, jobId],
        );
        if (!row) throw new Cancelled();
        publishAfterCommit(sctx, ReconciliationProgress, organizationId, eventOf(row));
      });
      await progress?.(pct);
    }
    await step(async (em, sctx) => {
      // matched_rows and exception_rows are exact: each pass added its own in its transaction.
      const [row] = await em.execute<JobRow[]>(
        `update recon_job set status = 'completed', progress = 100, phase = null, processed_rows = total_rows,
                match_rate = case when total_rows > 0 then round(matched_rows * 100.0 / total_rows, 2) else 0 end,
                finished_at = now(), processing_seconds = extract(epoch from now() - started_at), updated_at = now()
          where id = ? and status = 'processing' returning *`,
        [jobId],
      );
      if (!row) throw new Cancelled();
      await em.execute(
        `update recon_file set status = 'processed', updated_at = now() where id = any(?::uuid[]) and status = 'normalized'`,
        [`{${[...pctx.sourceFileIds, ...pctx.targetFileIds].join(',')}}`],
      );
      await recordAudit(sctx, em, {
        ...jobAuditScope(sctx),
        action: 'recon.job.complete',
        resourceType: 'ReconciliationJob',
        resourceId: jobId,
        changes: { matchedRows: Number(row.matched_rows), exceptionRows: Number(row.exception_rows), matchRate: row.match_rate },
      });
      publishAfterCommit(sctx, ReconciliationProgress, organizationId, eventOf(row));
    });
    return { status: 'completed' };
  } catch (err) {
    if (err instanceof Cancelled) return { status: 'cancelled' };
    const message = err instanceof DomainError ? err.message : 'The run failed unexpectedly; see the server log';
    await step(async (em, sctx) => {
      const [row] = await em.execute<JobRow[]>(
        `update recon_job set status = 'failed', error_message = ?, finished_at = now(), updated_at = now() where id = ? and status = 'processing' returning *`,
        [message, jobId],
      );
      if (row) publishAfterCommit(sctx, ReconciliationProgress, organizationId, eventOf(row));
    }).catch(() => undefined);
    throw err;
  }
}
