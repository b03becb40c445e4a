import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Subscription } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput } from '../../core/orm/connection';
import { Conversation, ConversationParticipant, Message } from '../../entities/conversations/conversation.entity';
import * as conversations from '../../services/conversations';
import type { MessageAddedEvent } from '../../services/conversations';
import { Parent } from '../../schema/common';
import { ConversationConnection, ConversationsArgs, MessageAddedPayload, MessageConnection, MessagesArgs, PostMessageInput, StartConversationInput } from './conversations.types';
import type { Loaded } from '../../core/orm/loaders';

@Resolver(() => Conversation)
export class ConversationResolver {
  @Query(() => Conversation, { description: 'A conversation the caller takes part in or may read through its project' })
  conversation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Conversation> {
    return conversations.getConversation(ctx, id);
  }

  @Query(() => ConversationConnection, { description: 'Reachable conversations, most recently active first (recipients: their partner’s projects’ and their own)' })
  conversations(@Args() args: ConversationsArgs, @Ctx() ctx: RequestContext) {
    return conversations.listConversations(ctx, { ...args, filter: args.filter as FilterInput | undefined });
  }

  @FieldResolver(() => [ConversationParticipant])
  participants(@Parent() conversation: Conversation, @Ctx() ctx: RequestContext): Loaded<ConversationParticipant[]> {
    return conversations.conversationParticipants(ctx, conversation.id);
  }

  @FieldResolver(() => Int, { description: 'Messages of others posted since the caller last read the conversation' })
  unreadCount(@Parent() conversation: Conversation, @Ctx() ctx: RequestContext): Promise<number> {
    return conversations.unreadCount(ctx, conversation.id);
  }

  @Mutation(() => Conversation, { description: 'Starts a conversation (optionally about a CSR project) with members of the organization' })
  startConversation(@Arg('input') input: StartConversationInput, @Ctx() ctx: RequestContext): Promise<Conversation> {
    return conversations.startConversation(ctx, input);
  }

  @Mutation(() => Conversation)
  addParticipants(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('participantIds', () => [ID]) participantIds: string[],
    @Ctx() ctx: RequestContext,
  ): Promise<Conversation> {
    return conversations.addParticipants(ctx, conversationId, participantIds);
  }

  @Mutation(() => Conversation, { description: 'Marks the conversation read up to now for the caller' })
  markConversationRead(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: RequestContext): Promise<Conversation> {
    return conversations.markConversationRead(ctx, conversationId);
  }
}

@Resolver(() => Message)
export class MessageResolver {
  @Query(() => MessageConnection, { description: 'A conversation’s messages, newest first' })
  messages(@Args() args: MessagesArgs, @Ctx() ctx: RequestContext) {
    return conversations.listMessages(ctx, args.conversationId, args);
  }

  @Mutation(() => Message)
  postMessage(@Arg('input') input: PostMessageInput, @Ctx() ctx: RequestContext): Promise<Message> {
    const { conversationId, ...rest } = input;
    return conversations.postMessage(ctx, conversationId, rest);
  }

  @Mutation(() => Message, { description: 'Changes a message’s body (its author only)' })
  editMessage(@Arg('id', () => ID) id: string, @Arg('body') body: string, @Ctx() ctx: RequestContext): Promise<Message> {
    return conversations.editMessage(ctx, id, body);
  }

  @Mutation(() => Message, { description: 'Deletes a message (its author, or an admin): the body is blanked and the row kept for threads' })
  deleteMessage(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Message> {
    return conversations.deleteMessage(ctx, id);
  }

  @Subscription(() => MessageAddedPayload, {
    description: 'Messages posted to conversations the subscriber may read, optionally of one conversation',
    subscribe: ({ args, context }) => conversations.subscribeMessageAdded(context as RequestContext, (args as { conversationId?: string }).conversationId),
  })
  messageAdded(@Arg('conversationId', () => ID, { nullable: true }) _conversationId: string | null, @Parent() event: MessageAddedEvent): MessageAddedPayload {
    const { partnerId: _partnerId, ...payload } = event;
    return payload;
  }
}
