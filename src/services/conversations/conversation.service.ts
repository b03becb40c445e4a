/**
 * Conversations and messages. Who sees a conversation (reads and writes alike; anything else is
 * NOT_FOUND):
 * - `message:*` with `all` scope: the conversations they take part in, plus every conversation
 *   of a CSR project they may read (`project:read`, itself scoped);
 * - `own` scope (a recipient): conversations of their partner's projects, and conversations
 *   without a project that they take part in. The partner scope is CSR's (services/csr).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Knex } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { scopeOf } from '../../core/access/permissions';
import { badInput, forbidden, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { publishAfterCommit } from '../../core/pubsub';
import { Conversation, ConversationParticipant, Message } from '../../entities/conversations/conversation.entity';
import { PartnerMember } from '../../entities/csr/partner.entity';
import { Project } from '../../entities/csr/project.entity';
import { Membership, MembershipStatus } from '../../entities/tenancy/membership.entity';
import { recordAudit } from '../audit';
import { inScope, projectScope, type ProjectScope } from '../csr';
import { getFile } from '../files';
import { notify } from '../notifications';
import { MessageAdded } from './conversations.events';
import type { Loaded } from '../../core/orm/loaders';

export const MAX_SUBJECT_LENGTH = 200;
export const MAX_BODY_LENGTH = 10_000;
export const MAX_ATTACHMENTS = 10;
export const MAX_PARTICIPANTS = 100;

/** What the caller reaches with `message:<action>`. */
export interface ConversationAccess {
  userId: string;
  own: boolean;
  /** Partners whose project conversations are reachable; null: every project's. */
  partners: ProjectScope;
}

export async function conversationAccess(ctx: RequestContext, action: 'read' | 'write', em?: EntityManager): Promise<ConversationAccess> {
  requireTenant(ctx);
  const viewer = requireViewer(ctx);
  const scope = scopeOf(viewer.permissions, `message:${action}`);
  if (!scope) throw forbidden();
  if (scope === 'own') return { userId: viewer.userId, own: true, partners: await projectScope(ctx, `message:${action}`, em) };
  const partners = scopeOf(viewer.permissions, 'project:read') ? await projectScope(ctx, 'project:read', em) : [];
  return { userId: viewer.userId, own: false, partners };
}

/** Whether a conversation (with its project's partner, and the caller's participation) is reachable. */
export function reachable(access: ConversationAccess, projectId: string | null | undefined, partnerId: string | null | undefined, participant: boolean): boolean {
  if (projectId) {
    const project = inScope(access.partners, partnerId);
    return access.own ? project : project || participant;
  }
  return participant;
}

/** The list condition matching `reachable`, on conversations_conversation. */
function reachableWhere(qb: Knex.QueryBuilder, access: ConversationAccess): void {
  const participant = (b: Knex.QueryBuilder) =>
    b.whereExists((sub) =>
      sub.select(1).from('conversations_participant as cp').whereRaw('cp.conversation_id = conversations_conversation.id').where('cp.user_id', access.userId));
  const project = (b: Knex.QueryBuilder) => {
    b.whereNotNull('project_id');
    if (access.partners) {
      const partners = access.partners;
      b.whereIn('project_id', (sub) => sub.select('id').from('csr_project').whereIn('partner_id', partners));
    }
  };
  if (access.own) qb.where((b) => b.where((p) => { p.whereNull('project_id'); participant(p); }).orWhere(project));
  else qb.where((b) => b.where(participant).orWhere(project));
}

const partnerOfProject = async (ctx: RequestContext, projectId: string | null | undefined, em?: EntityManager) => {
  if (!projectId) return null;
  if (em) return (await em.findOne(Project, { id: projectId }, { fields: ['partnerId'] }))?.partnerId ?? null;
  return (await ctx.loaders.byId<Project>(Project, projectId))?.partnerId ?? null;
};

/** The conversation `id` as the caller may read it (plain row), or NOT_FOUND. */
export async function getConversation(ctx: RequestContext, id: string, field = 'id'): Promise<Conversation> {
  const access = await conversationAccess(ctx, 'read');
  const conversation = await ctx.loaders.byId<Conversation>(Conversation, assertId(field, id));
  if (!conversation) throw notFound('Conversation', field);
  const participants = await ctx.loaders.manyBy<ConversationParticipant>(ConversationParticipant, 'conversationId', conversation.id);
  const partnerId = await partnerOfProject(ctx, conversation.projectId);
  if (!reachable(access, conversation.projectId, partnerId, participants.some((p) => p.userId === access.userId))) throw notFound('Conversation', field);
  return conversation;
}

