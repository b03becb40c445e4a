import { Migration } from '@mikro-orm/migrations';

/**
 * The caller's session, user and membership (s, u, m) from app_open_request's parameters; later
 * versions of the function read the caller the same way. Applied as it is: do not change it.
 */
export const CALLER_LOOKUP = `
          from identity_session s
          join identity_user u on u.id = s.user_id and u.status = 'active'
          left join tenancy_organization o on o.id = s.organization_id and o.status in ('active', 'trial')
          left join tenancy_membership m on m.organization_id = o.id and m.user_id = u.id and m.status = 'active'
          where s.id = p_session_id and s.user_id = p_user_id and s.revoked_at is null and s.expires_at > now()
            and s.organization_id is not distinct from p_organization_id;`;

/** This migration's app_open_request (Migration20261121070000GrantsVersion's down() restores it). */
export const CREATE_OPEN_REQUEST = `create or replace function app_open_request(
        p_tenant text, p_user text, p_platform text, p_session_id uuid, p_user_id uuid, p_organization_id uuid)
      returns table (viewer_is_platform_operator boolean, viewer_membership_id uuid, viewer_permissions text)
      language plpgsql as $$
      begin
        perform set_config('app.tenant_id', p_tenant, true), set_config('app.user_id', p_user, true), set_config('app.platform', p_platform, true);
        return query
          select u.is_platform_operator, m.id,
            (select string_agg(array_to_string(r.permissions, ','), ',') from access_role_assignment ra
               join access_role r on r.id = ra.role_id
              where ra.membership_id = m.id)${CALLER_LOOKUP}
      end $$;`;

/**
 * app_open_request: the first statement of every signed-in request. It applies the request's
 * row-level-security scope (the three settings RequestDb would otherwise set in a statement of
 * their own) and then, under that scope, resolves the caller: live session, active user, active
 * membership and its grants (comma-separated: joining the roles' lists costs less than sorting
 * them into one array; the caller makes a set of them). plpgsql runs the two in order and keeps
 * the lookup's plan for the session, so a request saves a round trip and a planning pass. SECURITY INVOKER: the app role's
 * row-level security applies as before.
 */
export class Migration20261121040000OpenRequest extends Migration {
  override async up(): Promise<void> {
    this.addSql(CREATE_OPEN_REQUEST);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists app_open_request(text, text, text, uuid, uuid, uuid);`);
  }
}
