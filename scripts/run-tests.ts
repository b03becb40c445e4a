/**
 * `npm test`: one PostgreSQL for the whole run (embedded under .tmp/, or TEST_DATABASE_URL),
 * a template database migrated and seeded once (two organizations, every role), then node's
 * test runner over dist/test/ in parallel; each test file copies the template into its own
 * database, so files never see each other's writes.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import { generateSigningJwk } from '../src/core/auth/access-tokens';
import { SecretBox } from '../src/core/auth/secret-box';
import { startEmbeddedPostgres } from '../src/core/db/embedded';
import { APP_ROLE, ensureAppRole, migrate, withCredentials } from '../src/core/db/database';
import { connectApp } from '../src/app';
import { prepareQueueSchema } from '../src/core/jobs/queue-backend';
import { seedDemo } from '../src/seed';

export const TEMPLATE_DB = 'tessera_template';
const APP_PASSWORD = 'tessera-test-app';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.js'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function main() {
  const started = Date.now();
  const tmp = join(process.cwd(), '.tmp');
  mkdirSync(tmp, { recursive: true });
  const embedded = process.env.TEST_DATABASE_URL ? undefined : await startEmbeddedPostgres(tmp, 'test-pg');
  const adminUrl = process.env.TEST_DATABASE_URL ?? embedded!.adminUrl();
  let code = 1;
  try {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'tessera_t_%' or datname = $1", [TEMPLATE_DB]);
    for (const r of rows) await admin.query(`drop database if exists "${r.datname}" with (force)`);
    await admin.query(`create database ${TEMPLATE_DB}`);
    await admin.end();

    const templateUrl = new URL(adminUrl);
    templateUrl.pathname = `/${TEMPLATE_DB}`;
    await migrate(templateUrl.toString());
    await ensureAppRole(templateUrl.toString(), APP_PASSWORD);
    await prepareQueueSchema(templateUrl.toString(), APP_ROLE);
    const signingKeys = JSON.stringify([await generateSigningJwk()]);
    // Keys passed in, so parallel test processes never race to generate them under DATA_DIR.
    // Rate limits far above what any test file sends: test/platform/rate-limits.test.ts sets small ones.
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      DATA_DIR: join(tmp, 'test-data'),
      JWT_SIGNING_KEYS: signingKeys,
      ENCRYPTION_KEY: SecretBox.generateKey(),
      LOG_LEVEL: 'silent',
      RATE_LIMIT_AUTH: '100000',
      RATE_LIMIT_GENERAL: '100000',
      RATE_LIMIT_UPLOADS: '100000',
    };
    const app = await connectApp(loadConfig(env), {
      ownerUrl: templateUrl.toString(),
      appUrl: withCredentials(templateUrl.toString(), APP_ROLE, APP_PASSWORD),
    }, { workers: false });
    await seedDemo(app);
    await app.close();
    console.log(`# test database ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const args = ['--test', '--test-concurrency=2', '--enable-source-maps'];
    if (process.env.TEST_ONLY) args.push(...process.env.TEST_ONLY.split(','));
    else args.push(...testFiles(join(process.cwd(), 'dist', 'test')));
    code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, args, {
        stdio: 'inherit',
        env: { ...env, TESSERA_TEST_ADMIN_URL: adminUrl, TESSERA_TEST_TEMPLATE: TEMPLATE_DB, TESSERA_TEST_APP_PASSWORD: APP_PASSWORD, TMPDIR: tmp },
      });
      child.on('exit', (c) => resolve(c ?? 1));
    });
  } finally {
    await embedded?.stop();
  }
  process.exit(code);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
