/**
 * `npm run bench:jobs [N]`: enqueues N no-op jobs (bulk add) and runs them with one worker
 * (concurrency 16), on the PostgreSQL backend (embedded PostgreSQL under .tmp/bench-data, or
 * DATABASE_URL) and on Redis (REDIS_URL or 127.0.0.1:6379, when it answers); prints jobs/s and
 * the ratio. Measures the queue itself: no background_job rows, no tenant context.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Queue, Worker } from 'bullmq';
import { prepareDatabase } from '../src/core/db/database';
import { createQueueBackend, type QueueBackend } from '../src/core/jobs/queue-backend';
import { QUEUE_NAME } from '../src/core/jobs/job-queue';

const N = Number(process.argv[2] ?? 2000);

async function run(backend: QueueBackend): Promise<number> {
  // (No obliterate: on PostgreSQL it drops the queue's id sequence, which only the owner may do.)
  const queue: Queue = backend.createQueue(QUEUE_NAME);
  queue.on('error', () => undefined);
  await queue.resume();
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const worker: Worker = backend.createWorker(QUEUE_NAME, async () => {
    if (++done === N) finish();
  }, { concurrency: 16 });
  worker.on('error', () => undefined);
  await queue.waitUntilReady();
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i += 500) {
    await queue.addBulk(Array.from({ length: Math.min(500, N - i) }, (_, j) => ({ name: 'noop', data: { i: i + j }, opts: { removeOnComplete: true } })));
  }
  await finished;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await worker.close();
  await queue.close();
  return N / seconds;
}

async function main() {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const db = await prepareDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: join(process.cwd(), '.tmp', 'bench-data') });
  try {
    const pg = await run(createQueueBackend({ databaseUrl: db.appUrl, poolMax: 8 }));
    console.log(`PostgreSQL backend: ${pg.toFixed(0)} jobs/s (${N} no-op jobs)`);
    let redis: number | null = null;
    try {
      redis = await run(createQueueBackend({ databaseUrl: db.appUrl, redisUrl, redisPrefix: `bench-${randomBytes(3).toString('hex')}` }));
      console.log(`Redis backend:      ${redis.toFixed(0)} jobs/s (${N} no-op jobs)`);
      console.log(`Redis / PostgreSQL: ${(redis / pg).toFixed(2)}×`);
    } catch (err) {
      console.log(`Redis backend: not measured (${(err as Error).message})`);
    }
  } finally {
    await db.stop();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
