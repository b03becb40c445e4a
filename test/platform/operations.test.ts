/** Operations: health and readiness, Prometheus metrics, structured logs with request identity and no secrets. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { APP_ROLE } from '../../src/core/db/database';
import { HealthRegistry } from '../../src/core/observability/health';
import { Metrics } from '../../src/core/observability/metrics';
import { AuditLogsDocument, LoginDocument, MeDocument } from '../__generated__/graphql';
import { DEMO_PASSWORD, demoEmail, errorCode, startTestApi, type TestApi } from '../support/api';

/** Every line the server logs, parsed. */
const lines: Record<string, any>[] = [];
const destination = {
  write(chunk: string) {
    for (const line of chunk.split('\n')) if (line.trim()) lines.push(JSON.parse(line));
  },
};

let api: TestApi;
before(async () => {
  api = await startTestApi({ env: { LOG_LEVEL: 'info' }, logDestination: destination });
});
after(() => api.close());

const base = () => api.server.url.replace(/\/graphql$/, '');
const getJson = async (path: string) => {
  const res = await fetch(`${base()}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

test('GET /health answers without touching anything; /health/db checks the database through the app pool', async () => {
  assert.deepEqual(await getJson('/health'), { status: 200, body: { status: 'ok' } });
  const db = await getJson('/health/db');
  assert.equal(db.status, 200);
  assert.equal(db.body.status, 'ok');
  assert.equal(db.body.component, 'db');
  assert.equal(typeof db.body.durationMs, 'number');
  const storage = await getJson('/health/storage');
  assert.equal(storage.status, 200, JSON.stringify(storage.body));
});

test('a component nobody registered is reported as unknown (404); a failing one is named with 503', async () => {
  const unknown = await getJson('/health/mailer');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.status, 'unknown');
  assert.equal(unknown.body.component, 'mailer');
  assert.ok(unknown.body.registered.includes('db'));

  let mailerUp = true;
  api.app.health.register('mailer', async () => {
    if (!mailerUp) throw new Error('mail relay unreachable');
  });
  assert.equal((await getJson('/health/mailer')).status, 200);
  assert.equal((await getJson('/health/ready')).status, 200);

  mailerUp = false;
  const failing = await getJson('/health/mailer');
  assert.equal(failing.status, 503);
  assert.deepEqual([failing.body.status, failing.body.component, failing.body.error], ['error', 'mailer', 'mail relay unreachable']);
  const ready = await getJson('/health/ready');
  assert.equal(ready.status, 503);
  assert.deepEqual(ready.body.failing, ['mailer']);
  const statuses = Object.fromEntries(ready.body.components.map((c: any) => [c.component, c.status]));
  assert.deepEqual([statuses.db, statuses.storage, statuses.mailer], ['ok', 'ok', 'error']);
  assert.throws(() => api.app.health.register('mailer', async () => {}), /registered already/);
  mailerUp = true;
});

test('a check that hangs fails by timeout instead of hanging the probe', async () => {
  const registry = new HealthRegistry(50);
  registry.register('slow', () => new Promise<void>(() => {}));
  const result = await registry.check('slow');
  assert.equal(result.status, 'error');
  assert.match(result.error!, /timed out after 50 ms/);
});

function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.indexOf('}'));
    if (wanted.every((w) => labelText.split(',').includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

test('/metrics exposes GraphQL counts and latency by operation, errors by code, HTTP by route, and the job and ws metrics', async () => {
  const token = await api.login('admin');
  const fetchMetrics = async () => {
    const res = await fetch(`${base()}/metrics`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    return res.text();
  };
  const beforeText = await fetchMetrics();
  const meBefore = sample(beforeText, 'graphql_requests_total', { operation_name: 'Me', operation_type: 'query' }) ?? 0;
  await api.gql(MeDocument, {}, token);
  await api.gql(MeDocument, {}, token);
  await api.gql(MeDocument, {}); // UNAUTHENTICATED
  await api.post({ query: '{ nope }' }); // GRAPHQL_VALIDATION_FAILED

  const text = await fetchMetrics();
  assert.equal(sample(text, 'graphql_requests_total', { operation_name: 'Me', operation_type: 'query' }), meBefore + 3);
  assert.equal(sample(text, 'graphql_request_duration_seconds_count', { operation_name: 'Me', operation_type: 'query' }), meBefore + 3);
  assert.ok(sample(text, 'graphql_request_duration_seconds_bucket', { operation_name: 'Me', operation_type: 'query', le: '+Inf' }));
  assert.ok(sample(text, 'graphql_requests_total', { operation_name: 'Login', operation_type: 'mutation' }));
  assert.ok((sample(text, 'graphql_errors_total', { code: 'UNAUTHENTICATED' }) ?? 0) >= 1);
  assert.ok((sample(text, 'graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' }) ?? 0) >= 1);
  assert.ok((sample(text, 'http_requests_total', { method: 'POST', route: '/graphql', status: '200' }) ?? 0) >= 3);
  assert.ok((sample(text, 'http_requests_total', { method: 'GET', route: '/metrics', status: '200' }) ?? 0) >= 1);
  // Default Node metrics, and the metrics the jobs and subscriptions modules increment.
  assert.match(text, /^process_cpu_user_seconds_total /m);
  assert.match(text, /^nodejs_eventloop_lag_seconds /m);
  for (const name of ['jobs_total', 'job_duration_seconds', 'ws_connections']) assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'));
  api.app.metrics.jobs.inc({ queue: 'default', name: 'email', status: 'completed' });
  api.app.metrics.wsConnections.inc();
  const later = await fetchMetrics();
  assert.equal(sample(later, 'jobs_total', { queue: 'default', name: 'email', status: 'completed' }), 1);
  assert.match(later, /^ws_connections 1$/m);
});

test('client-chosen operation names are bounded in the metric labels', () => {
  const m = new Metrics({ defaultMetrics: false });
  const labels = Array.from({ length: 600 }, (_, i) => m.operationLabel(`Op${i}`));
  assert.equal(labels[0], 'Op0');
  assert.equal(labels[599], 'other');
  assert.equal(m.operationLabel('Op1'), 'Op1');
  assert.equal(m.operationLabel(undefined), 'anonymous');
});

test('every log line of a request carries its requestId, organization and user; no password or token appears', async () => {
  lines.length = 0;
  const login = await api.gql(LoginDocument, { input: { email: demoEmail('sales', 'acme'), password: DEMO_PASSWORD } }, undefined, {
    'x-request-id': 'login-req-1',
  });
  const { accessToken, refreshToken, user, organization } = login.data!.login;
  const me = await api.gql(MeDocument, {}, accessToken, { 'x-request-id': 'me-req-1' });
  assert.equal(me.data?.me.id, user.id);

  const loginLines = lines.filter((l) => l.requestId === 'login-req-1');
  assert.ok(loginLines.length >= 1);
  assert.equal(loginLines[0].operationName, 'Login');
  assert.equal(loginLines[0].userId, null);

  const meLines = lines.filter((l) => l.requestId === 'me-req-1');
  assert.ok(meLines.length >= 1);
  for (const line of meLines) {
    assert.equal(line.userId, user.id);
    assert.equal(line.organizationId, organization!.id);
    assert.equal(line.service, 'tessera');
    assert.equal(line.level, 'info');
    assert.ok(line.time);
  }
  assert.equal(meLines[0].operationName, 'Me');
  assert.equal(meLines[0].operationType, 'query');
  assert.equal(typeof meLines[0].durationMs, 'number');

  const all = lines.map((l) => JSON.stringify(l)).join('\n');
  for (const secret of [DEMO_PASSWORD, accessToken, refreshToken]) assert.ok(!all.includes(secret), 'a secret reached the logs');
  // A response always names its request id.
  const res = await fetch(`${base()}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
  assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
});

