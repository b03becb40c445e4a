/**
 * Scale-out: with REDIS_URL set, an event published through one server reaches a subscriber
 * connected to another (two Apps in one test process, one database, one Redis). Skipped, with
 * the reason printed, when no Redis answers on 127.0.0.1:6379.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestApi, type TestApi } from '../support/api';
import { LOCAL_REDIS_URL as REDIS_URL, redisSkipReason } from '../support/redis';
import { connectWs, record, sleep, type WsConnection } from '../support/ws';
import { ChangePasswordDocument, NotificationAddedDocument } from '../__generated__/graphql';

let skipReason: string | null = null;
let api: TestApi | undefined;
const sockets: WsConnection[] = [];

before(async () => {
  skipReason = await redisSkipReason();
  if (skipReason) {
    console.log(`# skipping the Redis fan-out test: ${skipReason}`);
    return;
  }
  // A private channel prefix: parallel test files share the seeded organization ids.
  api = await startTestApi({ env: { REDIS_URL, PUBSUB_CHANNEL_PREFIX: `tessera-test-${randomBytes(4).toString('hex')}:` } });
});
after(async () => {
  await Promise.all(sockets.map((s) => s.dispose()));
  await api?.close();
});

test('an event published through one server reaches a subscriber of the other', async (t) => {
  if (skipReason) return t.skip(skipReason);
  const peer = await api!.startPeer();
  assert.equal(api!.app.pubsub.backend, 'redis');
  assert.equal(peer.app.pubsub.backend, 'redis');

  const token = await api!.login('csr.manager', 'acme');
  const onPeer = connectWs(peer.server.url, token);
  const onOther = connectWs(peer.server.url, await api!.login('support', 'acme'));
  sockets.push(onPeer, onOther);
  const recipient = record(onPeer, NotificationAddedDocument);
  const colleague = record(onOther, NotificationAddedDocument);
  await sleep(500);

  // The mutation goes to the first server; the subscriber sits on the second.
  const res = await api!.gql(ChangePasswordDocument, { input: { currentPassword: 'Tessera!2026', newPassword: 'Another-Pass-2026!' } }, token);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const [event] = await recipient.waitForEvents(1);
  assert.equal(event.notificationAdded.type, 'password_changed');
  await sleep(200);
  assert.equal(colleague.events.length, 0);
});
