/** Resolves the caller from verified token claims: live session, active user, active membership, grants. */
import { LRUCache } from 'lru-cache';
import type { Viewer, ViewerAssumer, ViewerClaims, ViewerResolver } from '../../core/context/request-context';
import type { FirstStatement } from '../../core/orm/request-db';

interface ViewerRow {
  viewer_is_platform_operator: boolean;
  viewer_membership_id: string | null;
  /** The membership's grants version (bigint, as text); null without a membership. */
  viewer_grants_version: string | null;
  /**
   * The grants of all the member's roles, comma-separated (duplicates possible); null when the
   * version is the one the request gave (the grants the process holds for it stand).
   */
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
// under it (SQL function app_open_request, in the migrations). Given the grants version the
// process holds grants for, it leaves them out while the membership's is the same.
const openRequest =
  (claims: ViewerClaims, grantsVersion: string | null): FirstStatement =>
  ([tenant, user, platform]) => ({
    sql: 'select * from app_open_request($1, $2, $3, $4, $5, $6, $7)',
    params: [tenant, user, platform, claims.sessionId, claims.userId, claims.organizationId ?? null, grantsVersion],
  });

/** A viewer as resolved, with the grants version its permissions are of. */
interface Resolved {
  viewer: Viewer;
  grantsVersion: string | null;
}

/**
 * The viewer each session (and organization) resolved to last, in this process: what assumeViewer
 * assumes. Never trusted as such: each request that assumes it has the database confirm it.
 */
const lastResolved = new LRUCache<string, Resolved>({ max: 10_000 });
const sessionKey = (claims: ViewerClaims) => `${claims.sessionId}:${claims.organizationId ?? ''}`;

/**
 * The caller the opening statement's row describes (null: no access), remembered for the session.
 * The row holds grants (it was asked without a version, or the version changed).
 */
function viewerOf(claims: ViewerClaims, row: ViewerRow | undefined): Viewer | null {
  // Signed in to an organization the user can no longer act in (removed, suspended): no access.
  const viewer =
    row && (!claims.organizationId || row.viewer_membership_id)
      ? {
          userId: claims.userId,
          sessionId: claims.sessionId,
          organizationId: claims.organizationId ?? null,
          membershipId: row.viewer_membership_id,
          permissions: grantSet(row.viewer_permissions),
          isPlatformOperator: row.viewer_is_platform_operator,
        }
      : null;
  if (viewer) lastResolved.set(sessionKey(claims), { viewer, grantsVersion: row!.viewer_grants_version });
  else lastResolved.delete(sessionKey(claims));
  return viewer;
}

/** The same access: membership, platform role and grants. */
function sameAccess(a: Viewer, b: Viewer | null): boolean {
  if (!b || a.membershipId !== b.membershipId || a.isPlatformOperator !== b.isPlatformOperator) return false;
  if (a.permissions === b.permissions) return true;
  if (a.permissions.size !== b.permissions.size) return false;
  for (const grant of a.permissions) if (!b.permissions.has(grant)) return false;
  return true;
}

/** Whether the opening statement's row confirms the assumed viewer. */
function confirms(claims: ViewerClaims, known: Resolved, row: ViewerRow | undefined): boolean {
  // The same grants version: the same grants; the membership and platform role are still compared.
  if (row && row.viewer_grants_version === known.grantsVersion) {
    return row.viewer_membership_id === known.viewer.membershipId && row.viewer_is_platform_operator === known.viewer.isPlatformOperator;
  }
  return sameAccess(known.viewer, viewerOf(claims, row));
}

export const resolveViewer: ViewerResolver = async (db, claims) => {
  const [row] = await db.openWith<ViewerRow>(openRequest(claims, null));
  return viewerOf(claims, row);
};

export const assumeViewer: ViewerAssumer = (db, claims) => {
  const known = lastResolved.get(sessionKey(claims));
  if (!known) return null;
  db.assume<ViewerRow>(openRequest(claims, known.grantsVersion), (rows) => confirms(claims, known, rows[0]));
  return known.viewer;
};
