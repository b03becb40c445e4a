import { can, type RuleMap } from '../../schema/rules';

export const conversationsRules: RuleMap = {
  Query: {
    conversation: can('message:read'),
    conversations: can('message:read'),
    messages: can('message:read'),
  },
  Mutation: {
    startConversation: can('message:write'),
    addParticipants: can('message:write'),
    postMessage: can('message:write'),
    editMessage: can('message:write'),
    deleteMessage: can('message:write'),
    markConversationRead: can('message:read'),
  },
  Subscription: {
    messageAdded: can('message:read'),
  },
};
