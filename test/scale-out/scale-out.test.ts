/**
 * Scale-out end to end: the built server as separate processes — API A, API B and a job worker —
 * on one database and one Redis (REDIS_URL) behave as one server. Events cross processes, a job
 * enqueued through either API runs once, and a worker killed mid-job leaves its jobs to another.
 * Skipped, with the reason printed, when no Redis answers on 127.0.0.1:6379.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { APP_ROLE, withCredentials } from '../../src/core/db/database';
import { hashOpaqueToken } from '../../src/core/auth/opaque-tokens';
import { createQueueBackend } from '../../src/core/jobs/queue-backend';
import { QUEUE_NAME } from '../../src/core/jobs/job-queue';
import { DEMO_PASSWORD, demoEmail } from '../../src/seed';
import { ChangePasswordDocument, LoginDocument, NotificationAddedDocument, RequestPasswordResetDocument } from '../__generated__/graphql';
import { LOCAL_REDIS_URL, redisSkipReason } from '../support/redis';
import { connectWs, record, type WsConnection } from '../support/ws';

/** The repository root (this file runs from dist/test/scale-out/): the children run the built server from there. */
const ROOT = join(__dirname, '..', '..', '..');
/** A dead worker's jobs are queued again after this long (JOB_LOCK_MS), instead of BullMQ's 30 s. */
const JOB_LOCK_MS = 2000;
const ROLES = ['owner', 'admin', 'member', 'sales', 'support', 'csr.manager', 'finance.officer', 'me.officer', 'recipient', 'editor', 'analyst', 'auditor', 'supervisor'];
const USERS = [...ROLES.map((r) => demoEmail(r, 'acme')), ...ROLES.map((r) => demoEmail(r, 'globex'))];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it returns a value other than undefined, or fails naming `what`. */
async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A server process started from dist/, with its output kept for the failure message. */
class Child {
  readonly proc: ChildProcess;
  output = '';
  exited: Promise<number | null>;

  constructor(
    readonly name: string,
    script: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.proc = spawn(process.execPath, ['--enable-source-maps', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.proc.stdout!.on('data', keep);
    this.proc.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Fails, with the child's output, once it has exited. */
  assertRunning(): void {
    if (!this.running) throw new Error(`${this.name} exited (${this.proc.exitCode ?? this.proc.signalCode}):\n${this.output}`);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.running) this.proc.kill(signal);
    await this.exited;
  }
}

interface Api {
  child: Child;
  url: string;
  gql<T, V>(doc: TypedDocumentNode<T, V>, variables: V, token?: string): Promise<{ data?: T | null; errors?: { message: string }[] }>;
}

let skipReason: string | null = null;
const children: Child[] = [];
let dbName = '';
let adminUrl = '';
let ownerUrl = '';
let childEnv: NodeJS.ProcessEnv = {};
let queuePrefix = '';
let pubsubPrefix = '';
let queue: Queue | undefined;
let redis: Redis | undefined;
let apiA: Api;
let apiB: Api;
let worker: Child;

async function startApi(name: string): Promise<Api> {
  const port = await freePort();
  const child = new Child(name, 'dist/src/main.js', { ...childEnv, PORT: String(port), HOST: '127.0.0.1' });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await until(`${name} /health/ready`, 30_000, async () => {
    child.assertRunning();
    const res = await fetch(`${base}/health/ready`).catch(() => null);
    return res?.status === 200 ? true : undefined;
  }, 100);
  return {
    child,
    url: `${base}/graphql`,
    async gql(doc, variables, token) {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: print(doc), variables }),
      });
      return (await res.json()) as { data?: never; errors?: { message: string }[] };
    },
  };
}

/** `npm run worker`'s program; resolves once it says it runs jobs. */
async function startWorker(name: string): Promise<Child> {
  const child = new Child(name, 'dist/src/worker.js', childEnv);
  children.push(child);
  await until(`${name} to start`, 30_000, async () => {
    child.assertRunning();
    return child.output.includes('Tessera worker running') ? true : undefined;
  }, 50);
  return child;
}

async function ownerQuery<R>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}

/** The recorded password-reset emails whose token belongs to a reset requested after `since`. */
async function resetMessagesSince(since: Date): Promise<{ recipient: string; tokenHash: string }[]> {
  const rows = await ownerQuery<{ recipient: string; token: string }>(
    "select recipient, data->>'token' as token from messaging_recorded_message where template = 'password_reset' and created_at >= $1",
    [since],
  );
  return rows.map((r) => ({ recipient: r.recipient, tokenHash: hashOpaqueToken(r.token) }));
}

/** Hashes of the password-reset tokens issued after `since` (one per accepted request). */
async function resetTokensSince(since: Date): Promise<string[]> {
  const rows = await ownerQuery<{ token_hash: string }>(
    "select token_hash from identity_user_token where purpose = 'password_reset' and created_at >= $1",
    [since],
  );
  return rows.map((r) => r.token_hash);
}

