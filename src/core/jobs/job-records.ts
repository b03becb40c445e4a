/**
 * The `background_job` rows that make tenant jobs visible through the API. Each write is its own
 * short transaction scoped to the job's tenant (row-level security applies), separate from the
 * job's work, so "running" and progress are visible while the work's transaction is still open.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { RequestDb } from '../orm/request-db';
import { emitJobProgress, type JobStatus } from './progress';

export interface JobRecordRef {
  recordId: string;
  organizationId: string;
  actorId: string | null;
  type: string;
}

/** One statement, in a short transaction of its own in the job's tenant. */
async function inTenant<T>(orm: MikroORM, ref: JobRecordRef, sql: string, params: unknown[]): Promise<T[]> {
  const db = new RequestDb(orm, { organizationId: ref.organizationId, userId: ref.actorId });
  try {
    return await db.query<T>(sql, params);
  } finally {
    await db.finish(true);
  }
}

type Row = { status: JobStatus; progress: number };

function emit(ref: JobRecordRef, rows: Row[]): void {
  const row = rows[0];
  if (row) emitJobProgress({ jobId: ref.recordId, organizationId: ref.organizationId, actorId: ref.actorId, type: ref.type, status: row.status, progress: row.progress });
}

/** Inserts the queued row; false when a row with this job key exists already (enqueued before). */
export async function insertQueuedRecord(
  orm: MikroORM,
  ref: JobRecordRef,
  jobKey: string,
  maxAttempts: number,
  payloadSummary: Record<string, unknown>,
): Promise<boolean> {
  const rows = await inTenant<Row>(
    orm,
    ref,
    `insert into background_job (id, created_at, updated_at, organization_id, actor_id, type, job_key, status, progress, attempts, max_attempts, payload_summary, queued_at)
     values ($1, now(), now(), $2, $3, $4, $5, 'queued', 0, 0, $6, $7::jsonb, now())
     on conflict (job_key) do nothing
     returning status, progress`,
    [ref.recordId, ref.organizationId, ref.actorId, ref.type, jobKey, maxAttempts, JSON.stringify(payloadSummary)],
  );
  emit(ref, rows);
  return rows.length > 0;
}

export async function markRunning(orm: MikroORM, ref: JobRecordRef, attempt: number): Promise<void> {
  emit(ref, await inTenant<Row>(
    orm,
    ref,
    `update background_job set status = 'running', attempts = $1, started_at = now(), finished_at = null, updated_at = now()
     where id = $2 returning status, progress`,
    [attempt, ref.recordId],
  ));
}

export async function markProgress(orm: MikroORM, ref: JobRecordRef, percent: number): Promise<void> {
  emit(ref, await inTenant<Row>(
    orm,
    ref,
    `update background_job set progress = $1, updated_at = now() where id = $2 and status = 'running' returning status, progress`,
    [percent, ref.recordId],
  ));
}

export async function markCompleted(orm: MikroORM, ref: JobRecordRef, result: unknown): Promise<void> {
  // The API exposes results as JSON objects: wrap anything else.
  const json =
    result === undefined || result === null
      ? null
      : JSON.stringify(typeof result === 'object' && !Array.isArray(result) ? result : { value: result });
  emit(ref, await inTenant<Row>(
    orm,
    ref,
    `update background_job set status = 'completed', progress = 100, result = $1::jsonb, last_error = null, finished_at = now(), updated_at = now()
     where id = $2 returning status, progress`,
    [json, ref.recordId],
  ));
}

/** A failed attempt: back to `queued` while retries remain, `failed` (finished) after the last. */
export async function markFailed(orm: MikroORM, ref: JobRecordRef, message: string, final: boolean): Promise<void> {
  emit(ref, await inTenant<Row>(
    orm,
    ref,
    `update background_job set status = $1, last_error = $2, finished_at = case when $3 then now() else null end, updated_at = now()
     where id = $4 returning status, progress`,
    [final ? 'failed' : 'queued', message.slice(0, 1000), final, ref.recordId],
  ));
}

export async function markCancelled(orm: MikroORM, ref: JobRecordRef): Promise<boolean> {
  const rows = await inTenant<Row>(
    orm,
    ref,
    `update background_job set status = 'cancelled', finished_at = now(), updated_at = now()
     where id = $1 and status = 'queued' returning status, progress`,
    [ref.recordId],
  );
  emit(ref, rows);
  return rows.length > 0;
}
