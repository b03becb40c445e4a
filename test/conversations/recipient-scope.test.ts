/**
 * The recipient's isolation (issue 5): a recipient sees and writes only the conversations of their
 * partner's projects (and conversations they take part in); another partner's project
 * conversation is NOT_FOUND to read, post and subscribe. messageAdded is tenant and scope filtered.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorCode, startTestApi, type TestApi } from '../support/api';
import { connectWs, record, sleep, type WsConnection } from '../support/ws';
import {
  ConvAddParticipantsDocument, ConvConversationDocument, ConvConversationsDocument, ConvMessageAddedDocument, ConvMessagesDocument, ConvPostDocument,
  ConvStartDocument,
} from '../__generated__/graphql';
import { seeded } from '../csr/support';
import { userId } from './support';

let api: TestApi;
let csr: Awaited<ReturnType<typeof seeded>>;
let manager: string;
let recipient: string;
let recipientId: string;
let ownConv: string;
let otherConv: string;
const sockets: WsConnection[] = [];
const ws = (token: string) => {
  const c = connectWs(api.server.url, token);
  sockets.push(c);
  return c;
};

before(async () => {
  api = await startTestApi();
  csr = await seeded(api);
  manager = await api.login('csr_manager');
  recipient = await api.login('recipient');
  recipientId = csr.recipientUser;
  // Started by the manager without adding the recipient: the recipient reaches the first through the project.
  const own = await api.gql(ConvStartDocument, { input: { subject: 'Schools progress', projectId: csr.schools, participantIds: [] } }, manager);
  const other = await api.gql(ConvStartDocument, { input: { subject: 'Camps logistics', projectId: csr.camps, participantIds: [] } }, manager);
  assert.equal(own.errors, undefined, JSON.stringify(own.errors));
  ownConv = own.data!.startConversation.id;
  otherConv = other.data!.startConversation.id;
});
after(async () => {
  for (const s of sockets) await s.dispose();
  await api.close();
});

describe('recipient scope', () => {
  test('reads and writes their partner’s project conversation; lists only theirs', async () => {
    assert.equal((await api.gql(ConvConversationDocument, { id: ownConv }, recipient)).data!.conversation.projectId, csr.schools);
    const posted = await api.gql(ConvPostDocument, { input: { conversationId: ownConv, body: 'Walls are up' } }, recipient);
    assert.equal(posted.errors, undefined, JSON.stringify(posted.errors));
    const list = (await api.gql(ConvConversationsDocument, { first: 100 }, recipient)).data!.conversations;
    assert.deepEqual(list.edges.map((e) => e.node.id), [ownConv]);
    const byProject = (await api.gql(ConvConversationsDocument, { projectId: csr.camps }, recipient)).data!.conversations;
    assert.equal(byProject.totalCount, 0);
    // The manager (all scope, project:read all) sees both project conversations without taking part.
    const managerList = (await api.gql(ConvConversationsDocument, { first: 100 }, manager)).data!.conversations.edges.map((e) => e.node.id);
    assert.ok(managerList.includes(ownConv) && managerList.includes(otherConv));
  });

  test('another partner’s project conversation is NOT_FOUND for read, messages, post and start', async () => {
    assert.equal(errorCode(await api.gql(ConvConversationDocument, { id: otherConv }, recipient)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvMessagesDocument, { conversationId: otherConv }, recipient)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvPostDocument, { input: { conversationId: otherConv, body: 'let me in' } }, recipient)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvStartDocument, { input: { subject: 'Camps', projectId: csr.camps, participantIds: [] } }, recipient)), 'NOT_FOUND');
    const [count] = await api.sql<{ count: string }>('select count(*) from conversations_message where conversation_id = $1', [otherConv]);
    assert.equal(Number(count.count), 0);
  });

  test('adding a recipient to another partner’s project conversation is refused', async () => {
    const res = await api.gql(ConvAddParticipantsDocument, { conversationId: otherConv, participantIds: [recipientId] }, manager);
    assert.equal(errorCode(res), 'BAD_USER_INPUT');
    assert.equal(res.errors![0].extensions?.field, 'participantIds');
    const ok = await api.gql(ConvAddParticipantsDocument, { conversationId: ownConv, participantIds: [recipientId] }, manager);
    assert.equal(ok.errors, undefined);
    // Taking part in a project conversation does not widen a recipient's scope: the partner decides.
    await api.sql(`insert into conversations_participant (id, created_at, updated_at, organization_id, conversation_id, user_id)
                   values (gen_random_uuid(), now(), now(), $1, $2, $3)`, [csr.orgId, otherConv, recipientId]);
    assert.equal(errorCode(await api.gql(ConvConversationDocument, { id: otherConv }, recipient)), 'NOT_FOUND');
    await api.sql('delete from conversations_participant where conversation_id = $1 and user_id = $2', [otherConv, recipientId]);
  });

  test('a recipient may start a project conversation on their partner’s project and a direct one with the manager', async () => {
    const managerId = await userId(api, 'csr_manager');
    const direct = await api.gql(ConvStartDocument, { input: { subject: 'Question', participantIds: [managerId] } }, recipient);
    assert.equal(direct.errors, undefined, JSON.stringify(direct.errors));
    const onProject = await api.gql(ConvStartDocument, { input: { subject: 'Schools budget', projectId: csr.schools, participantIds: [] } }, recipient);
    assert.equal(onProject.errors, undefined);
    assert.equal((await api.gql(ConvConversationDocument, { id: direct.data!.startConversation.id }, manager)).data!.conversation.subject, 'Question');
  });

  test('messageAdded: the recipient gets only their partner’s posts; another tenant nothing; subscribing to another partner’s conversation is NOT_FOUND', async () => {
    const denied = record(ws(recipient), ConvMessageAddedDocument, { conversationId: otherConv });
    await denied.waitForEnd();
    assert.equal(denied.errors[0].extensions?.code, 'NOT_FOUND');

    const mgr = record(ws(manager), ConvMessageAddedDocument, {});
    const rec = record(ws(recipient), ConvMessageAddedDocument, {});
    const globex = record(ws(await api.login('admin', 'globex')), ConvMessageAddedDocument, {});
    await sleep(300);
    await api.gql(ConvPostDocument, { input: { conversationId: otherConv, body: 'camps only' } }, manager);
    await api.gql(ConvPostDocument, { input: { conversationId: ownConv, body: 'schools update' } }, manager);
    const events = await mgr.waitForEvents(2);
    assert.deepEqual(events.map((e) => e.messageAdded.body), ['camps only', 'schools update']);
    const [own] = await rec.waitForEvents(1);
    assert.equal(own.messageAdded.conversationId, ownConv);
    assert.equal(own.messageAdded.projectId, csr.schools);
    await sleep(200);
    assert.equal(rec.events.length, 1);
    assert.equal(globex.events.length, 0);
  });
});