/** The conversation loaded in a mutation's transaction, if the caller may write to it. */
async function conversationIn(ctx: RequestContext, em: EntityManager, id: string, field = 'conversationId') {
  const access = await conversationAccess(ctx, 'write', em);
  const conversation = await em.findOne(Conversation, { id: assertId(field, id) });
  if (!conversation) throw notFound('Conversation', field);
  const participants = await em.find(ConversationParticipant, { conversationId: conversation.id });
  const partnerId = await partnerOfProject(ctx, conversation.projectId, em);
  if (!reachable(access, conversation.projectId, partnerId, participants.some((p) => p.userId === access.userId))) throw notFound('Conversation', field);
  return { access, conversation, participants, partnerId };
}

export interface ConversationListArgs extends ListArgs {
  projectId?: string | null;
}

/** Reachable conversations, most recently active first. */
export async function listConversations(ctx: RequestContext, args: ConversationListArgs) {
  const access = await conversationAccess(ctx, 'read');
  const projectId = args.projectId ? assertId('projectId', args.projectId) : null;
  return buildConnection<Conversation>(ctx.db, Conversation, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'updatedAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
    where: (qb) => {
      reachableWhere(qb, access);
      if (projectId) qb.where('project_id', projectId);
    },
  });
}

export function conversationParticipants(ctx: RequestContext, conversationId: string): Loaded<ConversationParticipant[]> {
  return ctx.loaders.manyBy<ConversationParticipant>(ConversationParticipant, 'conversationId', conversationId);
}

const unreadLoaders = new WeakMap<RequestContext, DataLoader<string, number>>();

/** Messages of others posted after the caller last read the conversation (batched per request: one statement). */
export function unreadCount(ctx: RequestContext, conversationId: string): Promise<number> {
  const userId = requireViewer(ctx).userId;
  let loader = unreadLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, number>(async (ids) => {
      const rows = await ctx.db.query<{ id: string; n: number }>(
        `select m.conversation_id as id, count(*)::int as n
           from conversations_message m
           left join conversations_participant p on p.conversation_id = m.conversation_id and p.user_id = $1
          where m.conversation_id = any($2::uuid[]) and m.deleted_at is null and m.author_id is distinct from $1
            and (p.last_read_at is null or m.created_at > p.last_read_at)
          group by m.conversation_id`,
        [userId, ids],
        { readOnly: true },
      );
      const counts = new Map(rows.map((r) => [r.id, r.n]));
      return ids.map((id) => counts.get(id) ?? 0);
    });
    unreadLoaders.set(ctx, loader);
  }
  return loader.load(conversationId);
}

/** A conversation's messages, newest first. */
export async function listMessages(ctx: RequestContext, conversationId: string, args: ListArgs) {
  const conversation = await getConversation(ctx, conversationId, 'conversationId');
  return buildConnection<Message>(ctx.db, Message, {
    orderBy: [{ field: 'createdAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
    where: (qb) => qb.where('conversation_id', conversation.id),
  });
}

export async function getMessage(ctx: RequestContext, id: string): Promise<Message> {
  const message = await ctx.loaders.byId<Message>(Message, assertId('id', id));
  if (!message) throw notFound('Message', 'id');
  await getConversation(ctx, message.conversationId).catch(() => {
    throw notFound('Message', 'id');
  });
  return message;
}

// ---- writes ----

function text(field: string, value: string | null | undefined, max: number): string {
  const t = (value ?? '').trim();
  if (!t) throw badInput(field, `${field} must not be empty`);
  if (t.length > max) throw badInput(field, `${field} must be at most ${max} characters`);
  return t;
}

/**
 * Users to add: distinct valid ids, active members of the organization; on a project's
 * conversation, no user linked to another partner (csr_partner_member: a recipient's partner).
 */
async function checkParticipants(em: EntityManager, userIds: string[], projectPartnerId: string | null, projectId: string | null | undefined): Promise<string[]> {
  const ids = [...new Set(userIds.map((id) => assertId('participantIds', id)))];
  if (ids.length > MAX_PARTICIPANTS) throw badInput('participantIds', `At most ${MAX_PARTICIPANTS} participants`);
  if (!ids.length) return ids;
  const members = await em.find(Membership, { userId: { $in: ids }, status: MembershipStatus.ACTIVE }, { fields: ['userId'] });
  const found = new Set(members.map((m) => m.userId));
  const missing = ids.find((id) => !found.has(id));
  if (missing) throw badInput('participantIds', `User ${missing} is not a member of the organization`);
  if (projectId) {
    const links = await em.find(PartnerMember, { userId: { $in: ids } }, { fields: ['userId', 'partnerId'] });
    const outsider = links.find((l) => l.partnerId !== projectPartnerId && !links.some((o) => o.userId === l.userId && o.partnerId === projectPartnerId));
    if (outsider) throw badInput('participantIds', `User ${outsider.userId} acts for another partner than the project's`);
  }
  return ids;
}

export interface StartConversationInput {
  subject: string;
  projectId?: string | null;
  participantIds: string[];
}

/** Starts a conversation; the caller takes part in it. A project's conversation needs the project in the caller's scope. */
export async function startConversation(ctx: RequestContext, input: StartConversationInput): Promise<Conversation> {
  const subject = text('subject', input.subject, MAX_SUBJECT_LENGTH);
  const projectId = input.projectId ? assertId('projectId', input.projectId) : null;
  return ctx.db.transactional(async (em) => {
    const access = await conversationAccess(ctx, 'write', em);
    let partnerId: string | null = null;
    if (projectId) {
      const project = await em.findOne(Project, { id: projectId }, { fields: ['partnerId'] });
      if (!project || !inScope(access.partners, project.partnerId)) throw notFound('Project', 'projectId');
      partnerId = project.partnerId ?? null;
    }
    // The caller's own reach was checked above (a manager linked to the internal partner may still open any project's conversation).
    const others = (await checkParticipants(em, input.participantIds, partnerId, projectId)).filter((id) => id !== access.userId);
    const conversation = em.create(Conversation, { subject, projectId, createdBy: access.userId, lastMessageAt: null } as Conversation);
    for (const userId of [access.userId, ...others]) {
      em.create(ConversationParticipant, { conversationId: conversation.id, userId, lastReadAt: userId === access.userId ? new Date() : null } as ConversationParticipant);
    }
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'conversations.conversation.start', resourceType: 'Conversation', resourceId: conversation.id,
      changes: { subject: { from: null, to: subject }, projectId: { from: null, to: projectId }, participantIds: { from: null, to: [access.userId, ...others] } },
    });
    return conversation;
  });
}

