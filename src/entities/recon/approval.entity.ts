import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { TenantEntity } from '../../core/orm/base-entities';
import { ApprovalStatus, ApprovalType } from './enums';

@ObjectType({ simpleResolvers: true, description: 'A comment on an approval request or an exception' })
export class ReviewComment {
  @Field(() => ID, { nullable: true }) userId!: string | null;
  @Field() body!: string;
  @Field() createdAt!: Date;
}

/** Maker-checker: a change that waits for a second person (with approval:approve) to approve it. */
@ObjectType({ simpleResolvers: true, description: 'A maker-checker request: the requester can never decide their own' })
@Entity({ tableName: 'recon_approval' })
@Index({ properties: ['organizationId', 'status'] })
@Index({ properties: ['resourceType', 'resourceId'] })
export class Approval extends TenantEntity {
  @Field(() => ApprovalType)
  @Enum({ items: () => ApprovalType, nativeEnumName: 'recon_approval_type' })
  type!: ApprovalType;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field({ description: 'Kind of record the request is about, e.g. MatchingRule' })
  @Property({ type: 'text' })
  resourceType!: string;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  resourceId?: string | null;

  @Field(() => GraphQLJSONObject, { description: 'What approving applies' })
  @Property({ type: 'jsonb' })
  payload: Record<string, unknown> = {};

  @Field(() => ApprovalStatus)
  @Enum({ items: () => ApprovalStatus, nativeEnumName: 'recon_approval_status' })
  status: ApprovalStatus = ApprovalStatus.PENDING;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'requested_by_id', nullable: true, deleteRule: 'set null', index: true })
  requestedBy?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'decided_by_id', nullable: true, deleteRule: 'set null' })
  decidedBy?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null;

  @Field(() => [ReviewComment])
  @Property({ type: 'jsonb' })
  comments: ReviewComment[] = [];
}
