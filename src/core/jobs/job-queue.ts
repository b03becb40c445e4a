/**
 * The application's queue (one BullMQ queue; the job name selects the definition), the
 * after-commit enqueue used by services, and the worker that runs jobs in their tenant's context.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { UnrecoverableError, type Job, type Queue, type Worker } from 'bullmq';
import { v5 as uuidv5 } from 'uuid';
import { createJobContext, type AppDeps, type RequestContext } from '../context/request-context';
import { DomainError } from '../errors';
import { isUuid } from '../ids';
import type { AnyJob, JobDefinition, JobRegistry } from './define-job';
import { insertQueuedRecord, markCompleted, markFailed, markProgress, markRunning, type JobRecordRef } from './job-records';
import { QUEUE_NAMES, type QueueBackend } from './queue-backend';

export const QUEUE_NAME = QUEUE_NAMES[0];
/** Namespace of the background_job ids derived from job keys (uuid v5). */
const RECORD_NAMESPACE = '6f1d7c44-0d3e-4f57-9b53-2f3c1b0de1a7';

/** What travels in BullMQ: who the job acts for, and the domain payload. */
export interface JobEnvelope<P = unknown> {
  tenantId?: string | null;
  actorId?: string | null;
  /** The background_job row (tenant jobs enqueued through enqueueJob). */
  recordId?: string | null;
  payload: P;
}

export type Log = (message: string, err?: unknown) => void;

export class JobQueue {
  readonly queue: Queue;

  constructor(
    readonly backend: QueueBackend,
    private readonly log: Log,
  ) {
    this.queue = backend.createQueue(QUEUE_NAME, {
      // Finished jobs are kept a while so that re-adding the same job id stays a no-op; tenant
      // jobs are also deduplicated for good by their background_job row.
      defaultJobOptions: { removeOnComplete: { age: 7 * 86400 }, removeOnFail: { age: 30 * 86400 } },
    });
    // Once closing, the database going away under BullMQ's idle connections is expected, not an error.
    this.queue.on('error', (err) => this.closing || this.log('job queue error', err));
  }

  private closing = false;

  /** Adds a job; a job id already present in the queue is not added again. */
  async add(def: AnyJob, envelope: JobEnvelope, jobId: string): Promise<Job> {
    return this.queue.add(def.name, envelope, {
      jobId,
      attempts: def.attempts,
      backoff: { type: 'exponential', delay: def.backoff.delayMs },
    });
  }

