/**
 * Prepares the database before anything serves: starts the embedded PostgreSQL when no
 * DATABASE_URL is given, applies migrations as the owner, and (re)creates the unprivileged
 * role the server connects as — it owns no table, cannot bypass row-level security, and may
 * only INSERT and SELECT the audit log. BullMQ's schema (`bullmq`) is migrated here too, by the
 * owner; the app role may use it but not change it.
 */
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { ormConfig } from '../../../mikro-orm.config';
import { prepareQueueSchema } from '../jobs/queue-backend';
import { startEmbeddedPostgres } from './embedded';
import { localSecret } from './secrets';

export const APP_ROLE = 'tessera_app';
export const APPEND_ONLY_TABLES = ['audit_log'];

export interface PreparedDatabase {
  ownerUrl: string;
  appUrl: string;
  stop(): Promise<void>;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export async function migrate(ownerUrl: string): Promise<string[]> {
  const orm = await MikroORM.init(ormConfig(ownerUrl, { poolMax: 2 }));
  try {
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}

export async function ensureAppRole(ownerUrl: string, password: string): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    const db = rows[0].db.replace(/"/g, '""');
    await client.query(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
        create role ${APP_ROLE} login;
      end if;
    end $$`);
    await client.query(
      `alter role ${APP_ROLE} with login nosuperuser nobypassrls nocreatedb nocreaterole password ${quoteLiteral(password)}`,
    );
    await client.query(`grant connect on database "${db}" to ${APP_ROLE}`);
    await client.query(`grant usage on schema public to ${APP_ROLE}`);
    await client.query(`grant select, insert, update, delete on all tables in schema public to ${APP_ROLE}`);
    await client.query(`grant usage, select on all sequences in schema public to ${APP_ROLE}`);
    await client.query(`revoke all on mikro_orm_migrations from ${APP_ROLE}`);
    for (const table of APPEND_ONLY_TABLES) {
      await client.query(`revoke update, delete, truncate on ${table} from ${APP_ROLE}`);
    }
  } finally {
    await client.end();
  }
}

export async function prepareDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  appPassword?: string;
}): Promise<PreparedDatabase> {
  let ownerUrl = opts.databaseUrl;
  let stop = async () => {};
  if (!ownerUrl) {
    const embedded = await startEmbeddedPostgres(opts.dataDir);
    await ensureDatabase(embedded.adminUrl(), 'tessera');
    ownerUrl = embedded.adminUrl('tessera');
    stop = () => embedded.stop();
  }
  const appPassword =
    opts.appPassword ?? localSecret(opts.dataDir, 'app-role-password', () => randomBytes(18).toString('base64url'));
  await migrate(ownerUrl);
  await ensureAppRole(ownerUrl, appPassword);
  // BullMQ's own schema, used by the PostgreSQL queue backend (cheap, and ready if REDIS_URL is later unset).
  await prepareQueueSchema(ownerUrl, APP_ROLE);
  return { ownerUrl, appUrl: withCredentials(ownerUrl, APP_ROLE, appPassword), stop };
}