test('secrets are redacted wherever a logged object carries them', () => {
  lines.length = 0;
  api.app.log.info(
    { authorization: 'Bearer abc.def', input: { email: 'a@b.c', password: 'hunter2', nested: { refreshToken: 'r-123' } }, headers: { cookie: 'sid=1' } },
    'redaction check',
  );
  const line = lines.find((l) => l.msg === 'redaction check')!;
  assert.equal(line.authorization, '[Redacted]');
  assert.equal(line.input.password, '[Redacted]');
  assert.equal(line.input.email, 'a@b.c');
  assert.equal(line.input.nested.refreshToken, '[Redacted]');
  assert.equal(line.headers.cookie, '[Redacted]');
  assert.ok(!JSON.stringify(lines).includes('hunter2'));
});

test('an internal error is masked for the client and logged with its cause through the request logger', async () => {
  const token = await api.login('admin');
  const owner = new Client({ connectionString: api.ownerUrl });
  await owner.connect();
  // The app role losing a privilege: a failure the API cannot explain to the client.
  await owner.query(`revoke select on audit_log from ${APP_ROLE}`);
  lines.length = 0;
  try {
    const res = await api.gql(AuditLogsDocument, { first: 1 }, token, { 'x-request-id': 'broken-req-1' });
    assert.equal(errorCode(res), 'INTERNAL_SERVER_ERROR');
    assert.equal(res.errors![0].message, 'Internal server error');
    assert.doesNotMatch(JSON.stringify(res.errors), /permission denied|audit_log/);
  } finally {
    await owner.query(`grant select on audit_log to ${APP_ROLE}`);
    await owner.end();
  }
  const errorLine = lines.find((l) => l.requestId === 'broken-req-1' && l.level === 'error');
  assert.ok(errorLine, 'the internal error was logged');
  assert.equal(errorLine.msg, 'internal error');
  assert.match(errorLine.err.message, /permission denied/);
  assert.ok(errorLine.err.stack);
  assert.ok(errorLine.userId && errorLine.organizationId);
});
