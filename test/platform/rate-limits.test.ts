/**
 * Rate limits: auth operations per IP + email, general per user (or IP), uploads; RATE_LIMITED
 * with HTTP 429, Retry-After and extensions.retryAfter. PostgreSQL store by default; the Redis
 * store when one answers on 127.0.0.1:6379.
 */
import { after, before, test } from 'node:test';
import { connectWs, record } from '../support/ws';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { print } from 'graphql';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { consumeUploadLimit } from '../../src/core/http/rate-limits';
import { LoginDocument, MeDocument } from '../__generated__/graphql';
import { DEMO_PASSWORD, demoEmail, errorCode, startTestApi, type TestApi } from '../support/api';
import { redisSkipReason } from '../support/redis';

const limits = { RATE_LIMIT_AUTH: '3', RATE_LIMIT_GENERAL: '6', RATE_LIMIT_UPLOADS: '2', RATE_LIMIT_WINDOW_SECONDS: '60' };

let api: TestApi;
before(async () => {
  api = await startTestApi({ env: limits });
});
after(() => api.close());

/** A fresh client address per scenario (the server trusts X-Forwarded-For from loopback). */
const newIp = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

async function raw(target: TestApi, body: unknown, ip: string, token?: string) {
  const res = await fetch(target.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as any };
}

const loginBody = (email: string, password = 'wrong-password') => ({ query: print(LoginDocument), variables: { input: { email, password } } });

test('auth operations: 3 per IP and email, then RATE_LIMITED with 429 and a retry-after', async () => {
  const ip = newIp();
  const email = demoEmail('member', 'acme');
  for (let i = 0; i < 3; i++) {
    const res = await raw(api, loginBody(email), ip);
    assert.equal(res.status, 200);
    assert.equal(res.json.errors[0].extensions.code, 'UNAUTHENTICATED');
  }
  // Even with the right password: the limit comes before the resolver.
  const limited = await raw(api, loginBody(email, DEMO_PASSWORD), ip);
  assert.equal(limited.status, 429);
  assert.equal(limited.json.errors[0].extensions.code, 'RATE_LIMITED');
  const retryAfter = limited.json.errors[0].extensions.retryAfter;
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60, String(retryAfter));
  assert.equal(limited.retryAfter, String(retryAfter));
  assert.equal(limited.json.errors[0].extensions.http, undefined);
  assert.match(limited.json.errors[0].message, /try again in \d+ s/);

  // The same email from another address, and another email from this address, still get through.
  assert.ok((await raw(api, loginBody(email, DEMO_PASSWORD), newIp())).json.data?.login.accessToken);
  assert.ok((await raw(api, loginBody(demoEmail('sales', 'acme'), DEMO_PASSWORD), ip)).json.data?.login.accessToken);
  // The email is compared case-insensitively.
  assert.equal((await raw(api, loginBody(email.toUpperCase()), ip)).status, 429);

  // The counters live in PostgreSQL.
  const owner = new Client({ connectionString: api.ownerUrl });
  await owner.connect();
  try {
    const { rows } = await owner.query<{ key: string; points: number }>('select key, points from rate_limit where key = $1', [`auth:login:${ip}:${email}`]);
    assert.equal(rows[0]?.points, 5);
  } finally {
    await owner.end();
  }
});

test('aliases and fragments cannot multiply attempts inside one request', async () => {
  const ip = newIp();
  const input = `input: { email: "${demoEmail('support', 'acme')}", password: "nope" }`;
  const aliased = await raw(api, { query: `mutation { a: login(${input}) { accessToken } b: login(${input}) { accessToken } }` }, ip);
  assert.equal(aliased.status, 200); // 2 of 3 used
  const viaFragment = await raw(
    api,
    { query: `mutation { ...F x: login(${input}) { accessToken } } fragment F on Mutation { login(${input}) { accessToken } }` },
    ip,
  );
  assert.equal(viaFragment.status, 429);
  assert.equal(viaFragment.json.errors[0].extensions.code, 'RATE_LIMITED');
});

