/**
 * Conversations and messages through GraphQL: starting, posting (threads, attachments), paging
 * newest first, unread counts, edit/delete rules, validation with the field at fault, audit,
 * wrong role and wrong tenant.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorCode, startTestApi, type TestApi } from '../support/api';
import {
  ConvAddParticipantsDocument, ConvConversationDocument, ConvConversationsDocument, ConvDeleteDocument, ConvEditDocument, ConvMarkReadDocument,
  ConvMessagesDocument, ConvPostDocument, ConvStartDocument,
} from '../__generated__/graphql';
import { uploadFile } from '../recon/support';
import { userId } from './support';

let api: TestApi;
let manager: string;
let admin: string;
let finance: string;
let ids: { manager: string; admin: string; finance: string; globexAdmin: string };

before(async () => {
  api = await startTestApi();
  manager = await api.login('csr_manager');
  admin = await api.login('admin');
  finance = await api.login('finance_officer');
  ids = {
    manager: await userId(api, 'csr_manager'),
    admin: await userId(api, 'admin'),
    finance: await userId(api, 'finance_officer'),
    globexAdmin: await userId(api, 'admin', 'globex'),
  };
});
after(async () => {
  await api.close();
});

const field = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.field;

async function start(token: string, subject: string, participantIds: string[], projectId?: string) {
  const res = await api.gql(ConvStartDocument, { input: { subject, participantIds, projectId } }, token);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.startConversation;
}

async function post(token: string, conversationId: string, body: string, extra: { parentMessageId?: string; attachmentFileIds?: string[] } = {}) {
  const res = await api.gql(ConvPostDocument, { input: { conversationId, body, ...extra } }, token);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.postMessage;
}

describe('conversations', () => {
  test('start, post, thread, attach, page newest first; unread counts per participant; audited', async () => {
    const c = await start(manager, '  Quarterly plan  ', [ids.admin]);
    assert.equal(c.subject, 'Quarterly plan');
    assert.equal(c.createdBy, ids.manager);
    assert.deepEqual(c.participants.map((p) => p.userId).sort(), [ids.manager, ids.admin].sort());

    const first = await post(manager, c.id, 'Hello');
    const { fileId } = await uploadFile(api, manager, 'plan.csv', Buffer.from('a,b\n1,2\n'));
    const reply = await post(admin, c.id, 'Thanks, see attached', { parentMessageId: first.id, attachmentFileIds: [fileId] });
    assert.equal(reply.parentMessageId, first.id);
    assert.deepEqual(reply.attachmentFileIds, [fileId]);
    await post(manager, c.id, 'Third');

    const page1 = (await api.gql(ConvMessagesDocument, { conversationId: c.id, first: 2 }, admin)).data!.messages;
    assert.equal(page1.totalCount, 3);
    assert.deepEqual(page1.edges.map((e) => e.node.body), ['Third', 'Thanks, see attached']);
    const page2 = (await api.gql(ConvMessagesDocument, { conversationId: c.id, first: 2, after: page1.pageInfo.endCursor }, admin)).data!.messages;
    assert.deepEqual(page2.edges.map((e) => e.node.body), ['Hello']);
    assert.equal(page2.pageInfo.hasNextPage, false);

    // The admin read up to their own post: only "Third" is unread for them; the manager posted last, so 0.
    assert.equal((await api.gql(ConvConversationDocument, { id: c.id }, admin)).data!.conversation.unreadCount, 1);
    assert.equal((await api.gql(ConvConversationDocument, { id: c.id }, manager)).data!.conversation.unreadCount, 0);
    const read = await api.gql(ConvMarkReadDocument, { conversationId: c.id }, admin);
    assert.equal(read.data!.markConversationRead.unreadCount, 0);

    const listed = (await api.gql(ConvConversationsDocument, { first: 50 }, admin)).data!.conversations.edges.map((e) => e.node.id);
    assert.ok(listed.includes(c.id));

    const actions = (await api.sql<{ action: string }>(`select action from audit_log where resource_id = any($1::text[]) order by seq`, [[c.id, first.id, reply.id]])).map((r) => r.action);
    assert.deepEqual(actions, ['conversations.conversation.start', 'conversations.message.post', 'conversations.message.post', 'conversations.conversation.read']);
    // Other participants are notified of a post.
    const [n] = await api.sql<{ count: string }>(`select count(*) from notifications_notification where user_id = $1 and type = 'message_added' and data->>'conversationId' = $2`, [ids.admin, c.id]);
    assert.equal(Number(n.count), 2);
  });

  test('a conversation is NOT_FOUND to a member outside it; adding them lets them in', async () => {
    const c = await start(manager, 'Private', []);
    const other = await api.login('csr_manager'); // same user: sees it
    assert.equal((await api.gql(ConvConversationDocument, { id: c.id }, other)).data!.conversation.id, c.id);
    assert.equal(errorCode(await api.gql(ConvConversationDocument, { id: c.id }, admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvPostDocument, { input: { conversationId: c.id, body: 'hi' } }, admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvMessagesDocument, { conversationId: c.id }, admin)), 'NOT_FOUND');
    const added = await api.gql(ConvAddParticipantsDocument, { conversationId: c.id, participantIds: [ids.admin, ids.admin] }, manager);
    assert.equal(added.errors, undefined);
    assert.equal(added.data!.addParticipants.participants.length, 2);
    assert.equal((await api.gql(ConvConversationDocument, { id: c.id }, admin)).data!.conversation.id, c.id);
  });

  test('edit by the author only; delete by the author or an admin, soft', async () => {
    const c = await start(manager, 'Edits', [ids.admin]);
    const m = await post(manager, c.id, 'Draft');
    const theirs = await post(admin, c.id, 'Admin note');
    assert.equal(errorCode(await api.gql(ConvEditDocument, { id: m.id, body: 'Hijacked' }, admin)), 'FORBIDDEN');
    const edited = (await api.gql(ConvEditDocument, { id: m.id, body: 'Final' }, manager)).data!.editMessage;
    assert.equal(edited.body, 'Final');
    assert.ok(edited.editedAt);
    assert.equal(errorCode(await api.gql(ConvDeleteDocument, { id: theirs.id }, manager)), 'FORBIDDEN');
    const deleted = (await api.gql(ConvDeleteDocument, { id: m.id }, admin)).data!.deleteMessage;
    assert.equal(deleted.body, '');
    assert.ok(deleted.deletedAt);
    assert.equal(errorCode(await api.gql(ConvEditDocument, { id: m.id, body: 'Back' }, manager)), 'NOT_FOUND');
    const own = (await api.gql(ConvDeleteDocument, { id: theirs.id }, admin)).data!.deleteMessage;
    assert.ok(own.deletedAt);
    const rows = await api.sql<{ count: string }>('select count(*) from conversations_message where conversation_id = $1', [c.id]);
    assert.equal(Number(rows[0].count), 2);
    const [audit] = await api.sql<{ changes: Record<string, { from: unknown; to: unknown }> }>(`select changes from audit_log where action = 'conversations.message.edit' and resource_id = $1`, [m.id]);
    assert.deepEqual(audit.changes.body, { from: 'Draft', to: 'Final' });
  });

  test('bad input names the field', async () => {
    const c = await start(manager, 'Validation', []);
    const other = await start(manager, 'Elsewhere', []);
    const elsewhere = await post(manager, other.id, 'not here');
    const cases: [unknown, string][] = [
      [await api.gql(ConvStartDocument, { input: { subject: '  ', participantIds: [] } }, manager), 'subject'],
      [await api.gql(ConvStartDocument, { input: { subject: 'x'.repeat(201), participantIds: [] } }, manager), 'subject'],
      [await api.gql(ConvStartDocument, { input: { subject: 'Outsider', participantIds: [ids.globexAdmin] } }, manager), 'participantIds'],
      [await api.gql(ConvStartDocument, { input: { subject: 'Bad id', participantIds: ['nope'] } }, manager), 'participantIds'],
      [await api.gql(ConvPostDocument, { input: { conversationId: c.id, body: ' ' } }, manager), 'body'],
      [await api.gql(ConvPostDocument, { input: { conversationId: c.id, body: 'x'.repeat(10_001) } }, manager), 'body'],
      [await api.gql(ConvPostDocument, { input: { conversationId: c.id, body: 'reply', parentMessageId: elsewhere.id } }, manager), 'parentMessageId'],
      [await api.gql(ConvPostDocument, { input: { conversationId: c.id, body: 'file', attachmentFileIds: ['00000000-0000-4000-8000-000000000000'] } }, manager), 'attachmentFileIds'],
      [await api.gql(ConvAddParticipantsDocument, { conversationId: c.id, participantIds: [] }, manager), 'participantIds'],
    ];
    for (const [res, expected] of cases) {
      const r = res as { errors?: { extensions?: Record<string, unknown> }[] };
      assert.equal(errorCode(r as never), 'BAD_USER_INPUT', `${expected}: ${JSON.stringify(r.errors)}`);
      assert.equal(field(r), expected);
    }
    assert.equal((await api.gql(ConvMessagesDocument, { conversationId: c.id }, manager)).data!.messages.totalCount, 0);
  });

  test('a role without message:* is FORBIDDEN; another tenant gets NOT_FOUND', async () => {
    const c = await start(manager, 'Roles', [ids.finance]);
    assert.equal(errorCode(await api.gql(ConvConversationDocument, { id: c.id }, finance)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(ConvConversationsDocument, {}, finance)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(ConvPostDocument, { input: { conversationId: c.id, body: 'hi' } }, finance)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(ConvStartDocument, { input: { subject: 'x', participantIds: [] } }, finance)), 'FORBIDDEN');

    const globex = await api.login('admin', 'globex');
    const m = await post(manager, c.id, 'acme only');
    assert.equal(errorCode(await api.gql(ConvConversationDocument, { id: c.id }, globex)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvMessagesDocument, { conversationId: c.id }, globex)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvPostDocument, { input: { conversationId: c.id, body: 'hi' } }, globex)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvDeleteDocument, { id: m.id }, globex)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvAddParticipantsDocument, { conversationId: c.id, participantIds: [ids.globexAdmin] }, globex)), 'NOT_FOUND');
    const listed = (await api.gql(ConvConversationsDocument, { first: 100 }, globex)).data!.conversations.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(c.id));
  });
});
