import { Migration } from '@mikro-orm/migrations';

/** TOTP multi-factor authentication on users: the flag, the sealed secrets, replay guard, recovery codes. */
export class Migration20261121012402UserMfa extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "identity_user" add column "mfa_enabled" boolean not null default false, add column "mfa_secret" text null, add column "mfa_pending_secret" text null, add column "mfa_last_used_step" int null, add column "mfa_recovery_code_hashes" jsonb not null default '[]';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "identity_user" drop column "mfa_enabled", drop column "mfa_secret", drop column "mfa_pending_secret", drop column "mfa_last_used_step", drop column "mfa_recovery_code_hashes";`);
  }

}
