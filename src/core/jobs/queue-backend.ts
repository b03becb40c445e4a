/**
 * The one place that knows which datastore BullMQ runs on: PostgreSQL (the application's own
 * database, schema `bullmq`) by default, Redis when REDIS_URL is set. Everything else builds its
 * queues and workers from the constructors returned here.
 */
import { Client } from 'pg';
import {
  createPostgresBackend,
  createRedisBackend,
  runMigrations,
  withBackend,
  type Queue,
  type QueueOptions,
  type Worker,
  type WorkerOptions,
  type Processor,
} from 'bullmq';

/** The schema BullMQ's tables and functions live in (migrated by the owner, used by the app role). */
export const QUEUE_SCHEMA = 'bullmq';

export type QueueBackendKind = 'postgres' | 'redis';

export interface QueueBackend {
  kind: QueueBackendKind;
  createQueue(name: string, opts?: Omit<QueueOptions, 'connection'>): Queue;
  createWorker(name: string, processor: Processor, opts?: Omit<WorkerOptions, 'connection'>): Worker;
}

export interface QueueBackendOptions {
  /** Application database URL (the unprivileged app role), for the PostgreSQL backend. */
  databaseUrl: string;
  redisUrl?: string;
  /** Redis key prefix (default `bull`): separates deployments or test runs sharing one Redis. */
  redisPrefix?: string;
  /** Pool size of each PostgreSQL queue/worker connection (BullMQ adds one LISTEN connection per worker). */
  poolMax?: number;
}

export function createQueueBackend(opts: QueueBackendOptions): QueueBackend {
  if (opts.redisUrl) {
    const { Queue, Worker } = withBackend(createRedisBackend);
    const url = new URL(opts.redisUrl);
    // Workers need `maxRetriesPerRequest: null` (BullMQ's blocking commands); ioredis takes a URL-shaped object.
    const connection = {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    };
    return {
      kind: 'redis',
      createQueue: (name, o = {}) => new Queue(name, { ...o, prefix: opts.redisPrefix, connection }) as unknown as Queue,
      createWorker: (name, processor, o = {}) => new Worker(name, processor, { ...o, prefix: opts.redisPrefix, connection }) as unknown as Worker,
    };
  }
  const { Queue, Worker } = withBackend(createPostgresBackend);
  // A config object (not a bare string): only that form lets BullMQ pin the search_path to our schema.
  // No `migrate`: the app role may not create objects; prepareDatabase migrates as the owner.
  const connection = () => ({ connectionString: opts.databaseUrl, schema: QUEUE_SCHEMA, max: opts.poolMax ?? 4 });
  return {
    kind: 'postgres',
    createQueue: (name, o = {}) => new Queue(name, { ...o, connection: connection() }) as unknown as Queue,
    createWorker: (name, processor, o = {}) => new Worker(name, processor, { ...o, connection: connection() }) as unknown as Worker,
  };
}

/** The queues the application uses (their job-id sequences are created ahead, by the owner). */
export const QUEUE_NAMES = ['tessera'];

/**
 * Creates or upgrades BullMQ's schema as the database owner, then lets `appRole` use it: read and
 * write its tables, call its functions, and nothing more (no DDL). BullMQ creates a queue's
 * job-id sequence on its first add, which the app role may not do: it is created here.
 */
export async function prepareQueueSchema(ownerUrl: string, appRole: string, queueNames: readonly string[] = QUEUE_NAMES): Promise<number> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const version = await runMigrations(client, QUEUE_SCHEMA);
    for (const name of queueNames) {
      const { rows } = await client.query<{ seq: string }>(`select ${QUEUE_SCHEMA}.job_id_seq_name($1) as seq`, [name]);
      await client.query(`create sequence if not exists ${QUEUE_SCHEMA}."${rows[0].seq}"`);
    }
    await client.query(`grant usage on schema ${QUEUE_SCHEMA} to ${appRole}`);
    await client.query(`grant select, insert, update, delete on all tables in schema ${QUEUE_SCHEMA} to ${appRole}`);
    await client.query(`grant usage, select, update on all sequences in schema ${QUEUE_SCHEMA} to ${appRole}`);
    await client.query(`grant execute on all functions in schema ${QUEUE_SCHEMA} to ${appRole}`);
    return version;
  } finally {
    await client.end();
  }
}
