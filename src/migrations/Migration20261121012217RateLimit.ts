import { Migration } from '@mikro-orm/migrations';

/**
 * The rate limiter's store (rate-limiter-flexible's RateLimiterPostgres layout), created here so
 * the app role never needs DDL at run time. No entity maps it (ormConfig skips it in diffs); it
 * holds no tenant data, so no row-level security.
 */
export class Migration20261121012217RateLimit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "rate_limit" ("key" varchar(255) not null, "points" integer not null default 0, "expire" bigint null, constraint "rate_limit_pkey" primary key ("key"));`);
    this.addSql(`create index "rate_limit_expire_index" on "rate_limit" ("expire");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "rate_limit";`);
  }
}
