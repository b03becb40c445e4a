/** Housekeeping of tenancy records (per organization, run by the cleanup-tenant job). */
import { requireTenantScope } from '../../core/context/request-context';
import type { RequestContext } from '../../core/context/request-context';

/** Every organization's id, for platform maintenance that fans out one job per tenant. */
export async function organizationIds(ctx: RequestContext): Promise<string[]> {
  const trx = await ctx.db.trx();
  const rows: { id: string }[] = await trx('tenancy_organization').select('id').orderBy('id');
  return rows.map((r) => r.id);
}

/** Deletes the organization's invitations that expired without being accepted. Idempotent. */
export async function deleteExpiredInvitations(ctx: RequestContext): Promise<number> {
  const organizationId = requireTenantScope(ctx);
  const trx = await ctx.db.trx();
  return trx('tenancy_invitation').where('organization_id', organizationId).whereNull('accepted_at').where('expires_at', '<', trx.fn.now()).delete();
}
