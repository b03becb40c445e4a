/**
 * Subscriptions end to end with a real graphql-ws client: socket authentication, tenant and
 * recipient filtering, authorization before start, and the per-event re-check that stops a
 * revoked session, a removed member and a demoted member (after the permission cache window).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../support/api';
import { closeCode, connectWs, record, sleep, type WsConnection } from '../support/ws';
import {
  AuditLogAddedDocument,
  ChangePasswordDocument,
  MembersDocument,
  NotificationAddedDocument,
  RemoveMemberDocument,
  RevokeMemberSessionsDocument,
  RolesDocument,
  UpdateMemberRolesDocument,
  UpdateProfileDocument,
} from '../__generated__/graphql';

const CACHE_MS = 300;
/** The server registers a subscription a moment after the client sends it; no protocol message says when. */
const SUBSCRIBED = 300;

let api: TestApi;
const sockets: WsConnection[] = [];
const ws = (token: string | null, params?: Record<string, unknown>) => {
  const conn = connectWs(api.server.url, token, params);
  sockets.push(conn);
  return conn;
};

before(async () => {
  api = await startTestApi({ env: { WS_PERMISSION_CACHE_MS: String(CACHE_MS) } });
});
after(async () => {
  await Promise.all(sockets.map((s) => s.dispose()));
  await api.close();
});

async function membership(email: string, token: string) {
  const res = await api.gql(MembersDocument, { first: 100 }, token);
  const node = res.data!.members.edges.map((e) => e.node).find((n) => n.user.email === email);
  assert.ok(node, `member ${email}`);
  return node;
}