/** Adds participants (already present ones are ignored). */
export async function addParticipants(ctx: RequestContext, conversationId: string, userIds: string[]): Promise<Conversation> {
  if (!userIds.length) throw badInput('participantIds', 'participantIds must not be empty');
  return ctx.db.transactional(async (em) => {
    const { conversation, participants, partnerId } = await conversationIn(ctx, em, conversationId);
    const ids = await checkParticipants(em, userIds, partnerId, conversation.projectId);
    const present = new Set(participants.map((p) => p.userId));
    const added = ids.filter((id) => !present.has(id));
    for (const userId of added) em.create(ConversationParticipant, { conversationId: conversation.id, userId, lastReadAt: null } as ConversationParticipant);
    if (added.length) {
      conversation.updatedAt = new Date();
      await em.flush();
      await recordAudit(ctx, em, {
        action: 'conversations.participant.add', resourceType: 'Conversation', resourceId: conversation.id,
        changes: { participantIds: { from: [...present], to: [...present, ...added] } },
      });
    }
    return conversation;
  });
}

async function checkAttachments(ctx: RequestContext, fileIds: string[] | null | undefined): Promise<string[]> {
  const ids = [...new Set((fileIds ?? []).map((id) => assertId('attachmentFileIds', id)))];
  if (ids.length > MAX_ATTACHMENTS) throw badInput('attachmentFileIds', `At most ${MAX_ATTACHMENTS} attachments`);
  for (const id of ids) {
    const file = await getFile(ctx, id).catch(() => null);
    if (!file) throw badInput('attachmentFileIds', `File ${id} does not exist`);
    if (file.status !== 'ready') throw badInput('attachmentFileIds', `File ${id} is not uploaded yet`);
  }
  return ids;
}

export interface PostMessageInput {
  body: string;
  parentMessageId?: string | null;
  attachmentFileIds?: string[] | null;
}

