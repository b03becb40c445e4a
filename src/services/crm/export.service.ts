/**
 * CSV exports of customers, leads and deals with the same filters as their lists. The mutation
 * enqueues a background job (the caller's scope is fixed at that moment and travels in the
 * payload); the job reads the rows in keyset-paginated batches inside its transaction, streams
 * them through csv-stringify into storeGeneratedFile, and returns the file id. Memory stays
 * bounded by one batch whatever the number of rows.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../core/context/request-context';
import type { ProgressReporter } from '../../core/jobs';
import { buildConnection, type FilterInput } from '../../core/orm/connection';
import { scopedSelect } from '../../core/orm/rows';
import { BackgroundJob, BackgroundJobStatus } from '../../entities/jobs/background-job.entity';
import { storeGeneratedFile } from '../files';
import { enqueueCrmExport } from '../../jobs';
import { access, listWhere, type Access, type ListSpec, type Row } from './common';
import { CUSTOMER_LIST } from './people.service';
import { LEAD_LIST } from './lead.service';
import { DEAL_LIST, expectedRevenue } from './deal.service';

export type ExportKind = 'customers' | 'leads' | 'deals';

export interface ExportPayload {
  kind: ExportKind;
  filter?: FilterInput | null;
  search?: string | null;
  includeDeleted?: boolean | null;
  /** The requester's scope for the resource when the export was asked for. */
  scope: Access['scope'];
}

const BATCH = 2000;

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v ?? ''));

const EXPORTS: Record<ExportKind, { spec: ListSpec; permission: string; columns: [string, (r: Row) => unknown][] }> = {
  customers: {
    spec: CUSTOMER_LIST,
    permission: 'customer:read',
    columns: [
      ['id', (r) => r.id], ['name', (r) => r.name], ['type', (r) => r.customerType], ['company', (r) => r.companyName], ['email', (r) => r.email],
      ['phone', (r) => r.phone], ['status', (r) => r.status], ['industry', (r) => r.industry], ['rating', (r) => r.rating], ['city', (r) => r.city],
      ['country', (r) => r.country], ['assigned_employee_id', (r) => r.assignedEmployeeId], ['created_at', (r) => iso(r.createdAt)],
    ],
  },
  leads: {
    spec: LEAD_LIST,
    permission: 'lead:read',
    columns: [
      ['id', (r) => r.id], ['name', (r) => r.name], ['company', (r) => r.company], ['email', (r) => r.email], ['phone', (r) => r.phone],
      ['source', (r) => r.source], ['status', (r) => r.status], ['score', (r) => r.score], ['estimated_value', (r) => r.estimatedValue],
      ['currency', (r) => r.currency], ['assigned_employee_id', (r) => r.assignedEmployeeId], ['converted_at', (r) => iso(r.convertedAt)],
      ['created_at', (r) => iso(r.createdAt)],
    ],
  },
  deals: {
    spec: DEAL_LIST,
    permission: 'deal:read',
    columns: [
      ['id', (r) => r.id], ['title', (r) => r.title], ['customer_id', (r) => r.customerId], ['stage_id', (r) => r.stageId], ['status', (r) => r.status],
      ['value', (r) => r.value], ['currency', (r) => r.currency], ['probability', (r) => r.probability],
      ['expected_revenue', (r) => expectedRevenue(r as { value: string; probability: number })], ['priority', (r) => r.priority],
      ['expected_close_date', (r) => r.expectedCloseDate], ['actual_close_date', (r) => r.actualCloseDate], ['lost_reason', (r) => r.lostReason],
      ['assigned_employee_id', (r) => r.assignedEmployeeId], ['created_at', (r) => iso(r.createdAt)],
    ],
  },
};

/**
 * Checks the filters now (a bad filter fails the mutation, not the job) and enqueues the export.
 * Returns the job as it will be recorded once the mutation commits.
 */
export async function requestExport(ctx: RequestContext, kind: ExportKind, args: { filter?: FilterInput | null; search?: string | null; includeDeleted?: boolean | null }): Promise<BackgroundJob> {
  const def = EXPORTS[kind];
  const a = access(ctx, def.permission);
  const payload: ExportPayload = { kind, filter: args.filter ?? null, search: args.search ?? null, includeDeleted: args.includeDeleted ?? false, scope: a.scope };
  // Validates the filter and search exactly as the list does (one row fetched).
  await buildConnection(ctx.db, def.spec.entity, { first: 1, where: listWhere(ctx, def.spec, payload, a) });
  const job = enqueueCrmExport(ctx, payload, uuidv7());
  const now = new Date();
  return Object.assign(new BackgroundJob(), {
    id: job.id!,
    organizationId: a.organizationId,
    type: 'crm-export',
    actorId: a.userId,
    status: BackgroundJobStatus.QUEUED,
    progress: 0,
    attempts: 0,
    maxAttempts: 3,
    payloadSummary: { kind },
    result: null,
    queuedAt: now,
    createdAt: now,
    updatedAt: now,
  });
}

/** The job's work: rows in keyset batches → CSV → a stored file. */
export async function runExport(ctx: RequestContext, payload: ExportPayload, progress: ProgressReporter): Promise<{ fileId: string; rows: number; name: string }> {
  const organizationId = ctx.db.organizationId;
  const userId = ctx.db.userId;
  if (!organizationId || !userId) throw new Error('An export runs for a user of an organization');
  const def = EXPORTS[payload.kind];
  const a: Access = { scope: payload.scope, userId, organizationId };
  const where = listWhere(ctx, def.spec, payload, a);
  const trx = await ctx.db.trx();
  const countRow = await scopedSelect(ctx.db, trx, def.spec.entity).where(where).clearSelect().count('* as count');
  const total = Number((countRow[0] as { count: string }).count);
  let rows = 0;
  let lastReported = 0;

  async function* batches(): AsyncGenerator<unknown[]> {
    let after: string | null = null;
    for (;;) {
      const qb = scopedSelect(ctx.db, trx, def.spec.entity).where(where).orderBy('id').limit(BATCH);
      if (after) qb.where('id', '>', after);
      const page: Row[] = await qb;
      for (const r of page) yield def.columns.map(([, get]) => get(r) ?? '');
      rows += page.length;
      if (total && rows - lastReported >= total / 20) {
        lastReported = rows;
        await progress(Math.min(99, (rows / total) * 100));
      }
      if (page.length < BATCH) return;
      after = page[page.length - 1].id as string;
    }
  }

  const csv = Readable.from(batches()).pipe(stringify({ header: true, columns: def.columns.map(([h]) => h) }));
  const name = `${payload.kind}-${new Date().toISOString().slice(0, 10)}.csv`;
  const file = await storeGeneratedFile(ctx, { name, mimeType: 'text/csv', body: csv, createdBy: userId });
  await progress(100);
  return { fileId: file.id, rows, name };
}
