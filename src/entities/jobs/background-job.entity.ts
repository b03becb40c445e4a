import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { TenantEntity } from '../../core/orm/base-entities';

export enum BackgroundJobStatus {
  QUEUED = 'queued',
  RUNNING = 'running',
  COMPLETED = 'completed',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
}
registerEnumType(BackgroundJobStatus, { name: 'BackgroundJobStatus', description: 'Where a background job is: queued (also between retries), running, or finished' });

/**
 * One tenant job as its users see it. Written by the job runner (core/jobs) in short
 * transactions of their own; its id is derived from the job's idempotency key, so enqueueing
 * the same job twice gives the same row.
 */
@ObjectType({ simpleResolvers: true, description: 'A background job of the organization: type, status, progress, attempts, error and timings' })
@Entity({ tableName: 'background_job' })
@Index({ properties: ['organizationId', 'createdAt'] })
export class BackgroundJob extends TenantEntity {
  @Field({ description: 'The job type, e.g. send-message' })
  @Property({ type: 'text' })
  type!: string;

  @Field(() => ID, { nullable: true, description: 'Who started it (null for system maintenance)' })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'actor_id', nullable: true, deleteRule: 'set null', index: true })
  actorId?: string | null;

  /** BullMQ job id (the idempotency key, hashed): one row per key. */
  @Property({ type: 'text', unique: true, hidden: true })
  jobKey!: string;

  @Field(() => BackgroundJobStatus)
  @Enum({ items: () => BackgroundJobStatus, nativeEnumName: 'background_job_status' })
  status: BackgroundJobStatus = BackgroundJobStatus.QUEUED;

  @Field(() => Int, { description: '0–100' })
  @Property({ type: 'smallint' })
  progress: number = 0;

  @Field(() => Int, { description: 'Attempts started so far' })
  @Property({ type: 'smallint' })
  attempts: number = 0;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  maxAttempts: number = 1;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (safe to show)' })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Field(() => GraphQLJSONObject, { description: 'What the job is about, without secrets' })
  @Property({ type: 'jsonb' })
  payloadSummary: Record<string, unknown> = {};

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Property({ type: 'jsonb', nullable: true })
  result?: Record<string, unknown> | null;

  @Field()
  @Property({ type: 'timestamptz' })
  queuedAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'When the latest attempt started' })
  @Property({ type: 'timestamptz', nullable: true })
  startedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date | null;
}
