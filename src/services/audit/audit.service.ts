/**
 * Writes and verifies the audit trail. Each row is chained to the previous row of the same
 * organization (or of the platform chain when there is none): hash = sha256(prevHash + row),
 * so an edited or deleted row breaks every hash after it. Rows are written in the caller's
 * transaction; an advisory lock per chain keeps concurrent writers in one line.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant } from '../../core/context/request-context';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { defineEvent, publishAfterCommit, subscribeTo } from '../../core/pubsub';
import { AuditLog } from '../../entities/audit/audit-log.entity';

export const GENESIS_HASH = '0'.repeat(64);

/** An organization's new audit row, as published on the `auditLogAdded` topic (timestamps as ISO strings). */
export interface AuditLogEvent {
  id: string;
  organizationId: string;
  seq: string;
  userId: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  changes: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  hash: string;
  createdAt: string;
}

export const AuditLogAdded = defineEvent<AuditLogEvent>('auditLogAdded');

export interface AuditEntry {
  action: string;
  resourceType?: string | null;
  resourceId?: string | null;
  changes?: Record<string, unknown> | null;
  /** Defaults to the viewer's organization; null writes to the platform chain. */
  organizationId?: string | null;
  /** Defaults to the viewer. */
  userId?: string | null;
}

interface AuditRow {
  id: string;
  organization_id: string | null;
  seq: string;
  user_id: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  changes: Record<string, unknown> | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
  created_at: Date;
}

function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function rowHash(prevHash: string, r: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  const content = canonical({
    id: r.id,
    organizationId: r.organization_id,
    seq: String(r.seq),
    userId: r.user_id,
    action: r.action,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    changes: r.changes,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    createdAt: new Date(r.created_at),
  });
  return createHash('sha256').update(prevHash).update(content).digest('hex');
}

/** Appends one audit row inside `em`'s transaction (which must carry the same tenant as the row). */
export async function recordAudit(ctx: RequestContext, em: EntityManager, entry: AuditEntry): Promise<void> {
  const organizationId = entry.organizationId === undefined ? (ctx.viewer?.organizationId ?? null) : entry.organizationId;
  const chain = organizationId ?? 'platform';
  // The platform chain is readable and writable only while app.platform is on (RLS policy).
  const platformBefore = organizationId ? undefined : await switchPlatform(em, 'on');
  await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 42))', [`audit:${chain}`]);
  const [last] = await em.execute<{ seq: string; hash: string }[]>(
    'select seq, hash from audit_log where organization_id is not distinct from ? order by seq desc limit 1',
    [organizationId],
  );
  const row = {
    id: uuidv7(),
    organization_id: organizationId,
    seq: last ? (BigInt(last.seq) + 1n).toString() : '1',
    user_id: entry.userId === undefined ? (ctx.viewer?.userId ?? null) : entry.userId,
    action: entry.action,
    resource_type: entry.resourceType ?? null,
    resource_id: entry.resourceId ?? null,
    changes: entry.changes ?? null,
    ip: ctx.ip,
    user_agent: ctx.userAgent,
    request_id: ctx.requestId,
    created_at: new Date(),
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = rowHash(prevHash, row);
  await em.execute(
    `insert into audit_log (id, organization_id, seq, user_id, action, resource_type, resource_id, changes, ip, user_agent, request_id, prev_hash, hash, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)`,
    [
      row.id, row.organization_id, row.seq, row.user_id, row.action, row.resource_type, row.resource_id,
      row.changes === null ? null : JSON.stringify(row.changes), row.ip, row.user_agent, row.request_id,
      prevHash, hash, row.created_at,
    ],
  );
  if (platformBefore !== undefined) await switchPlatform(em, platformBefore);
  if (organizationId) {
    publishAfterCommit(ctx, AuditLogAdded, organizationId, {
      id: row.id,
      organizationId,
      seq: row.seq,
      userId: row.user_id,
      action: row.action,
      resourceType: row.resource_type,
      resourceId: row.resource_id,
      changes: row.changes,
      ip: row.ip,
      userAgent: row.user_agent,
      requestId: row.request_id,
      hash,
      createdAt: row.created_at.toISOString(),
    });
  }
}

/** Live stream of the caller organization's new audit rows (after their transactions commit). */
export function subscribeAuditLogAdded(ctx: RequestContext): AsyncIterableIterator<AuditLogEvent> {
  return subscribeTo(ctx, AuditLogAdded);
}

/** The API shape of a published audit row. */
export function auditLogFromEvent(event: AuditLogEvent): AuditLog {
  return { ...event, createdAt: new Date(event.createdAt) } as AuditLog;
}

async function switchPlatform(em: EntityManager, value: string): Promise<string> {
  const [row] = await em.execute<{ before: string | null }[]>(
    "select current_setting('app.platform', true) as before, set_config('app.platform', ?, true)",
    [value],
  );
  return row.before ?? '';
}

/** Records a security event outside any mutation's savepoint, so it commits even when the operation fails. */
export async function recordSecurityEvent(ctx: RequestContext, entry: AuditEntry): Promise<void> {
  const organizationId = entry.organizationId === undefined ? (ctx.viewer?.organizationId ?? null) : entry.organizationId;
  if (organizationId && organizationId !== ctx.db.organizationId) {
    await ctx.db.asTenant(null, organizationId, entry.userId ?? null, (em) => recordAudit(ctx, em, { ...entry, organizationId }));
  } else {
    await ctx.db.transactional((em) => recordAudit(ctx, em, { ...entry, organizationId }));
  }
}

export interface AuditChainReport {
  valid: boolean;
  checkedCount: number;
  /** First sequence number where the chain breaks (edited, inserted or deleted row). */
  brokenAtSeq: string | null;
  reason: string | null;
}

/** Recomputes the viewer organization's chain from its first row. */
export async function verifyAuditChain(ctx: RequestContext, organizationId: string): Promise<AuditChainReport> {
  const trx = await ctx.db.trx();
  const rows: AuditRow[] = await trx('audit_log').where('organization_id', organizationId).orderBy('seq', 'asc');
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  for (const row of rows) {
    const seq = BigInt(row.seq);
    if (seq !== expectedSeq) {
      return { valid: false, checkedCount: rows.length, brokenAtSeq: expectedSeq.toString(), reason: 'missing row' };
    }
    if (row.prev_hash !== prevHash) {
      return { valid: false, checkedCount: rows.length, brokenAtSeq: row.seq, reason: 'previous hash does not match' };
    }
    if (rowHash(prevHash, row) !== row.hash) {
      return { valid: false, checkedCount: rows.length, brokenAtSeq: row.seq, reason: 'row content was altered' };
    }
    prevHash = row.hash;
    expectedSeq += 1n;
  }
  return { valid: true, checkedCount: rows.length, brokenAtSeq: null, reason: null };
}

/** The caller organization's audit trail, newest first. */
export async function listAuditLogs(ctx: RequestContext, args: Omit<ListArgs, 'orderBy'>) {
  const organizationId = requireTenant(ctx);
  return buildConnection<AuditLog>(ctx.db, AuditLog, {
    filter: args.filter,
    orderBy: [{ field: 'seq', direction: 'DESC' }],
    first: args.first,
    after: args.after,
    select: args.select,
    where: (qb) => qb.where('organization_id', organizationId),
  });
}

/** Verifies the caller organization's chain. */
export function verifyOwnAuditChain(ctx: RequestContext): Promise<AuditChainReport> {
  return verifyAuditChain(ctx, requireTenant(ctx));
}
