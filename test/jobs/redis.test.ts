/**
 * The same runner on BullMQ's Redis backend (REDIS_URL): runs when a Redis answers on
 * 127.0.0.1:6379, otherwise skips and says why. Its own key prefix keeps runs apart.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestApi, type TestApi } from '../support/api';
import { LOCAL_REDIS_URL as REDIS_URL, redisSkipReason } from '../support/redis';
import { createQueueBackend, enqueueJob, JobQueue, JobRegistry, startJobWorkers, type JobWorkers } from '../../src/core/jobs';
import type { App } from '../../src/app';
import { actingContext, countingJob, ownerQuery, probeJob, runs, seededIds, testJobs, waitForJob } from './support';

let available = false;
let api: TestApi;
let app: App;
let workers: JobWorkers;

before(async () => {
  available = (await redisSkipReason()) === null;
  if (!available) {
    console.log('# redis.test: skipped, no Redis answers on 127.0.0.1:6379');
    return;
  }
  api = await startTestApi({ workers: false });
  const prefix = `tessera-test-${randomBytes(4).toString('hex')}`;
  const jobs = new JobQueue(createQueueBackend({ databaseUrl: api.appUrl, redisUrl: REDIS_URL, redisPrefix: prefix }), () => undefined);
  app = { ...api.app, jobs };
  workers = startJobWorkers(app, new JobRegistry(testJobs), { concurrency: 2, log: () => undefined });
});

after(async () => {
  if (!available) return;
  await workers.close();
  await app.jobs.queue.obliterate({ force: true });
  await app.jobs.close();
  await api.close();
});

test('on Redis: a tenant job runs in its tenant, is recorded, and the same key runs once', async (t) => {
  if (!available) return t.skip('no Redis answers on 127.0.0.1:6379');
  assert.equal(app.jobs.backend.kind, 'redis');
  const ids = await seededIds(api.ownerUrl);
  const acme = ids.org('acme');
  const tag = randomBytes(6).toString('hex');

  const ctx = actingContext(app, acme, ids.user('admin@acme.test'));
  const probe = await ctx.db.transactional(async () => enqueueJob(ctx, probeJob, { tag }));
  const once = enqueueJob(ctx, countingJob, { tag: `${tag}-c` }, { key: 'k' });
  const twice = enqueueJob(ctx, countingJob, { tag: `${tag}-c` }, { key: 'k' });
  await ctx.db.finish(true);
  assert.equal(once.jobId, twice.jobId);

  const { state, job } = await waitForJob(app.jobs.queue, probe.jobId);
  assert.equal(state, 'completed');
  assert.deepEqual(job.returnvalue.orgIds, [acme]);
  await waitForJob(app.jobs.queue, once.jobId);
  assert.equal(runs.get(`${tag}-c`)?.length, 1);
  const [row] = await ownerQuery<{ status: string; attempts: number }>(api.ownerUrl, 'select status, attempts from background_job where id = $1', [probe.id]);
  assert.deepEqual(row, { status: 'completed', attempts: 1 });
});