/** Sends `count` password-reset requests, alternating between API A and B and cycling through the seeded users. */
async function requestResets(count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const res = await (i % 2 === 0 ? apiA : apiB).gql(RequestPasswordResetDocument, { email: USERS[i % USERS.length] });
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    }),
  );
}

/** The queue's password-reset email jobs, in any state. */
const resetJobs = async (): Promise<Job[]> =>
  (await queue!.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized'])).filter(
    (j) => j.name === 'send-message' && (j.data as { payload?: { template?: string } }).payload?.template === 'password_reset',
  );

before(async () => {
  skipReason = await redisSkipReason();
  if (skipReason) {
    console.log(`# scale-out test skipped: ${skipReason}`);
    return;
  }
  adminUrl = process.env.TESSERA_TEST_ADMIN_URL!;
  const template = process.env.TESSERA_TEST_TEMPLATE!;
  const appPassword = process.env.TESSERA_TEST_APP_PASSWORD!;
  assert.ok(adminUrl && template && appPassword, 'TESSERA_TEST_* are not set: run the tests with npm test');
  dbName = `tessera_t_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName} template ${template}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  ownerUrl = url.toString();

  // Private Redis namespaces: other runs (and other test files) may share this Redis.
  const run = `tessera-scale-${randomBytes(4).toString('hex')}`;
  queuePrefix = run;
  pubsubPrefix = `${run}:`;
  childEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: ownerUrl,
    DATABASE_APP_PASSWORD: appPassword,
    REDIS_URL: LOCAL_REDIS_URL,
    PUBSUB_CHANNEL_PREFIX: pubsubPrefix,
    QUEUE_PREFIX: queuePrefix,
    JOB_LOCK_MS: String(JOB_LOCK_MS),
    WORKERS_IN_PROCESS: 'false',
    SEED_DEMO: 'false',
    CLEANUP_SCHEDULE: 'off',
    FILE_URL_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn',
  };
  // The same queue, seen from here: counts and job states.
  queue = createQueueBackend({ databaseUrl: withCredentials(ownerUrl, APP_ROLE, appPassword), redisUrl: LOCAL_REDIS_URL, redisPrefix: queuePrefix }).createQueue(QUEUE_NAME);
  redis = new Redis(LOCAL_REDIS_URL);

  // One after the other: each start prepares the database (role, grants), which must not race.
  const started = Date.now();
  apiA = await startApi('API A');
  apiB = await startApi('API B');
  worker = await startWorker('worker 1');
  console.log(`# scale-out: two APIs and a worker ready in ${Date.now() - started} ms`);
});

