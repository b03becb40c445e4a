import { ConversationResolver, MessageResolver } from './conversation.resolver';

export { conversationsRules } from './conversations.rules';
export const conversationsResolvers = [ConversationResolver, MessageResolver] as const;