  /** Readiness: the backend answers a count query. */
  async check(): Promise<void> {
    await this.queue.getJobCounts('waiting');
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.queue.close();
  }
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** BullMQ job id: the same (job, tenant, key) always gives the same id, so it runs once. */
export function jobIdFor(name: string, tenantId: string | null, key: string): string {
  const digest = createHash('sha256').update(stableJson([name, tenantId, key])).digest('hex').slice(0, 40);
  return `${name}.${digest}`;
}

export interface EnqueueOptions {
  /**
   * Idempotency key: enqueueing the same job for the same tenant with the same key runs it once.
   * Default: derived from the payload (the same payload runs once). Pass a fresh key (e.g. the id
   * of the row the job is about, plus a version) when the same payload must run again.
   */
  key?: string;
  /** For system contexts fanning out tenant jobs: the organization the job belongs to. */
  tenantId?: string;
}

export interface EnqueuedJob {
  /** The background_job id to show to clients (null for system jobs, which have no row). */
  id: string | null;
  /** The BullMQ job id. */
  jobId: string;
}

/**
 * Enqueues `def` once the caller's transaction commits: nothing is queued when the mutation (its
 * savepoint) or the request rolls back. The tenant and actor come from the context.
 */
export function enqueueJob<P>(ctx: RequestContext, def: JobDefinition<P, any>, payload: P, opts: EnqueueOptions = {}): EnqueuedJob {
  let tenantId: string | null = null;
  if (!def.system) {
    const own = ctx.db.organizationId ?? null;
    if (opts.tenantId && own && opts.tenantId !== own) throw new Error(`Job ${def.name}: cannot enqueue for another organization`);
    tenantId = own ?? opts.tenantId ?? null;
    if (!tenantId) throw new Error(`Job ${def.name} needs a tenant: enqueue it from a tenant context`);
  }
  const actorId = ctx.viewer?.userId ?? ctx.db.userId ?? null;
  const jobId = jobIdFor(def.name, tenantId, opts.key ?? stableJson(payload));
  const recordId = tenantId ? uuidv5(jobId, RECORD_NAMESPACE) : null;
  const envelope: JobEnvelope<P> = { tenantId, actorId, recordId, payload };
  ctx.db.afterCommit(() => dispatchJob(ctx.app, def, envelope, jobId));
  return { id: recordId, jobId };
}

/** Records (tenant jobs) then queues. A failure is logged, not thrown: the caller's work has committed. */
async function dispatchJob(app: AppDeps, def: AnyJob, envelope: JobEnvelope, jobId: string): Promise<void> {
  const ref = recordRef(def, envelope);
  try {
    if (ref) {
      const summary = def.summarize ? def.summarize(envelope.payload) : {};
      const fresh = await insertQueuedRecord(app.orm, ref, jobId, def.attempts, summary);
      // Enqueued before with this key: the first one is the job (it may have run already).
      if (!fresh) return;
    }
    await app.jobs.add(def, envelope, jobId);
  } catch (err) {
    console.error(`could not enqueue job ${def.name} (${jobId})`, err);
    if (ref) await markFailed(app.orm, ref, 'The job could not be queued', true).catch(() => undefined);
  }
}

function recordRef(def: AnyJob, envelope: JobEnvelope): JobRecordRef | null {
  if (!envelope.tenantId || !envelope.recordId) return null;
  return { recordId: envelope.recordId, organizationId: envelope.tenantId, actorId: envelope.actorId ?? null, type: def.name };
}

/** A failure that retrying cannot fix: the job fails at once, without further attempts. */
export const permanentFailure = (message: string) => new UnrecoverableError(message);

/** The message stored for clients: domain errors and permanent failures say what happened; the rest does not leak. */
function safeMessage(err: unknown): string {
  if (err instanceof DomainError || err instanceof UnrecoverableError) return err.message;
  return 'Internal error';
}

export interface JobWorkers {
  worker: Worker;
  close(): Promise<void>;
}

/** Runs every registered job in this process: `concurrency` at a time, each in its tenant's context. */
export function startJobWorkers(app: AppDeps, registry: JobRegistry, opts: { concurrency: number; lockMs?: number; log: Log }): JobWorkers {
  const processor = async (job: Job) => {
    const def = registry.get(job.name);
    if (!def) throw new UnrecoverableError(`Unknown job type ${job.name}`);
    const envelope = (job.data ?? {}) as JobEnvelope;
    if (!def.system && !(typeof envelope.tenantId === 'string' && isUuid(envelope.tenantId))) {
      throw new UnrecoverableError(`Refused: job ${job.name} carries no tenantId`);
    }
    const ref = def.system ? null : recordRef(def, envelope);
    const attempt = job.attemptsMade + 1;
    if (ref) await markRunning(app.orm, ref, attempt);
    const ctx = createJobContext(app, {
      tenantId: def.system ? null : envelope.tenantId!,
      actorId: typeof envelope.actorId === 'string' && isUuid(envelope.actorId) ? envelope.actorId : null,
      jobId: String(job.id),
    });
    const progress = async (percent: number) => {
      const value = Math.max(0, Math.min(100, Math.round(percent)));
      await job.updateProgress(value);
      if (ref) await markProgress(app.orm, ref, value);
    };
    const labels = { queue: QUEUE_NAME, name: def.name };
    const stopTimer = app.metrics.jobDuration.startTimer(labels);
    try {
      const result = await def.run(ctx, envelope.payload, progress);
      await ctx.db.finish(true);
      if (ref) await markCompleted(app.orm, ref, result ?? null);
      app.metrics.jobs.inc({ ...labels, status: 'completed' });
      return result ?? null;
    } catch (err) {
      await ctx.db.finish(false).catch(() => undefined);
      const final = err instanceof UnrecoverableError || attempt >= (job.opts.attempts ?? 1);
      app.metrics.jobs.inc({ ...labels, status: final ? 'dead' : 'failed' });
      if (ref) await markFailed(app.orm, ref, safeMessage(err), final).catch((e) => opts.log('could not record job failure', e));
      throw err;
    } finally {
      stopTimer();
    }
  };
  // A job whose worker died (lock not renewed for lockMs) is found by the next stalled check of any
  // worker and queued again, so the lock duration also paces that check.
  const lock = opts.lockMs === undefined ? {} : { lockDuration: opts.lockMs, stalledInterval: opts.lockMs };
  // Named after its process, so a job shows which worker ran it (BullMQ's processedBy).
  const worker = app.jobs.backend.createWorker(QUEUE_NAME, processor, { concurrency: opts.concurrency, name: workerName(), ...lock });
  let closing = false;
  worker.on('error', (err) => closing || opts.log('job worker error', err));
  worker.on('failed', (job, err) => opts.log(`job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade})`, err));
  return {
    worker,
    // Waits for the running jobs to finish; what is queued stays queued for the next worker.
    close: () => {
      closing = true;
      return worker.close();
    },
  };
}

/** `<host>:<pid>`: the process a job ran in. */
export const workerName = () => `${hostname()}:${process.pid}`;

/** Registers (or updates) the repeatable run of a system job; safe to call from every worker process. */
export async function scheduleSystemJob(app: AppDeps, def: AnyJob, pattern: string): Promise<void> {
  if (!def.system) throw new Error(`Only system jobs are scheduled (${def.name} needs a tenant)`);
  await app.jobs.queue.upsertJobScheduler(def.name, { pattern }, { name: def.name, data: { payload: {} } satisfies JobEnvelope });
}

/** Removes a system job's schedule (when it is switched off in the configuration). */
export async function unscheduleSystemJob(app: AppDeps, def: AnyJob): Promise<void> {
  await app.jobs.queue.removeJobScheduler(def.name);
}
