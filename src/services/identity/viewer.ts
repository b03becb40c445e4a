/** Resolves the caller from verified token claims: live session, active user, active membership, grants. */
import { LRUCache } from 'lru-cache';
import type { ViewerResolver } from '../../core/context/request-context';

interface ViewerRow {
  viewer_is_platform_operator: boolean;
  viewer_membership_id: string | null;
  /** The grants of all the member's roles, comma-separated (duplicates possible). */
  viewer_permissions: string | null;
}

/**
 * Grant sets by their text: every request of a role holds the same grants, and splitting a few
 * hundred of them into a new Set is most of this function's work. The sets are never changed
 * (Viewer.permissions is a ReadonlySet).
 */
const grantSets = new LRUCache<string, ReadonlySet<string>>({ max: 1000 });

function grantSet(text: string | null): ReadonlySet<string> {
  const key = text ?? '';
  let set = grantSets.get(key);
  if (!set) grantSets.set(key, (set = new Set(key ? key.split(',') : [])));
  return set;
}

// The request's first statement: applies its row-level-security scope, then looks the caller up
// under it (SQL function app_open_request, in the migrations).
export const resolveViewer: ViewerResolver = async (db, claims) => {
  const [row] = await db.openWith<ViewerRow>(([tenant, user, platform]) => ({
    sql: 'select * from app_open_request($1, $2, $3, $4, $5, $6)',
    params: [tenant, user, platform, claims.sessionId, claims.userId, claims.organizationId ?? null],
  }));
  if (!row) return null;
  // Signed in to an organization the user can no longer act in (removed, suspended): no access.
  if (claims.organizationId && !row.viewer_membership_id) return null;
  return {
    userId: claims.userId,
    sessionId: claims.sessionId,
    organizationId: claims.organizationId ?? null,
    membershipId: row.viewer_membership_id,
    permissions: grantSet(row.viewer_permissions),
    isPlatformOperator: row.viewer_is_platform_operator,
  };
};
