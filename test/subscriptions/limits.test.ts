/**
 * The same limits over WebSocket as over HTTP (one protectionRules list): depth, aliases,
 * introspection off, plus the WebSocket's own: operations per socket and message size.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../support/api';
import { closeCode, connectWs, record, sleep, type WsConnection } from '../support/ws';
import { NotificationAddedDocument } from '../__generated__/graphql';

let api: TestApi;
const sockets: WsConnection[] = [];
const ws = (token: string) => {
  const conn = connectWs(api.server.url, token);
  sockets.push(conn);
  return conn;
};

before(async () => {
  api = await startTestApi({
    env: {
      WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '3',
      WS_MAX_PAYLOAD_BYTES: '4096',
      GRAPHQL_MAX_DEPTH: '4',
      GRAPHQL_MAX_ALIASES: '3',
      GRAPHQL_INTROSPECTION: 'false',
    },
  });
});
after(async () => {
  await Promise.all(sockets.map((s) => s.dispose()));
  await api.close();
});

const DEEP = 'query { members { edges { node { user { id } } } } }';

test('depth: refused over WebSocket and over HTTP alike', async () => {
  const token = await api.login('admin', 'acme');
  const sub = record(ws(token), DEEP);
  await sub.waitForEnd();
  assert.equal(sub.errors[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(sub.errors[0].message, /depth limit of 4/);

  const http = await api.post({ query: DEEP }, token);
  assert.equal(http.status, 400);
  assert.equal(http.json.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(http.json.errors[0].message, /depth limit of 4/);

  const shallow = record(ws(token), 'query { members { totalCount } }');
  await shallow.waitForEnd();
  assert.deepEqual(shallow.errors, []);
  assert.equal((shallow.events[0] as { members: { totalCount: number } }).members.totalCount, 13);
});

test('aliases: a subscription with too many aliases is refused', async () => {
  const sub = record(ws(await api.login('member', 'acme')), 'subscription { notificationAdded { a: id b: id c: id d: id } }');
  await sub.waitForEnd();
  assert.equal(sub.errors[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(sub.errors[0].message, /Aliases limit/i);
});

test('introspection is refused when turned off (production default)', async () => {
  const sub = record(ws(await api.login('member', 'acme')), 'query { __schema { queryType { name } } }');
  await sub.waitForEnd();
  assert.equal(sub.errors[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
});

test('at most WS_MAX_SUBSCRIPTIONS_PER_SOCKET operations open on one socket', async () => {
  const conn = ws(await api.login('member', 'acme'));
  const subs = [1, 2, 3, 4].map(() => record(conn, NotificationAddedDocument));
  await subs[3].waitForEnd();
  assert.equal(subs[3].errors[0].extensions?.code, 'BAD_REQUEST');
  await sleep(200);
  for (const s of subs.slice(0, 3)) assert.deepEqual(s.errors, [], 'the first three stay open');
  // Closing one frees a slot.
  subs[0].unsubscribe();
  await sleep(100);
  const fifth = record(conn, NotificationAddedDocument);
  await sleep(300);
  assert.deepEqual(fifth.errors, []);
});

test('a message larger than WS_MAX_PAYLOAD_BYTES closes the socket (1009)', async () => {
  const conn = ws(await api.login('member', 'acme'));
  record(conn, `query { me { id } ${'#'.repeat(5000)}\n }`);
  assert.equal(await closeCode(conn), 1009);
});
