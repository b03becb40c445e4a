/**
 * Background jobs on the PostgreSQL backend (embedded PostgreSQL, real BullMQ queue and worker):
 * tenant context, refusals, retries, idempotency, enqueue-after-commit, API visibility, cleanup.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestApi, errorCode, type TestApi } from '../support/api';
import { BackgroundJobDocument, BackgroundJobsDocument } from '../__generated__/graphql';
import { enqueueJob, JobRegistry, onJobProgress, scheduleSystemJob, startJobWorkers, type JobProgressEvent, type JobWorkers } from '../../src/core/jobs';
import { allJobs, cleanupExpiredJob, queueMessage } from '../../src/jobs';
import { actingContext, countingJob, failingJob, ownerQuery, probeJob, runs, seededIds, testJobs, waitForJob } from './support';

let api: TestApi;
let workers: JobWorkers;
let ids: Awaited<ReturnType<typeof seededIds>>;
let acme: string;
let globex: string;

before(async () => {
  api = await startTestApi({ workers: false });
  workers = startJobWorkers(api.app, new JobRegistry([...allJobs, ...testJobs]), { concurrency: 4, log: () => undefined });
  ids = await seededIds(api.ownerUrl);
  acme = ids.org('acme');
  globex = ids.org('globex');
});
after(async () => {
  await workers.close();
  await api.close();
});

const tag = () => randomBytes(6).toString('hex');
const jobRow = async (id: string) =>
  (await ownerQuery<Record<string, any>>(api.ownerUrl, 'select * from background_job where id = $1', [id]))[0];

/** Enqueues like a mutation does: inside the transaction, dispatched when it commits. */
async function enqueueCommitted<P>(tenantId: string | null, actorId: string | null, def: Parameters<typeof enqueueJob<P>>[1], payload: P, key?: string) {
  const ctx = actingContext(api.app, tenantId, actorId);
  const queued = await ctx.db.transactional(async () => enqueueJob(ctx, def, payload, { key }));
  await ctx.db.finish(true);
  return queued;
}

describe('tenant context', () => {
  test('a job runs with its tenant and actor, sees only that tenant, and records its progress', async () => {
    const admin = ids.user('admin@acme.test');
    const [globexMembership] = await ownerQuery<{ id: string }>(api.ownerUrl, 'select id from tenancy_membership where organization_id = $1 limit 1', [globex]);
    const events: JobProgressEvent[] = [];
    const stop = onJobProgress((e) => events.push(e));
    const t = tag();
    const queued = await enqueueCommitted(acme, admin, probeJob, { tag: t, otherMembershipId: globexMembership.id });
    const { job, state } = await waitForJob(api.app.jobs.queue, queued.jobId);
    stop();
    assert.equal(state, 'completed');
    assert.deepEqual(job.returnvalue, { orgIds: [acme], otherVisible: false, actorId: admin });

    const row = await jobRow(queued.id!);
    assert.equal(row.organization_id, acme);
    assert.equal(row.actor_id, admin);
    assert.equal(row.type, 'test-probe');
    assert.equal(row.status, 'completed');
    assert.equal(row.progress, 100);
    assert.equal(row.attempts, 1);
    assert.deepEqual(row.payload_summary, { tag: t });
    assert.ok(row.started_at && row.finished_at && row.queued_at <= row.started_at);

    const mine = events.filter((e) => e.jobId === queued.id);
    assert.deepEqual(mine.map((e) => [e.status, e.progress]), [['queued', 0], ['running', 0], ['running', 50], ['completed', 100]]);
    assert.ok(mine.every((e) => e.organizationId === acme && e.actorId === admin && e.type === 'test-probe'));
  });

  test('a payload without tenantId is refused before the job runs, without retries', async () => {
    const t = tag();
    const job = await api.app.jobs.queue.add('test-probe', { payload: { tag: t } }, { attempts: 3 });
    const { state, job: done } = await waitForJob(api.app.jobs.queue, job.id!);
    assert.equal(state, 'failed');
    assert.match(done.failedReason, /carries no tenantId/);
    assert.equal(done.attemptsMade, 1);
    assert.equal(runs.get(t), undefined);
    // Nor can a tenant job be enqueued from a context without a tenant.
    assert.throws(() => enqueueJob(actingContext(api.app, null, null), probeJob, { tag: t }), /needs a tenant/);
  });
});