/** Posts a message; the author joins the conversation if not in it (a manager on a project's conversation). */
export async function postMessage(ctx: RequestContext, conversationId: string, input: PostMessageInput): Promise<Message> {
  const body = text('body', input.body, MAX_BODY_LENGTH);
  const parentId = input.parentMessageId ? assertId('parentMessageId', input.parentMessageId) : null;
  const attachments = await checkAttachments(ctx, input.attachmentFileIds);
  return ctx.db.transactional(async (em) => {
    const { access, conversation, participants, partnerId } = await conversationIn(ctx, em, conversationId);
    if (parentId) {
      const parent = await em.findOne(Message, { id: parentId }, { fields: ['conversationId'] });
      if (!parent || parent.conversationId !== conversation.id) throw badInput('parentMessageId', 'The parent message is not in this conversation');
    }
    const now = new Date();
    const message = em.create(Message, {
      conversationId: conversation.id, authorId: access.userId, body, parentMessageId: parentId, attachmentFileIds: attachments, editedAt: null, deletedAt: null, createdAt: now,
    } as Message);
    const mine = participants.find((p) => p.userId === access.userId);
    if (mine) mine.lastReadAt = now;
    else em.create(ConversationParticipant, { conversationId: conversation.id, userId: access.userId, lastReadAt: now } as ConversationParticipant);
    conversation.lastMessageAt = now;
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'conversations.message.post', resourceType: 'Message', resourceId: message.id,
      changes: { conversationId: { from: null, to: conversation.id }, parentMessageId: { from: null, to: parentId }, attachmentFileIds: { from: null, to: attachments } },
    });
    for (const p of participants) {
      if (p.userId === access.userId) continue;
      await notify(ctx, em, {
        userId: p.userId, type: 'message_added', title: `New message in “${conversation.subject}”`,
        body: body.slice(0, 200), data: { conversationId: conversation.id, messageId: message.id },
      });
    }
    publishAfterCommit(ctx, MessageAdded, conversation.organizationId, {
      messageId: message.id, conversationId: conversation.id, projectId: conversation.projectId ?? null, partnerId,
      authorId: access.userId, body, parentMessageId: parentId, attachmentFileIds: attachments, createdAt: now.toISOString(),
    });
    return message;
  });
}

async function messageIn(ctx: RequestContext, em: EntityManager, id: string) {
  const message = await em.findOne(Message, { id: assertId('id', id) });
  if (!message) throw notFound('Message', 'id');
  const found = await conversationIn(ctx, em, message.conversationId, 'id').catch(() => {
    throw notFound('Message', 'id');
  });
  if (message.deletedAt) throw notFound('Message', 'id');
  return { message, ...found };
}

/** Changes a message's body; its author only. */
export async function editMessage(ctx: RequestContext, id: string, bodyInput: string): Promise<Message> {
  const body = text('body', bodyInput, MAX_BODY_LENGTH);
  return ctx.db.transactional(async (em) => {
    const { message, access } = await messageIn(ctx, em, id);
    if (message.authorId !== access.userId) throw forbidden('Only the author may edit a message');
    const before = message.body;
    if (before === body) return message;
    message.body = body;
    message.editedAt = new Date();
    await em.flush();
    await recordAudit(ctx, em, { action: 'conversations.message.edit', resourceType: 'Message', resourceId: message.id, changes: { body: { from: before, to: body } } });
    return message;
  });
}

/** Soft-deletes a message (body and attachments blanked, row kept for threads); its author or an admin (`message:delete`). */
export async function deleteMessage(ctx: RequestContext, id: string): Promise<Message> {
  return ctx.db.transactional(async (em) => {
    const { message, access } = await messageIn(ctx, em, id);
    // Admins hold `message:delete` (the role templates give it to owner and admin only).
    const isAdmin = scopeOf(requireViewer(ctx).permissions, 'message:delete') === 'all';
    if (message.authorId !== access.userId && !isAdmin) throw forbidden('Only the author or an admin may delete a message');
    const before = { body: message.body, attachmentFileIds: message.attachmentFileIds };
    message.body = '';
    message.attachmentFileIds = [];
    message.deletedAt = new Date();
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'conversations.message.delete', resourceType: 'Message', resourceId: message.id,
      changes: { deletedAt: { from: null, to: message.deletedAt.toISOString() }, attachmentFileIds: { from: before.attachmentFileIds, to: [] } },
    });
    return message;
  });
}

/** Marks everything up to now read for the caller (joining the conversation if reachable without being in it). */
export async function markConversationRead(ctx: RequestContext, conversationId: string): Promise<Conversation> {
  return ctx.db.transactional(async (em) => {
    // Reading is enough to mark read.
    const access = await conversationAccess(ctx, 'read', em);
    const conversation = await em.findOne(Conversation, { id: assertId('conversationId', conversationId) });
    if (!conversation) throw notFound('Conversation', 'conversationId');
    const participants = await em.find(ConversationParticipant, { conversationId: conversation.id });
    const mine = participants.find((p) => p.userId === access.userId);
    const partnerId = await partnerOfProject(ctx, conversation.projectId, em);
    if (!reachable(access, conversation.projectId, partnerId, Boolean(mine))) throw notFound('Conversation', 'conversationId');
    const now = new Date();
    const before = mine?.lastReadAt ?? null;
    if (mine) mine.lastReadAt = now;
    else em.create(ConversationParticipant, { conversationId: conversation.id, userId: access.userId, lastReadAt: now } as ConversationParticipant);
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'conversations.conversation.read', resourceType: 'Conversation', resourceId: conversation.id,
      changes: { lastReadAt: { from: before?.toISOString() ?? null, to: now.toISOString() } },
    });
    return conversation;
  });
}
