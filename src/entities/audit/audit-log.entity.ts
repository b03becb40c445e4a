import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { v7 as uuidv7 } from 'uuid';

/**
 * Append-only, hash-chained record of every mutation and security event. `hash` covers this
 * row's content and the previous row's hash in the same chain (one chain per organization,
 * one for platform events with no organization). The app role may only INSERT and SELECT.
 */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'audit_log' })
@Unique({ properties: ['organizationId', 'seq'] })
@Index({ name: 'audit_log_org_created_idx', expression: 'create index audit_log_org_created_idx on audit_log (organization_id, created_at desc)' })
@Index({
  name: 'audit_log_platform_seq_unique',
  expression: 'create unique index audit_log_platform_seq_unique on audit_log (seq) where organization_id is null',
})
export class AuditLog {
  @Field()
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Field(() => String, { nullable: true })
  @ManyToOne({ entity: 'Organization', mapToPk: true, fieldName: 'organization_id', nullable: true, deleteRule: 'no action' })
  organizationId?: string | null;

  @Field(() => String)
  @Property({ type: 'bigint' })
  seq!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  userId?: string | null;

  @Field()
  @Property({ type: 'text' })
  action!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  resourceType?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  resourceId?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Property({ type: 'jsonb', nullable: true })
  changes?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  ip?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  userAgent?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  requestId?: string | null;

  @Property({ type: 'text' })
  prevHash!: string;

  @Field()
  @Property({ type: 'text' })
  hash!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
