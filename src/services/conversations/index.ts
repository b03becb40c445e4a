export {
  getConversation, listConversations, conversationParticipants, unreadCount, listMessages, getMessage,
  startConversation, addParticipants, postMessage, editMessage, deleteMessage, markConversationRead,
  MAX_BODY_LENGTH, MAX_SUBJECT_LENGTH, MAX_ATTACHMENTS,
} from './conversation.service';
export type { ConversationListArgs, StartConversationInput, PostMessageInput } from './conversation.service';
export { subscribeMessageAdded } from './conversations.subscriptions';
export type { MessageAddedEvent } from './conversations.events';
