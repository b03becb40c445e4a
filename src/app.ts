/**
 * Composition root: database (embedded when no DATABASE_URL) with migrations applied, the ORM
 * connected as the unprivileged app role, the signing key ring, the job queue and (unless
 * WORKERS_IN_PROCESS=false) the job workers. Shared by main, the worker, tests and benches.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import type { JWK } from 'jose';
import { ormConfig } from '../mikro-orm.config';
import type { Config } from './config';
import { generateSigningJwk, KeyRing } from './core/auth/access-tokens';
import { localSecret } from './core/db/secrets';
import { prepareDatabase } from './core/db/database';
import type { AppDeps } from './core/context/request-context';
import { resolveViewer } from './services/identity';
import { createMessenger } from './core/messaging/outbound';
import { createQueueBackend, JobQueue, JobRegistry, scheduleSystemJob, startJobWorkers, unscheduleSystemJob, type JobWorkers } from './core/jobs';
import { allJobs, cleanupExpiredJob } from './jobs';

export interface App extends AppDeps {
  ownerUrl: string;
  /** The job workers of this process, when it runs them. */
  workers: JobWorkers | null;
  /** Starts the job workers (and the schedules) if they are not running yet. */
  startWorkers(): Promise<JobWorkers>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  stopDb?: () => Promise<void>;
  /** Run the job workers in this process. Default: WORKERS_IN_PROCESS. */
  workers?: boolean;
}

const quietIn = (config: Config) => (message: string, err?: unknown) => {
  if (config.env !== 'test') console.error(message, err ?? '');
};

async function signingKeys(config: Config): Promise<JWK[]> {
  if (config.jwt.signingKeys) {
    try {
      const keys = JSON.parse(config.jwt.signingKeys);
      if (!Array.isArray(keys)) throw new Error('not an array');
      return keys;
    } catch (err) {
      throw new Error(`JWT_SIGNING_KEYS: must be a JSON array of Ed25519 private JWKs (${(err as Error).message})`);
    }
  }
  const generated = await generateSigningJwk();
  return JSON.parse(localSecret(config.dataDir, 'jwt-signing-keys', () => JSON.stringify([generated])));
}

/** Connects to a prepared database (already migrated) as the app role. */
export async function connectApp(config: Config, urls: { ownerUrl: string; appUrl: string }, opts: ConnectOptions = {}): Promise<App> {
  const orm = await MikroORM.init(ormConfig(urls.appUrl));
  const keyRing = await KeyRing.fromJwks(await signingKeys(config), {
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    ttlSeconds: config.jwt.accessTtlSeconds,
  });
  const messenger = createMessenger(orm, { smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, quiet: config.env === 'test' });
  const log = quietIn(config);
  const jobs = new JobQueue(createQueueBackend({ databaseUrl: urls.appUrl, redisUrl: config.redisUrl }), log);
  const app: App = {
    config,
    orm,
    keyRing,
    resolveViewer,
    messenger,
    jobs,
    ownerUrl: urls.ownerUrl,
    workers: null,
    async startWorkers() {
      if (app.workers) return app.workers;
      app.workers = startJobWorkers(app, new JobRegistry(allJobs), { concurrency: config.workerConcurrency, log });
      if (config.cleanupSchedule) await scheduleSystemJob(app, cleanupExpiredJob, config.cleanupSchedule);
      else await unscheduleSystemJob(app, cleanupExpiredJob);
      return app.workers;
    },
    async close() {
      // Running jobs finish first (they use the ORM), then the queue, the ORM and the database.
      await app.workers?.close();
      await jobs.close();
      await orm.close(true);
      await (opts.stopDb ?? (async () => {}))();
    },
  };
  if (opts.workers ?? config.workersInProcess) await app.startWorkers();
  return app;
}

export async function createApp(config: Config): Promise<App> {
  const db = await prepareDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, appPassword: config.databaseAppPassword });
  return connectApp(config, db, { stopDb: db.stop });
}
