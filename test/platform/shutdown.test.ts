/**
 * Graceful shutdown of the built server (dist/src/main.js) as a child process on its own copy of
 * the test database: SIGTERM stops accepting, lets the request in flight finish, closes the
 * database and exits 0; a request that never finishes is cut after SHUTDOWN_TIMEOUT_MS.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ShutdownSequence } from '../../src/core/lifecycle/shutdown';
import { createLogger } from '../../src/core/observability/logger';
import { startFlags } from '../../scripts/start-flags';

const adminUrl = process.env.TESSERA_TEST_ADMIN_URL!;
const dbName = `tessera_t_${process.pid}_${randomBytes(3).toString('hex')}`;
let ownerUrl: string;

async function admin(sql: string) {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

before(async () => {
  await admin(`create database ${dbName} template ${process.env.TESSERA_TEST_TEMPLATE}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  ownerUrl = url.toString();
});
after(() => admin(`drop database if exists ${dbName} with (force)`));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface Server {
  child: ChildProcess;
  port: number;
  logs: Record<string, any>[];
  exited: Promise<number | null>;
}

async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  // As npm start runs it, with its Node flags.
  const child = spawn(process.execPath, [...startFlags(process.cwd()), join(process.cwd(), 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: ownerUrl,
      // The app role is cluster-wide: keep the password the other test files use.
      DATABASE_APP_PASSWORD: process.env.TESSERA_TEST_APP_PASSWORD,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-shutdown-')),
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, any>[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!line.startsWith('{')) continue; // the start-up banner
        const entry = JSON.parse(line);
        logs.push(entry);
        if (entry.msg === 'listening') resolve();
      }
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
  });
  return { child, port, logs, exited };
}

/** A POST whose body arrives in two parts: the request is in flight between them. */
function splitRequest(port: number, body: string) {
  const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return { response, finish: () => req.end(body.slice(half)) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('SIGTERM: new connections are refused, the request in flight completes, the process exits 0', async () => {
  const server = await startServer();
  assert.equal((await fetch(`http://127.0.0.1:${server.port}/health`)).status, 200);
  const slow = splitRequest(server.port, JSON.stringify({ query: '{ __typename }' }));
  await sleep(200);
  server.child.kill('SIGTERM');
  await sleep(300);

  await assert.rejects(fetch(`http://127.0.0.1:${server.port}/health`), 'the server still accepts connections');
  assert.equal(server.child.exitCode, null, 'the server exited with a request in flight');

  slow.finish();
  const res = await slow.response;
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.body), { data: { __typename: 'Query' } });
  assert.equal(await server.exited, 0);
  const finished = server.logs.find((l) => l.msg === 'shutdown finished');
  assert.equal(finished?.ok, true);
  assert.equal(finished?.reason, 'SIGTERM');
});

test('a request still unfinished after SHUTDOWN_TIMEOUT_MS is cut and the process still exits', async () => {
  const server = await startServer({ SHUTDOWN_TIMEOUT_MS: '500' });
  const stalled = splitRequest(server.port, JSON.stringify({ query: '{ __typename }' }));
  await sleep(200);
  const signalled = Date.now();
  server.child.kill('SIGTERM');
  await assert.rejects(stalled.response); // the connection is closed under it
  assert.equal(await server.exited, 0);
  assert.ok(Date.now() - signalled < 5000, 'the drain waited past its timeout');
  assert.ok(server.logs.some((l) => l.msg === 'shutdown: cutting HTTP requests still in flight'));
});

test('the shutdown sequence runs its phases in order, goes on past a failing step and runs once', async () => {
  const sequence = new ShutdownSequence(createLogger({ level: 'silent' }), 1000);
  const order: string[] = [];
  sequence.hook('database', 'db', async () => void order.push('database'));
  sequence.hook('connections', 'orm', async () => void order.push('connections'));
  sequence.hook('work', 'workers', async () => {
    order.push('work');
    throw new Error('worker would not stop');
  });
  sequence.hook('listeners', 'http', async () => {
    await sleep(50);
    order.push('listeners');
  });
  const [first, second] = await Promise.all([sequence.run('test'), sequence.run('again')]);
  assert.equal(first, false);
  assert.equal(second, false);
  assert.deepEqual(order, ['listeners', 'work', 'connections', 'database']);
  assert.throws(() => sequence.hook('work', 'late', async () => {}), /has started/);
});