after(async () => {
  await Promise.all(children.map((c) => c.kill()));
  if (queue) {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
  redis?.disconnect();
  if (dbName) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
});

test('an event published through API A reaches a subscriber connected to API B', async (t) => {
  if (skipReason) return t.skip(skipReason);
  const login = async (role: string) => {
    const res = await apiA.gql(LoginDocument, { input: { email: demoEmail(role, 'acme'), password: DEMO_PASSWORD } });
    assert.ok(res.data, JSON.stringify(res.errors));
    return res.data.login.accessToken;
  };
  const token = await login('csr.manager');
  const sockets: WsConnection[] = [connectWs(apiB.url, token), connectWs(apiA.url, await login('support'))];
  try {
    const recipient = record(sockets[0], NotificationAddedDocument);
    const colleague = record(sockets[1], NotificationAddedDocument);
    // Both servers listen on the organization's channel once their subscribers are in place.
    await until('both servers to subscribe in Redis', 5000, async () => {
      const channels = (await redis!.pubsub('CHANNELS', `${pubsubPrefix}*`)) as string[];
      if (channels.length === 0) return undefined;
      const counts = (await redis!.pubsub('NUMSUB', ...channels)) as (string | number)[];
      const listeners = counts.filter((_, i) => i % 2 === 1).reduce<number>((n, c) => n + Number(c), 0);
      return listeners >= 2 ? true : undefined;
    }, 20);

    const sent = Date.now();
    const res = await apiA.gql(ChangePasswordDocument, { input: { currentPassword: DEMO_PASSWORD, newPassword: 'Another-Pass-2026!' } }, token);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const [event] = await recipient.waitForEvents(1, 5000);
    console.log(`# scale-out: mutation on A to event on B in ${Date.now() - sent} ms`);
    assert.equal(event.notificationAdded.type, 'password_changed');
    // The other subscriber (same organization, another user) got nothing: filtering holds across processes.
    await sleep(200);
    assert.equal(colleague.events.length, 0);
    assert.deepEqual([...recipient.errors, ...colleague.errors], []);
  } finally {
    await Promise.all(sockets.map((s) => s.dispose()));
  }
});

test('a job enqueued through either API runs exactly once', async (t) => {
  if (skipReason) return t.skip(skipReason);
  const since = new Date();
  const started = Date.now();
  await requestResets(USERS.length);

  const tokens = await resetTokensSince(since);
  assert.equal(tokens.length, USERS.length);
  const messages = await until('one reset email per user', 20_000, async () => {
    const rows = await resetMessagesSince(since);
    return rows.length >= USERS.length ? rows : undefined;
  });
  console.log(`# scale-out: ${USERS.length} emails through A and B sent by the worker in ${Date.now() - started} ms`);
  assert.deepEqual(messages.map((m) => m.recipient).sort(), [...USERS].sort());
  assert.deepEqual(messages.map((m) => m.tokenHash).sort(), [...tokens].sort());

  // BullMQ's side: one job per email, each completed after a single start (no second run anywhere).
  const jobs = await until('the send jobs to complete', 5000, async () => {
    const all = await resetJobs();
    return all.length === USERS.length && all.every((j) => j.finishedOn) ? all : undefined;
  });
  assert.deepEqual(await Promise.all(jobs.map((j) => j.getState())), jobs.map(() => 'completed'));
  assert.deepEqual(jobs.map((j) => j.attemptsStarted), jobs.map(() => 1));
  assert.deepEqual(await queue!.getJobCounts('failed', 'active', 'waiting'), { failed: 0, active: 0, waiting: 0 });
});

test('a worker killed mid-job leaves its jobs to another worker: every email is sent, none twice', async (t) => {
  if (skipReason) return t.skip(skipReason);
  const burst = 150;
  const before = new Set((await resetJobs()).map((j) => j.id));
  await worker.kill('SIGTERM');
  const since = new Date();
  // The burst is sent while worker 2 starts: it is killed as soon as it runs jobs, with more to come.
  const sending = requestResets(burst);
  const doomed = await startWorker('worker 2');
  const doomedName = `${hostname()}:${doomed.proc.pid}`;
  await until('worker 2 to be running jobs', 10_000, async () => ((await queue!.getActive()).some((j) => j.processedBy === doomedName) ? true : undefined), 5);
  doomed.proc.kill('SIGKILL');
  await doomed.exited;
  const killedAt = Date.now();
  const stranded = (await queue!.getActive()).filter((j) => j.processedBy === doomedName).map((j) => j.id!);
  assert.ok(stranded.length > 0, 'worker 2 left no job running');
  await sending;
  // A new reset token replaces the user's previous one: count the accepted requests in the audit log instead.
  const [{ count: requested }] = await ownerQuery<{ count: string }>(
    "select count(*) from audit_log where action = 'auth.password_reset_request' and created_at >= $1 and (changes->>'sent')::boolean",
    [since],
  );
  assert.equal(Number(requested), burst);
  assert.ok((await resetMessagesSince(since)).length < burst, 'worker 2 sent the whole burst before it was killed');

  const survivor = await startWorker('worker 3');
  const messages = await until('every email of the burst', 30_000, async () => {
    const rows = await resetMessagesSince(since);
    return rows.length >= burst ? rows : undefined;
  }, 100);
  console.log(`# scale-out: ${stranded.length} jobs stranded by the SIGKILL; all ${burst} emails sent ${Date.now() - killedAt} ms after it`);
  // One email per request: the requested recipients, each email with its own token.
  assert.equal(messages.length, burst);
  assert.equal(new Set(messages.map((m) => m.tokenHash)).size, burst);
  assert.deepEqual(messages.map((m) => m.recipient).sort(), Array.from({ length: burst }, (_, i) => USERS[i % USERS.length]).sort());
  // Each user's newest token is among them (the emails carry the tokens the API issued).
  const hashes = new Set(messages.map((m) => m.tokenHash));
  for (const hash of await resetTokensSince(since)) assert.ok(hashes.has(hash), 'an issued reset token was never emailed');

  const jobs = await until('the burst to complete', 10_000, async () => {
    const all = (await resetJobs()).filter((j) => !before.has(j.id));
    return all.length === burst && all.every((j) => j.finishedOn) ? all : undefined;
  });
  assert.deepEqual(await Promise.all(jobs.map((j) => j.getState())), jobs.map(() => 'completed'));
  // The stranded jobs were given back by the stalled check and run again, to the end, by worker 3.
  const survivorName = `${hostname()}:${survivor.proc.pid}`;
  for (const id of stranded) {
    const job = jobs.find((j) => j.id === id)!;
    assert.equal(job.processedBy, survivorName, `job ${id} was not run again by worker 3`);
    assert.ok(job.attemptsStarted >= 2, `job ${id} started ${job.attemptsStarted} time(s)`);
  }
  assert.deepEqual(await queue!.getJobCounts('failed', 'active', 'waiting'), { failed: 0, active: 0, waiting: 0 });
});