describe('connection', () => {
  test('a missing, malformed or invalid token closes the socket with 4403', async () => {
    assert.equal(await closeCode(ws(null)), 4403);
    assert.equal(await closeCode(ws(null, { authorization: 'Basic abc' })), 4403);
    assert.equal(await closeCode(ws('not.a.jwt')), 4403);
    const token = await api.login('sales', 'acme');
    assert.equal(await closeCode(ws(`${token.slice(0, -4)}AAAA`)), 4403);
  });

  test('a valid token connects, and a subscription without permission is refused before it starts', async () => {
    const conn = ws(await api.login('member', 'acme'));
    const sub = record(conn, AuditLogAddedDocument);
    await sub.waitForEnd();
    assert.equal(sub.errors[0].extensions?.code, 'FORBIDDEN');
    assert.equal(sub.events.length, 0);
  });

  test('a subscription to a field that does not exist is a validation error without suggestions', async () => {
    const conn = ws(await api.login('member', 'acme'));
    const sub = record(conn, 'subscription { notificationAdde { id } }');
    await sub.waitForEnd();
    assert.equal(sub.errors[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.doesNotMatch(sub.errors[0].message, /Did you mean/);
  });
});

describe('notificationAdded', () => {
  test('reaches its recipient only: not another user of the organization, not another organization', async () => {
    const recipient = record(ws(await api.login('csr.manager', 'acme')), NotificationAddedDocument);
    const colleague = record(ws(await api.login('support', 'acme')), NotificationAddedDocument);
    const otherTenant = record(ws(await api.login('csr.manager', 'globex')), NotificationAddedDocument);
    await sleep(SUBSCRIBED);

    const token = await api.login('csr.manager', 'acme');
    const changed = await api.gql(ChangePasswordDocument, { input: { currentPassword: 'Tessera!2026', newPassword: 'Another-Pass-2026!' } }, token);
    assert.equal(changed.errors, undefined, JSON.stringify(changed.errors));

    const [event] = await recipient.waitForEvents(1);
    assert.equal(event.notificationAdded.type, 'password_changed');
    assert.equal(event.notificationAdded.readAt, null);
    assert.ok(event.notificationAdded.title);
    await sleep(200);
    assert.equal(colleague.events.length, 0);
    assert.equal(otherTenant.events.length, 0);
    assert.equal(recipient.events.length, 1);
  });

  test('a revoked session stops receiving: its socket closes with 4403 at the next event after the cache window', async () => {
    const admin = await api.login('admin', 'acme');
    const token = await api.login('finance.officer', 'acme');
    const conn = ws(token);
    const sub = record(conn, NotificationAddedDocument);
    await sleep(SUBSCRIBED);
    const { userId } = await membership('finance.officer@acme.test', admin);
    const first = await api.gql(RevokeMemberSessionsDocument, { userId }, admin);
    assert.equal(first.errors, undefined, JSON.stringify(first.errors));
    await sleep(CACHE_MS + 100);
    await api.gql(RevokeMemberSessionsDocument, { userId }, admin);
    assert.equal(await closeCode(conn), 4403);
    // Whatever arrived while the cached grants were still trusted, the second notification did not.
    assert.ok(sub.events.length <= 1, `${sub.events.length} events`);
  });
});

describe('auditLogAdded (audit:read)', () => {
  test('delivers the organization’s new audit rows after commit, and not another organization’s', async () => {
    const acme = record(ws(await api.login('auditor', 'acme')), AuditLogAddedDocument);
    const globex = record(ws(await api.login('auditor', 'globex')), AuditLogAddedDocument);
    await sleep(SUBSCRIBED);
    const res = await api.gql(UpdateProfileDocument, { input: { firstName: 'Renamed' } }, await api.login('sales', 'acme'));
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const [event] = await acme.waitForEvents(1);
    assert.equal(event.auditLogAdded.action, 'user.profile_update');
    await sleep(200);
    assert.equal(globex.events.length, 0);
  });

  test('a demoted member stops receiving: the subscription ends with FORBIDDEN after the cache window', async () => {
    const owner = await api.login('owner', 'acme');
    const sub = record(ws(await api.login('auditor', 'acme')), AuditLogAddedDocument);
    await sleep(SUBSCRIBED);
    const sales = await api.login('sales', 'acme');
    await api.gql(UpdateProfileDocument, { input: { firstName: 'Before' } }, sales);
    await sub.waitForEvents(1);

    const roles = new Map((await api.gql(RolesDocument, {}, owner)).data!.roles.map((r) => [r.key, r.id]));
    const auditor = await membership('auditor@acme.test', owner);
    const demoted = await api.gql(UpdateMemberRolesDocument, { membershipId: auditor.id, roleIds: [roles.get('member')!] }, owner);
    assert.equal(demoted.errors, undefined, JSON.stringify(demoted.errors));
    await sleep(CACHE_MS + 100);
    const delivered = sub.events.length;
    await api.gql(UpdateProfileDocument, { input: { firstName: 'After' } }, sales);
    await sub.waitForEnd();
    assert.equal(sub.errors[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal(sub.events.length, delivered, 'no event after the demotion was noticed');
    // The subscription is over, not merely answering each event with an error.
    await api.gql(UpdateProfileDocument, { input: { firstName: 'Later' } }, sales);
    await sleep(200);
    assert.equal(sub.errors.length, 1);
    assert.equal(sub.events.length, delivered);
  });

  test('a removed member stops receiving: the socket closes with 4403', async () => {
    const owner = await api.login('owner', 'globex');
    const conn = ws(await api.login('auditor', 'globex'));
    const sub = record(conn, AuditLogAddedDocument);
    await sleep(SUBSCRIBED);
    const auditor = await membership('auditor@globex.test', owner);
    const removed = await api.gql(RemoveMemberDocument, { membershipId: auditor.id }, owner);
    assert.equal(removed.errors, undefined, JSON.stringify(removed.errors));
    await sleep(CACHE_MS + 100);
    const delivered = sub.events.length;
    await api.gql(UpdateProfileDocument, { input: { firstName: 'Later' } }, await api.login('sales', 'globex'));
    assert.equal(await closeCode(conn), 4403);
    assert.equal(sub.events.length, delivered);
  });
});
