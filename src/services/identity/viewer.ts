/** Resolves the caller from verified token claims: live session, active user, active membership, grants. */
import type { ViewerResolver } from '../../core/context/request-context';

interface ViewerRow {
  is_platform_operator: boolean;
  membership_id: string | null;
  permissions: string[] | null;
}

export const resolveViewer: ViewerResolver = async (db, claims) => {
  const trx = await db.trx();
  const result = await trx.raw<{ rows: ViewerRow[] }>(
    `select u.is_platform_operator, m.id as membership_id,
       (select array_agg(distinct p) from access_role_assignment ra
          join access_role r on r.id = ra.role_id, unnest(r.permissions) p
         where ra.membership_id = m.id) as permissions
     from identity_session s
     join identity_user u on u.id = s.user_id and u.status = 'active'
     left join tenancy_organization o on o.id = s.organization_id and o.status in ('active', 'trial')
     left join tenancy_membership m on m.organization_id = o.id and m.user_id = u.id and m.status = 'active'
     where s.id = ? and s.user_id = ? and s.revoked_at is null and s.expires_at > now()
       and s.organization_id is not distinct from ?`,
    [claims.sessionId, claims.userId, claims.organizationId ?? null],
  );
  const row = result.rows[0];
  if (!row) return null;
  // Signed in to an organization the user can no longer act in (removed, suspended): no access.
  if (claims.organizationId && !row.membership_id) return null;
  return {
    userId: claims.userId,
    sessionId: claims.sessionId,
    organizationId: claims.organizationId ?? null,
    membershipId: row.membership_id,
    permissions: new Set(row.permissions ?? []),
    isPlatformOperator: row.is_platform_operator,
  };
};