test('general limit: per user when signed in (whatever the address), per IP when anonymous', async () => {
  const signIn = await raw(api, loginBody(demoEmail('analyst', 'acme'), DEMO_PASSWORD), newIp());
  const token = signIn.json.data.login.accessToken as string;
  const me = { query: print(MeDocument) };
  for (let i = 0; i < 6; i++) assert.equal((await raw(api, me, newIp(), token)).status, 200, `request ${i + 1}`);
  const limited = await raw(api, me, newIp(), token);
  assert.equal(limited.status, 429);
  assert.equal(errorCode(limited.json), 'RATE_LIMITED');
  // Another user is not affected.
  const other = await raw(api, loginBody(demoEmail('editor', 'acme'), DEMO_PASSWORD), newIp());
  assert.equal((await raw(api, me, newIp(), other.json.data.login.accessToken)).status, 200);

  const ip = newIp();
  const anonymous = { query: '{ __typename }' };
  for (let i = 0; i < 6; i++) assert.equal((await raw(api, anonymous, ip)).status, 200);
  assert.equal((await raw(api, anonymous, ip)).status, 429);
  assert.equal((await raw(api, anonymous, newIp())).status, 200);

  const metrics = await (await fetch(api.server.url.replace(/graphql$/, 'metrics'))).text();
  assert.match(metrics, /^rate_limited_total\{limiter="general"\} [1-9]/m);
});

test('the general limit keeps its count across the writes to its store', async () => {
  const signIn = await raw(api, loginBody(demoEmail('me_officer', 'acme'), DEMO_PASSWORD), newIp());
  const token = signIn.json.data.login.accessToken as string;
  const me = { query: print(MeDocument) };
  // Points are counted in memory and written every 50 ms: spread the requests across several writes.
  for (let i = 0; i < 6; i++) {
    assert.equal((await raw(api, me, newIp(), token)).status, 200, `request ${i + 1}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal((await raw(api, me, newIp(), token)).status, 429);
  await new Promise((resolve) => setTimeout(resolve, 120));
  assert.equal((await raw(api, me, newIp(), token)).status, 429);
});

test('WebSocket operations count against the same per-user limit as HTTP', async () => {
  const signIn = await raw(api, loginBody(demoEmail('auditor', 'acme'), DEMO_PASSWORD), newIp());
  const token = signIn.json.data.login.accessToken as string;
  const conn = connectWs(api.server.url, token);
  try {
    for (let i = 0; i < 6; i++) {
      const op = record<{ me: { id: string } }>(conn, '{ me { id } }');
      await op.waitForEnd();
      assert.equal(op.errors.length, 0, `operation ${i + 1}: ${JSON.stringify(op.errors)}`);
    }
    const limited = record(conn, '{ me { id } }');
    await limited.waitForEnd();
    assert.equal(limited.errors[0]?.extensions?.code, 'RATE_LIMITED');
    // One counter per user, whichever transport: HTTP is limited too now.
    assert.equal((await raw(api, { query: print(MeDocument) }, newIp(), token)).status, 429);
  } finally {
    await conn.dispose();
  }
});

test('uploads: consumeUploadLimit allows RATE_LIMIT_UPLOADS per caller, then RATE_LIMITED', async () => {
  const caller = { viewer: { userId: `u-${randomBytes(4).toString('hex')}` }, ip: '10.0.0.1', app: api.app };
  await consumeUploadLimit(caller);
  await consumeUploadLimit(caller);
  await assert.rejects(consumeUploadLimit(caller), (e: any) => e.extensions.code === 'RATE_LIMITED' && e.extensions.retryAfter > 0);
  await consumeUploadLimit({ ...caller, viewer: { userId: 'someone-else' } });
});

test('with REDIS_URL the limits are kept in Redis', async (t) => {
  if (await redisSkipReason()) {
    t.skip('no Redis on 127.0.0.1:6379: the Redis store is not tested');
    return;
  }
  const withRedis = await startTestApi({ env: { ...limits, REDIS_URL: 'redis://127.0.0.1:6379' } });
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    const ip = newIp();
    const email = `nobody-${randomBytes(4).toString('hex')}@example.test`;
    for (let i = 0; i < 3; i++) assert.equal((await raw(withRedis, loginBody(email), ip)).status, 200);
    const limited = await raw(withRedis, loginBody(email), ip);
    assert.equal(limited.status, 429);
    assert.equal(limited.json.errors[0].extensions.code, 'RATE_LIMITED');
    assert.equal(await redis.get(`auth:login:${ip}:${email}`), '4');
  } finally {
    redis.disconnect();
    await withRedis.close();
  }
});
