/**
 * Conversations between members of an organization (DOMAINS.md §9), optionally about a CSR
 * project, and their messages. Named `conversations` to keep apart from the `messaging` domain,
 * which sends outbound email / SMS.
 */
import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'conversations_conversation' })
@Index({ properties: ['organizationId', 'lastMessageAt'] })
export class Conversation extends TenantEntity {
  @Field()
  @Property({ type: 'text' })
  subject!: string;

  @Field(() => ID, { nullable: true, description: 'The CSR project the conversation is about, if any' })
  @ManyToOne({ entity: 'Project', mapToPk: true, fieldName: 'project_id', nullable: true, deleteRule: 'cascade', index: true })
  projectId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Who started it (null once that user is deleted)' })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null', index: true })
  createdBy?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the latest message was posted' })
  @Property({ type: 'timestamptz', nullable: true })
  lastMessageAt?: Date | null;
}

/** A user taking part in a conversation, with how far they have read. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'conversations_participant' })
@Unique({ properties: ['conversationId', 'userId'] })
export class ConversationParticipant extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Conversation', mapToPk: true, fieldName: 'conversation_id', deleteRule: 'cascade', index: true })
  conversationId!: string;

  @Field(() => ID)
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'user_id', deleteRule: 'cascade', index: true })
  userId!: string;

  @Field(() => Date, { nullable: true, description: 'Messages posted after this are unread for the participant' })
  @Property({ type: 'timestamptz', nullable: true })
  lastReadAt?: Date | null;
}

/** A message; `parentMessageId` makes it a reply in a thread. Deleting blanks it and keeps the row. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'conversations_message' })
@Index({ properties: ['conversationId', 'createdAt'] })
export class Message extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Conversation', mapToPk: true, fieldName: 'conversation_id', deleteRule: 'cascade' })
  conversationId!: string;

  @Field(() => ID, { nullable: true, description: 'The author (null once that user is deleted)' })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'author_id', nullable: true, deleteRule: 'set null', index: true })
  authorId?: string | null;

  @Field({ description: 'Empty once deleted' })
  @Property({ type: 'text' })
  body!: string;

  @Field(() => ID, { nullable: true, description: 'The message this one replies to (same conversation)' })
  @ManyToOne({ entity: 'Message', mapToPk: true, fieldName: 'parent_message_id', nullable: true, deleteRule: 'set null', index: true })
  parentMessageId?: string | null;

  @Field(() => [ID], { description: 'Attached files (ready files of the organization)' })
  @Property({ type: 'jsonb' })
  attachmentFileIds: string[] = [];

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  editedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  deletedAt?: Date | null;
}