describe('retries', () => {
  test('a failing job is retried with exponential backoff, then failed with its attempts recorded', async () => {
    const t = tag();
    const queued = await enqueueCommitted(acme, ids.user('admin@acme.test'), failingJob, { tag: t, domain: true });
    const { state, job } = await waitForJob(api.app.jobs.queue, queued.jobId);
    assert.equal(state, 'failed');
    assert.equal(job.attemptsMade, 3);
    const starts = runs.get(t)!;
    assert.equal(starts.length, 3);
    // Lower bounds only: 100 ms before the 2nd attempt, 200 ms before the 3rd.
    assert.ok(starts[1] - starts[0] >= 95, `first backoff ${starts[1] - starts[0]} ms`);
    assert.ok(starts[2] - starts[1] >= 195, `second backoff ${starts[2] - starts[1]} ms`);
    const row = await jobRow(queued.id!);
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 3);
    assert.equal(row.max_attempts, 3);
    assert.equal(row.last_error, 'Upstream refused the request');
    assert.ok(row.finished_at);
  });

  test('an internal error is recorded as a safe message', async () => {
    const t = tag();
    const queued = await enqueueCommitted(acme, null, failingJob, { tag: t, domain: false });
    await waitForJob(api.app.jobs.queue, queued.jobId);
    const row = await jobRow(queued.id!);
    assert.equal(row.status, 'failed');
    assert.equal(row.last_error, 'Internal error');
  });
});

describe('idempotency and commit', () => {
  test('the same idempotency key runs once; another key runs again', async () => {
    const t = tag();
    const first = await enqueueCommitted(acme, null, countingJob, { tag: t }, 'order-42');
    const second = await enqueueCommitted(acme, null, countingJob, { tag: t }, 'order-42');
    assert.deepEqual(second, first);
    await api.drainJobs();
    // Enqueued again after it ran: still once.
    await enqueueCommitted(acme, null, countingJob, { tag: t }, 'order-42');
    await api.drainJobs();
    assert.equal(runs.get(t)?.length, 1);
    const third = await enqueueCommitted(acme, null, countingJob, { tag: t }, 'order-43');
    assert.notEqual(third.id, first.id);
    await api.drainJobs();
    assert.equal(runs.get(t)?.length, 2);
    const rows = await ownerQuery(api.ownerUrl, "select id from background_job where type = 'test-counting' and payload_summary = '{}' and id = any($1)", [[first.id, third.id]]);
    assert.equal(rows.length, 2);
  });

  test('without a key, the same payload runs once per tenant', async () => {
    const t = tag();
    const a = await enqueueCommitted(acme, null, countingJob, { tag: t });
    const b = await enqueueCommitted(acme, null, countingJob, { tag: t });
    const c = await enqueueCommitted(globex, null, countingJob, { tag: t });
    assert.equal(a.id, b.id);
    assert.notEqual(a.id, c.id);
    await api.drainJobs();
    assert.equal(runs.get(t)?.length, 2);
  });

  test('enqueued inside a mutation that fails, or a request that rolls back: nothing is queued or runs', async () => {
    const t = tag();
    const ctx = actingContext(api.app, acme, null);
    let queued: { id: string | null; jobId: string } | undefined;
    await assert.rejects(
      ctx.db.transactional(async () => {
        queued = enqueueJob(ctx, countingJob, { tag: t });
        throw new Error('validation failed');
      }),
      /validation failed/,
    );
    // The request itself goes on and commits: the failed mutation's job stays dropped.
    await ctx.db.finish(true);

    const ctx2 = actingContext(api.app, acme, null);
    const rolledBack = await ctx2.db.transactional(async () => enqueueJob(ctx2, countingJob, { tag: `${t}-2` }));
    await ctx2.db.finish(false);

    await api.drainJobs();
    for (const q of [queued!, rolledBack]) {
      assert.equal(await api.app.jobs.queue.getJob(q.jobId), undefined);
      assert.equal(await jobRow(q.id!), undefined);
    }
    assert.equal(runs.get(t), undefined);
    assert.equal(runs.get(`${t}-2`), undefined);
  });
});

