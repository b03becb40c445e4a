/** Notifications over HTTP: own only, unread filter, mark one / all read, refusals. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, demoEmail, errorCode, startTestApi, type TestApi } from '../support/api';
import {
  ChangePasswordDocument,
  LoginDocument,
  MarkAllNotificationsReadDocument,
  MarkNotificationReadDocument,
  MembersDocument,
  NotificationsDocument,
  RevokeMemberSessionsDocument,
} from '../__generated__/graphql';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

const NEW_PASSWORD = 'Another-Pass-2026!';

test('a password change and a session revocation notify the user, who alone sees them', async () => {
  const sales = await api.login('sales', 'acme');
  const changed = await api.gql(ChangePasswordDocument, { input: { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD } }, sales);
  assert.equal(changed.errors, undefined, JSON.stringify(changed.errors));

  const admin = await api.login('admin', 'acme');
  const members = await api.gql(MembersDocument, { first: 100 }, admin);
  const salesUserId = members.data!.members.edges.find((e) => e.node.user.email === demoEmail('sales', 'acme'))!.node.userId;
  const revoked = await api.gql(RevokeMemberSessionsDocument, { userId: salesUserId }, admin);
  assert.equal(revoked.errors, undefined, JSON.stringify(revoked.errors));
  assert.equal(errorCode(await api.gql(NotificationsDocument, {}, sales)), 'UNAUTHENTICATED', 'the revoked session is gone');

  const again = await api.gql(LoginDocument, { input: { email: demoEmail('sales', 'acme'), password: NEW_PASSWORD } });
  const token = again.data!.login.accessToken;
  const list = await api.gql(NotificationsDocument, {}, token);
  assert.equal(list.errors, undefined, JSON.stringify(list.errors));
  assert.deepEqual(list.data!.notifications.edges.map((e) => e.node.type), ['sessions_revoked', 'password_changed']);
  assert.equal(list.data!.notifications.totalCount, 2);
  assert.deepEqual(list.data!.notifications.edges[0].node.data, { revokedSessions: 1 });

  // Nobody else sees them: not the admin who caused one, not the other organization.
  assert.equal((await api.gql(NotificationsDocument, {}, admin)).data!.notifications.totalCount, 0);
  assert.equal((await api.gql(NotificationsDocument, {}, await api.login('admin', 'globex'))).data!.notifications.totalCount, 0);
  const foreignId = list.data!.notifications.edges[0].node.id;
  assert.equal(errorCode(await api.gql(MarkNotificationReadDocument, { id: foreignId }, admin)), 'NOT_FOUND');
  assert.equal(errorCode(await api.gql(MarkNotificationReadDocument, { id: 'not-a-uuid' }, token)), 'NOT_FOUND');

  // Mark one read, filter, then mark the rest.
  const read = await api.gql(MarkNotificationReadDocument, { id: foreignId }, token);
  assert.ok(read.data!.markNotificationRead.readAt);
  const unread = await api.gql(NotificationsDocument, { filter: { unread: true } }, token);
  assert.deepEqual(unread.data!.notifications.edges.map((e) => e.node.type), ['password_changed']);
  const readOnly = await api.gql(NotificationsDocument, { filter: { unread: false } }, token);
  assert.deepEqual(readOnly.data!.notifications.edges.map((e) => e.node.type), ['sessions_revoked']);
  const all = await api.gql(MarkAllNotificationsReadDocument, {}, token);
  assert.equal(all.data?.markAllNotificationsRead, 1, JSON.stringify(all.errors));
  assert.equal((await api.gql(MarkAllNotificationsReadDocument, {}, token)).data!.markAllNotificationsRead, 0);
  assert.equal((await api.gql(NotificationsDocument, { filter: { unread: true } }, token)).data!.notifications.totalCount, 0);
});

test('refused without a token', async () => {
  assert.equal(errorCode(await api.gql(NotificationsDocument, {})), 'UNAUTHENTICATED');
  assert.equal(errorCode(await api.gql(MarkAllNotificationsReadDocument, {})), 'UNAUTHENTICATED');
});

test('a failed password change notifies nobody', async () => {
  const token = await api.login('support', 'acme');
  const res = await api.gql(ChangePasswordDocument, { input: { currentPassword: 'Wrong-password-1!', newPassword: NEW_PASSWORD } }, token);
  assert.equal(errorCode(res), 'BAD_USER_INPUT');
  assert.equal((await api.gql(NotificationsDocument, {}, token)).data!.notifications.totalCount, 0);
});
