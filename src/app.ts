/**
 * Composition root: database (embedded when no DATABASE_URL) with migrations applied, the ORM
 * connected as the unprivileged app role, the signing key ring, logging, metrics, health checks,
 * rate limits, pub/sub, storage, the job queue and (unless WORKERS_IN_PROCESS=false) the job
 * workers, and the shutdown sequence. Shared by main, the worker, tests and benches.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import type { JWK } from 'jose';
import { ormConfig } from '../mikro-orm.config';
import type { Config } from './config';
import { generateSigningJwk, KeyRing } from './core/auth/access-tokens';
import { SecretBox } from './core/auth/secret-box';
import { localSecret } from './core/db/secrets';
import { prepareDatabase } from './core/db/database';
import type { AppDeps } from './core/context/request-context';
import { assumeViewer, resolveViewer } from './services/identity';
import { relayJobProgress } from './services/jobs';
import { createMessenger } from './core/messaging/outbound';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { RateLimits, type RateLimitStore } from './core/http/rate-limits';
import { ShutdownSequence } from './core/lifecycle/shutdown';
import { HealthRegistry } from './core/observability/health';
import { createLogger, type DestinationStream } from './core/observability/logger';
import { Metrics } from './core/observability/metrics';
import { checkStorage, createStorage, fileUrlSecret } from './core/storage';
import { createTenantPubSub } from './core/pubsub';


import { createQueueBackend, JobQueue, JobRegistry, scheduleSystemJob, startJobWorkers, unscheduleSystemJob, type JobWorkers } from './core/jobs';
import { allJobs, cleanupExpiredJob } from './jobs';

export interface App extends AppDeps {
  ownerUrl: string;
  /** The job workers of this process, when it runs them. */
  workers: JobWorkers | null;
  /** Starts the job workers (and the schedules) if they are not running yet. */
  startWorkers(): Promise<JobWorkers>;
  /** Runs the shutdown sequence (idempotent). */
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Stops the embedded database, last in the shutdown sequence. */
  stopDb?: () => Promise<void>;
  /** Where log lines go (tests collect them); stdout by default. */
  logDestination?: DestinationStream;
  /** Run the job workers in this process. Default: WORKERS_IN_PROCESS. */
  workers?: boolean;
}

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

/** ENCRYPTION_KEY, or (outside production, where config requires it) one generated once under DATA_DIR. */
function encryptionKey(config: Config): string {
  return config.encryptionKey ?? localSecret(config.dataDir, 'encryption-key', SecretBox.generateKey);
}

/** Connects to a prepared database (already migrated) as the app role. */
export async function connectApp(config: Config, urls: { ownerUrl: string; appUrl: string }, opts: ConnectOptions = {}): Promise<App> {
  const log = createLogger({ level: config.logLevel, destination: opts.logDestination });
  const shutdown = new ShutdownSequence(log, config.shutdownTimeoutMs);
  if (opts.stopDb) shutdown.hook('database', 'database', opts.stopDb);
  const orm = await MikroORM.init(ormConfig(urls.appUrl));
  shutdown.hook('connections', 'orm', () => orm.close(true));
  const health = new HealthRegistry();
  health.register('db', async () => {
    await orm.em.getConnection().execute('select 1');
  });
  const storage = createStorage(config);
  health.register('storage', () => checkStorage(storage));
  const metrics = new Metrics();
  const rateLimits = new RateLimits(await rateLimitStore(config, urls.appUrl, log, shutdown), config.rateLimits, metrics);
  const keyRing = await KeyRing.fromJwks(await signingKeys(config), {
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    ttlSeconds: config.jwt.accessTtlSeconds,
  });
  const messenger = createMessenger(orm, {
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    log: (fields, line) => log.info(fields, line),
  });
  const pubsub = await createTenantPubSub({ redisUrl: config.redisUrl, channelPrefix: config.pubsubChannelPrefix });
  shutdown.hook('connections', 'pubsub', () => pubsub.close());
  const logError = (message: string, err?: unknown) => log.error({ err }, message);
  const jobs = new JobQueue(createQueueBackend({ databaseUrl: urls.appUrl, redisUrl: config.redisUrl, redisPrefix: config.queuePrefix }), logError);
  shutdown.hook('connections', 'job-queue', () => jobs.close());
  health.register('queue', () => jobs.check());
  const app: App = {
    config,
    orm,
    keyRing,
    resolveViewer,
    assumeViewer,
    messenger,
    secretBox: new SecretBox(encryptionKey(config)),
    log,
    metrics,
    health,
    shutdown,
    rateLimits,
    storage,
    fileUrlSecret: fileUrlSecret(config),
    pubsub,
    jobs,
    ownerUrl: urls.ownerUrl,
    workers: null,
    async startWorkers() {
      if (app.workers) return app.workers;
      app.workers = startJobWorkers(app, new JobRegistry(allJobs), { concurrency: config.workerConcurrency, lockMs: config.jobLockMs, log: logError });
      // Job reports reach subscribers on every API process (through Redis when configured).
      const stopRelay = relayJobProgress(app);
      shutdown.hook('work', 'job-progress-relay', async () => stopRelay());
      shutdown.hook('work', 'job-workers', () => app.workers!.close());
      if (config.cleanupSchedule) await scheduleSystemJob(app, cleanupExpiredJob, config.cleanupSchedule);
      else await unscheduleSystemJob(app, cleanupExpiredJob);
      return app.workers;
    },
    async close() {
      await shutdown.run('close');
    },
  };
  if (opts.workers ?? config.workersInProcess) await app.startWorkers();
  return app;
}

/** Redis when configured; otherwise PostgreSQL through a small pool of its own (see rate-limits.ts). */
async function rateLimitStore(config: Config, appUrl: string, log: App['log'], shutdown: ShutdownSequence): Promise<RateLimitStore> {
  if (config.redisUrl) {
    // No offline queue: while Redis is unreachable, commands fail at once and the in-memory limiter answers.
    const client = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    client.on('error', (err) => log.warn({ err: err.message }, 'rate limit store (Redis) unavailable'));
    shutdown.hook('connections', 'rate-limit-redis', async () => {
      await client.quit().catch(() => client.disconnect());
    });
    // Start counting in Redis from the first request; an unreachable Redis does not stop start-up.
    const ready = await Promise.race([
      new Promise<boolean>((resolve) => client.once('ready', () => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000).unref()),
    ]);
    if (!ready) log.warn('rate limit store (Redis) not ready: limiting in memory until it is');
    return { kind: 'redis', client };
  }
  const pool = new Pool({ connectionString: appUrl, max: 3, idleTimeoutMillis: 10_000 });
  pool.on('error', (err) => log.warn({ err: err.message }, 'rate limit store (PostgreSQL) connection error'));
  shutdown.hook('connections', 'rate-limit-pool', () => pool.end());
  return { kind: 'postgres', pool };
}

export async function createApp(config: Config, options: Pick<ConnectOptions, 'logDestination'> = {}): Promise<App> {
  const db = await prepareDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, appPassword: config.databaseAppPassword });
  return connectApp(config, db, { ...options, stopDb: db.stop });
}