describe('API', () => {
  let memberJob: string;
  let adminJob: string;
  before(async () => {
    memberJob = (await enqueueCommitted(acme, ids.user('member@acme.test'), countingJob, { tag: tag() })).id!;
    adminJob = (await enqueueCommitted(acme, ids.user('admin@acme.test'), failingJob, { tag: tag(), domain: true })).id!;
    await api.drainJobs();
  });

  test('a member sees the jobs they started, not the others', async () => {
    const member = await api.login('member', 'acme');
    const own = await api.gql(BackgroundJobDocument, { id: memberJob }, member);
    assert.equal(own.errors, undefined);
    assert.equal(own.data!.backgroundJob.status, 'COMPLETED');
    assert.equal(own.data!.backgroundJob.attempts, 1);
    assert.deepEqual(own.data!.backgroundJob.result, { ran: true });
    assert.equal(errorCode(await api.gql(BackgroundJobDocument, { id: adminJob }, member)), 'NOT_FOUND');
    const list = await api.gql(BackgroundJobsDocument, {}, member);
    assert.deepEqual(list.data!.backgroundJobs.edges.map((e) => e.node.id), [memberJob]);
  });

  test('job:read (admin) sees every job of the organization, newest first, filtered by type and status', async () => {
    const admin = await api.login('admin', 'acme');
    const failed = await api.gql(BackgroundJobDocument, { id: adminJob }, admin);
    assert.equal(failed.data!.backgroundJob.status, 'FAILED');
    assert.equal(failed.data!.backgroundJob.lastError, 'Upstream refused the request');
    assert.equal((await api.gql(BackgroundJobDocument, { id: memberJob }, admin)).data!.backgroundJob.id, memberJob);

    const all = (await api.gql(BackgroundJobsDocument, { first: 100 }, admin)).data!.backgroundJobs;
    const times = all.edges.map((e) => new Date(e.node.createdAt).getTime());
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    assert.ok(all.edges.some((e) => e.node.id === memberJob) && all.edges.some((e) => e.node.id === adminJob));

    const onlyFailed = (await api.gql(BackgroundJobsDocument, { filter: { status: { eq: 'FAILED' }, type: { eq: 'test-failing' } }, first: 100 }, admin)).data!.backgroundJobs;
    assert.ok(onlyFailed.edges.length >= 1);
    assert.ok(onlyFailed.edges.every((e) => e.node.status === 'FAILED' && e.node.type === 'test-failing'));
    assert.ok(!onlyFailed.edges.some((e) => e.node.id === memberJob));
  });

  test('another organization’s job is NOT_FOUND, even with job:read; anonymous is UNAUTHENTICATED', async () => {
    const globexAdmin = await api.login('admin', 'globex');
    assert.equal(errorCode(await api.gql(BackgroundJobDocument, { id: adminJob }, globexAdmin)), 'NOT_FOUND');
    const list = (await api.gql(BackgroundJobsDocument, { first: 100 }, globexAdmin)).data!.backgroundJobs;
    assert.ok(!list.edges.some((e) => e.node.id === adminJob || e.node.id === memberJob));
    assert.equal(errorCode(await api.gql(BackgroundJobDocument, { id: memberJob })), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(BackgroundJobsDocument, {})), 'UNAUTHENTICATED');
  });
});

describe('send-message', () => {
  test('a message is sent by the job after commit, once per key', async () => {
    const to = `jobs-${tag()}@example.test`;
    const ctx = actingContext(api.app, acme, null);
    await ctx.db.transactional(async () => {
      queueMessage(ctx, { channel: 'email', to, subject: 'Hello', text: 'Hi there', template: 'test_hello' }, 'k1');
      queueMessage(ctx, { channel: 'email', to, subject: 'Hello', text: 'Hi there', template: 'test_hello' }, 'k1');
    });
    assert.equal((await ownerQuery(api.ownerUrl, 'select 1 from messaging_recorded_message where recipient = $1', [to])).length, 0);
    await ctx.db.finish(true);
    await api.drainJobs();
    const sent = await ownerQuery<{ subject: string }>(api.ownerUrl, 'select subject from messaging_recorded_message where recipient = $1', [to]);
    assert.deepEqual(sent.map((m) => m.subject), ['Hello']);
  });
});

