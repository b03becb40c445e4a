/**
 * A fresh database for one benchmark run: an embedded PostgreSQL under .tmp/<cluster>, a new
 * database migrated with the app role and the queue schema ready. close() drops the database and
 * stops the server.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/core/db/embedded';
import { APP_ROLE, ensureAppRole, migrate, withCredentials } from '../../src/core/db/database';
import { prepareQueueSchema } from '../../src/core/jobs/queue-backend';

export interface BenchDatabase {
  /** Superuser URL of the new database (bypasses row-level security). */
  ownerUrl: string;
  /** The app role's URL, as the server connects. */
  appUrl: string;
  appPassword: string;
  /** The cluster's data directory (its postmaster.pid names the server process). */
  clusterDir: string;
  close(): Promise<void>;
}

export async function freshBenchDatabase(opts: { database: string; cluster?: string; serverFlags?: string[] }): Promise<BenchDatabase> {
  const tmp = join(process.cwd(), '.tmp');
  mkdirSync(tmp, { recursive: true });
  const pg = await startEmbeddedPostgres(tmp, opts.cluster ?? 'bench-pg', opts.serverFlags);
  const admin = new Client({ connectionString: pg.adminUrl() });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${opts.database} with (force)`);
    await admin.query(`create database ${opts.database}`);
    const ownerUrl = pg.adminUrl(opts.database);
    const appPassword = randomBytes(12).toString('hex');
    await migrate(ownerUrl);
    await ensureAppRole(ownerUrl, appPassword);
    await prepareQueueSchema(ownerUrl, APP_ROLE);
    return {
      ownerUrl,
      appUrl: withCredentials(ownerUrl, APP_ROLE, appPassword),
      appPassword,
      clusterDir: pg.dataDir,
      async close() {
        await admin.query(`drop database if exists ${opts.database} with (force)`).catch(() => undefined);
        await admin.end();
        await pg.stop();
      },
    };
  } catch (err) {
    await admin.end();
    await pg.stop();
    throw err;
  }
}
