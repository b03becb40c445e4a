/**
 * messageAdded for subscribers of the organization, optionally of one conversation. Every event
 * is re-checked against the subscriber's scope as it is when the event arrives (participation,
 * partner link, grants), in a fresh context closed at once, like CSR's milestoneUpdated.
 */
import type { RequestContext } from '../../core/context/request-context';
import { refreshContext, requireViewer } from '../../core/context/request-context';
import { filterEvents, subscribeTo } from '../../core/pubsub';
import { ConversationParticipant } from '../../entities/conversations/conversation.entity';
import { conversationAccess, getConversation, reachable } from './conversation.service';
import { MessageAdded, type MessageAddedEvent } from './conversations.events';

async function mayReceive(ctx: RequestContext, event: MessageAddedEvent): Promise<boolean> {
  const check = refreshContext(ctx, requireViewer(ctx));
  try {
    const access = await conversationAccess(check, 'read');
    const participants = await check.loaders.manyBy<ConversationParticipant>(ConversationParticipant, 'conversationId', event.conversationId);
    return reachable(access, event.projectId, event.partnerId, participants.some((p) => p.userId === access.userId));
  } catch {
    return false;
  } finally {
    await check.db.finish(true);
  }
}

/** NOT_FOUND at once for a conversation outside the subscriber's scope or tenant. */
export async function subscribeMessageAdded(ctx: RequestContext, conversationId?: string | null): Promise<AsyncIterableIterator<MessageAddedEvent>> {
  const viewer = requireViewer(ctx);
  if (conversationId) {
    const check = refreshContext(ctx, viewer);
    try {
      await getConversation(check, conversationId, 'conversationId');
    } finally {
      await check.db.finish(true);
    }
  }
  const source = subscribeTo(ctx, MessageAdded, (e) => !conversationId || e.conversationId === conversationId);
  return filterEvents(source, (e) => mayReceive(ctx, e));
}
