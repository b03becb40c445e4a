/** Helpers shared by the reconciliation services. */
import type { RequestContext } from '../../core/context/request-context';
import { requireTenantScope } from '../../core/context/request-context';
import type { AuditEntry } from '../audit';

/** Audit entry fields for contexts without a viewer (jobs): the tenant and actor of the context. */
export function jobAuditScope(ctx: RequestContext): Pick<AuditEntry, 'organizationId' | 'userId'> {
  if (ctx.viewer) return {};
  return { organizationId: requireTenantScope(ctx), userId: ctx.db.userId ?? null };
}

/** A PostgreSQL array literal of text values (NULL for null), for one parameter cast to `text[]`, `numeric[]`, `date[]`... */
export function pgArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i) out += ',';
    const v = values[i];
    out += v === null ? 'NULL' : `"${v.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

export const trimText = (value: string | null | undefined, max: number): string | null => {
  const s = value?.trim();
  return s ? s.slice(0, max) : null;
};
