/** Subscription events of the conversations domain (JSON payloads, tenant topics). */
import { defineEvent } from '../../core/pubsub';

export interface MessageAddedEvent {
  messageId: string;
  conversationId: string;
  /** The conversation's project and its recipient partner, for the scope check of each subscriber. */
  projectId: string | null;
  partnerId: string | null;
  authorId: string | null;
  body: string;
  parentMessageId: string | null;
  attachmentFileIds: string[];
  createdAt: string;
}

export const MessageAdded = defineEvent<MessageAddedEvent>('conversations.messageAdded');