describe('cleanup-expired', () => {
  test('is scheduled as a repeatable job', async () => {
    await scheduleSystemJob(api.app, cleanupExpiredJob, '17 * * * *');
    const scheduler = await api.app.jobs.queue.getJobScheduler('cleanup-expired');
    assert.equal(scheduler?.pattern, '17 * * * *');
  });

  test('deletes expired credentials, invitations and abandoned uploads in every organization, and nothing else', async () => {
    const user = ids.user('member@acme.test');
    const q = (sql: string, params: unknown[] = []) => ownerQuery<{ id: string }>(api.ownerUrl, sql, params);
    const session = (expires: string, revoked = false) =>
      q(`insert into identity_session (id, created_at, updated_at, user_id, last_used_at, expires_at, revoked_at)
         values (gen_random_uuid(), now(), now(), $1, now(), now() + $2::interval, ${revoked ? 'now()' : 'null'}) returning id`, [user, expires]).then((r) => r[0].id);
    const refresh = (sessionId: string, expires: string) =>
      q(`insert into identity_refresh_token (id, created_at, updated_at, session_id, token_hash, expires_at)
         values (gen_random_uuid(), now(), now(), $1, $2, now() + $3::interval) returning id`, [sessionId, tag(), expires]).then((r) => r[0].id);
    const userToken = (expires: string, used: boolean) =>
      q(`insert into identity_user_token (id, created_at, updated_at, user_id, purpose, token_hash, expires_at, used_at)
         values (gen_random_uuid(), now(), now(), $1, 'password_reset', $2, now() + $3::interval, ${used ? 'now()' : 'null'}) returning id`, [user, tag(), expires]).then((r) => r[0].id);
    const invitation = (org: string, expires: string, accepted: boolean) =>
      q(`insert into tenancy_invitation (id, created_at, updated_at, organization_id, email, role_ids, token_hash, expires_at, accepted_at)
         values (gen_random_uuid(), now(), now(), $1, $2, '{}', $3, now() + $4::interval, ${accepted ? 'now()' : 'null'}) returning id`, [org, `${tag()}@x.test`, tag(), expires]).then((r) => r[0].id);
    const oldJob = (org: string, finishedAgo: string) =>
      q(`insert into background_job (id, created_at, updated_at, organization_id, type, job_key, status, progress, attempts, max_attempts, payload_summary, queued_at, finished_at)
         values (gen_random_uuid(), now(), now(), $1, 'test-old', $2, 'completed', 100, 1, 1, '{}', now(), now() - $3::interval) returning id`, [org, tag(), finishedAgo]).then((r) => r[0].id);

    const upload = (org: string, expires: string) =>
      q(`insert into files_file (id, created_at, updated_at, organization_id, name, mime_type, declared_mime_type, size, status, expires_at)
         values (gen_random_uuid(), now(), now(), $1, 'a.csv', 'text/csv', 'text/csv', 10, 'pending', now() + $2::interval) returning id`, [org, expires]).then((r) => r[0].id);

    const expiredSession = await session('-1 hour');
    const liveSession = await session('1 day');
    const revokedLiveSession = await session('1 day', true);
    const tokenOfExpiredSession = await refresh(liveSession, '1 day'); // stays: its session is live
    const expiredRefresh = await refresh(liveSession, '-1 minute');
    const liveRefreshOfExpired = await refresh(expiredSession, '1 day'); // goes with its session
    const usedToken = await userToken('1 hour', true);
    const expiredToken = await userToken('-1 hour', false);
    const liveToken = await userToken('1 hour', false);
    const expiredAcme = await invitation(acme, '-1 day', false);
    const expiredGlobex = await invitation(globex, '-1 day', false);
    const pending = await invitation(acme, '6 days', false);
    const acceptedExpired = await invitation(acme, '-1 day', true);
    const oldRecord = await oldJob(acme, '31 days');
    const recentRecord = await oldJob(globex, '1 day');
    const abandonedUpload = await upload(globex, '-1 day');
    const openUpload = await upload(acme, '10 minutes');

    const queued = await enqueueCommitted(null, null, cleanupExpiredJob, {}, tag());
    assert.equal(queued.id, null);
    const { state, job } = await waitForJob(api.app.jobs.queue, queued.jobId);
    assert.equal(state, 'completed');
    assert.ok(job.returnvalue.organizations >= 2);
    await api.drainJobs();

    const exists = async (table: string, id: string) => (await q(`select id from ${table} where id = $1`, [id])).length === 1;
    const expectations: [string, string, boolean][] = [
      ['identity_session', expiredSession, false],
      ['identity_session', liveSession, true],
      ['identity_session', revokedLiveSession, true],
      ['identity_refresh_token', tokenOfExpiredSession, true],
      ['identity_refresh_token', expiredRefresh, false],
      ['identity_refresh_token', liveRefreshOfExpired, false],
      ['identity_user_token', usedToken, false],
      ['identity_user_token', expiredToken, false],
      ['identity_user_token', liveToken, true],
      ['tenancy_invitation', expiredAcme, false],
      ['tenancy_invitation', expiredGlobex, false],
      ['tenancy_invitation', pending, true],
      ['tenancy_invitation', acceptedExpired, true],
      ['background_job', oldRecord, false],
      ['background_job', recentRecord, true],
      ['files_file', abandonedUpload, false],
      ['files_file', openUpload, true],
    ];
    for (const [table, id, kept] of expectations) assert.equal(await exists(table, id), kept, `${table} ${id} should be ${kept ? 'kept' : 'deleted'}`);

    // One cleanup-tenant job per organization, recorded in that organization.
    const fanned = await q(`select organization_id as id from background_job where type = 'cleanup-tenant' and status = 'completed'`);
    assert.ok(fanned.some((r) => r.id === acme) && fanned.some((r) => r.id === globex));
  });
});
