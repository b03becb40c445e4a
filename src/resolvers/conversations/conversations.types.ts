import { ArgsType, Field, ID, InputType, ObjectType } from 'type-graphql';
import { Conversation, Message } from '../../entities/conversations/conversation.entity';
import { Connection, DateTimeFilter, IdFilter, PageArgs, StringFilter } from '../../schema/common';

export const ConversationConnection = Connection(Conversation);
export const MessageConnection = Connection(Message);

@InputType()
export class ConversationFilter {
  @Field(() => StringFilter, { nullable: true }) subject?: StringFilter;
  @Field(() => IdFilter, { nullable: true }) projectId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) createdBy?: IdFilter;
  @Field(() => DateTimeFilter, { nullable: true }) lastMessageAt?: DateTimeFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
  @Field(() => [ConversationFilter], { nullable: true }) and?: ConversationFilter[];
  @Field(() => [ConversationFilter], { nullable: true }) or?: ConversationFilter[];
}

@ArgsType()
export class ConversationsArgs extends PageArgs {
  @Field(() => ConversationFilter, { nullable: true }) filter?: ConversationFilter;
  @Field(() => ID, { nullable: true, description: 'Only the conversations of this CSR project' }) projectId?: string;
}

@ArgsType()
export class MessagesArgs extends PageArgs {
  @Field(() => ID) conversationId!: string;
}

@InputType()
export class StartConversationInput {
  @Field() subject!: string;
  @Field(() => ID, { nullable: true, description: 'A CSR project the conversation is about' }) projectId?: string | null;
  @Field(() => [ID], { description: 'Members of the organization to include (the caller is always included)' }) participantIds!: string[];
}

@InputType()
export class PostMessageInput {
  @Field(() => ID) conversationId!: string;
  @Field() body!: string;
  @Field(() => ID, { nullable: true, description: 'Reply to this message (same conversation)' }) parentMessageId?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Ready files of the organization' }) attachmentFileIds?: string[] | null;
}

@ObjectType({ simpleResolvers: true, description: 'A message posted to a conversation the subscriber may read' })
export class MessageAddedPayload {
  @Field(() => ID) messageId!: string;
  @Field(() => ID) conversationId!: string;
  @Field(() => ID, { nullable: true }) projectId!: string | null;
  @Field(() => ID, { nullable: true }) authorId!: string | null;
  @Field() body!: string;
  @Field(() => ID, { nullable: true }) parentMessageId!: string | null;
  @Field(() => [ID]) attachmentFileIds!: string[];
  @Field() createdAt!: string;
}
