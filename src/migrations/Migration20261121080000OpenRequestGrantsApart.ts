import { Migration } from '@mikro-orm/migrations';
import { CALLER_LOOKUP } from './Migration20261121040000OpenRequest';
import { CREATE_OPEN_REQUEST_WITH_VERSION } from './Migration20261121070000GrantsVersion';

/**
 * app_open_request looks the grants up in a statement of their own, run only when the membership's
 * grants version is not the caller's. As one statement, with the grants as a subquery of the
 * caller lookup, every request paid for setting up that subquery's plan (a join, an aggregate, two
 * init plans) even when it did not run: about a tenth of the function's PostgreSQL CPU. Same
 * arguments, same rows.
 */
export class Migration20261121080000OpenRequestGrantsApart extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function app_open_request(
        p_tenant text, p_user text, p_platform text, p_session_id uuid, p_user_id uuid, p_organization_id uuid, p_grants_version bigint)
      returns table (viewer_is_platform_operator boolean, viewer_membership_id uuid, viewer_grants_version bigint, viewer_permissions text)
      language plpgsql as $$
      begin
        perform set_config('app.tenant_id', p_tenant, true), set_config('app.user_id', p_user, true), set_config('app.platform', p_platform, true);
        select u.is_platform_operator, m.id, m.grants_version
          into viewer_is_platform_operator, viewer_membership_id, viewer_grants_version${CALLER_LOOKUP}
        if not found then
          return;
        end if;
        if viewer_grants_version is distinct from p_grants_version then
          select string_agg(array_to_string(r.permissions, ','), ',') into viewer_permissions
            from access_role_assignment ra join access_role r on r.id = ra.role_id
           where ra.membership_id = viewer_membership_id;
        end if;
        return next;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(CREATE_OPEN_REQUEST_WITH_VERSION);
  }
}
