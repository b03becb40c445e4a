/**
 * jobProgress over a real graphql-ws client: the user who started a job follows its status and
 * progress; a member without job:read does not see another's job; another tenant sees nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestApi, type TestApi } from '../support/api';
import { connectWs, record } from '../support/ws';
import { JobProgressDocument } from '../__generated__/graphql';
import { enqueueJob, JobRegistry, startJobWorkers, type JobWorkers } from '../../src/core/jobs';
import { allJobs } from '../../src/jobs';
import { relayJobProgress } from '../../src/services/jobs';
import { actingContext, probeJob, seededIds, testJobs } from './support';

let api: TestApi;
let workers: JobWorkers;
let stopRelay: () => void;
let ids: Awaited<ReturnType<typeof seededIds>>;

before(async () => {
  api = await startTestApi({ workers: false });
  workers = startJobWorkers(api.app, new JobRegistry([...allJobs, ...testJobs]), { concurrency: 2, log: () => undefined });
  stopRelay = relayJobProgress(api.app);
  ids = await seededIds(api.ownerUrl);
});
after(async () => {
  stopRelay();
  await workers.close();
  await api.close();
});

test('the starter follows its job from running to completed; others of the tenant without job:read and another tenant do not', async () => {
  const starter = connectWs(api.server.url, await api.login('member', 'acme'));
  const colleague = connectWs(api.server.url, await api.login('sales', 'acme'));
  const admin = connectWs(api.server.url, await api.login('admin', 'acme'));
  const outsider = connectWs(api.server.url, await api.login('admin', 'globex'));
  const mine = record(starter, JobProgressDocument, {});
  const theirs = record(colleague, JobProgressDocument, {});
  const all = record(admin, JobProgressDocument, {});
  const foreign = record(outsider, JobProgressDocument, {});
  await new Promise((r) => setTimeout(r, 300));

  const ctx = actingContext(api.app, ids.org('acme'), ids.user('member@acme.test'));
  const queued = await ctx.db.transactional(async () => enqueueJob(ctx, probeJob, { tag: randomBytes(4).toString('hex') }));
  await ctx.db.finish(true);

  const events = await mine.waitForEvents(4, 10_000);
  const statuses = events.map((e) => [e.jobProgress.status, e.jobProgress.progress]);
  assert.deepEqual(statuses, [['QUEUED', 0], ['RUNNING', 0], ['RUNNING', 50], ['COMPLETED', 100]]);
  assert.ok(events.every((e) => e.jobProgress.jobId === queued.id && e.jobProgress.type === 'test-probe'));
  await all.waitForEvents(4, 5000);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(theirs.events.length, 0);
  assert.equal(foreign.events.length, 0);
  await Promise.all([starter, colleague, admin, outsider].map((c) => c.dispose()));
});
