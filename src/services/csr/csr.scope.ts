/**
 * The `own` scope of CSR records: a user linked to a partner (csr_partner_member) with an `own`
 * grant (`project:read:own`, `milestone:write:own`, `survey:write:own`) sees and writes only the
 * projects whose recipient partner is their partner, and the milestones and surveys of those
 * projects. Anything else is NOT_FOUND to them, exactly like another organization's record.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { scopeOf } from '../../core/access/permissions';
import { forbidden, notFound } from '../../core/errors';
import { PartnerMember } from '../../entities/csr/partner.entity';

/** `null`: every project of the organization; otherwise the partner ids whose projects the caller may touch. */
export type ProjectScope = null | string[];

/** The partners the caller acts for (read through the request's loaders; one statement per request). */
export async function viewerPartnerIds(ctx: RequestContext): Promise<string[]> {
  const viewer = requireViewer(ctx);
  const links = await ctx.loaders.manyBy<PartnerMember>(PartnerMember, 'userId', viewer.userId);
  return links.map((l) => l.partnerId);
}

/** The same, inside a mutation's transaction. */
export async function viewerPartnerIdsIn(ctx: RequestContext, em: EntityManager): Promise<string[]> {
  const viewer = requireViewer(ctx);
  const links = await em.find(PartnerMember, { userId: viewer.userId }, { fields: ['partnerId'] });
  return links.map((l) => l.partnerId);
}

/**
 * Which projects `permission` (`resource:action`) reaches for the caller: all of them, or those of
 * the caller's partners. FORBIDDEN without the permission (shield normally refuses first).
 */
export async function projectScope(ctx: RequestContext, permission: string, em?: EntityManager): Promise<ProjectScope> {
  requireTenant(ctx);
  const scope = scopeOf(requireViewer(ctx).permissions, permission);
  if (!scope) throw forbidden();
  if (scope === 'all') return null;
  return em ? viewerPartnerIdsIn(ctx, em) : viewerPartnerIds(ctx);
}

/** Whether a project with this recipient partner is inside the scope. */
export const inScope = (scope: ProjectScope, partnerId: string | null | undefined) =>
  scope === null || (partnerId != null && scope.includes(partnerId));

/** NOT_FOUND unless the project is inside the scope. */
export function assertInScope(scope: ProjectScope, partnerId: string | null | undefined, resource = 'Project', field = 'id'): void {
  if (!inScope(scope, partnerId)) throw notFound(resource, field);
}

/** Requires the `all` scope of `permission` (creating records that are not tied to the caller). */
export function requireAllScope(ctx: RequestContext, permission: string): void {
  if (scopeOf(requireViewer(ctx).permissions, permission) !== 'all') throw forbidden();
}
