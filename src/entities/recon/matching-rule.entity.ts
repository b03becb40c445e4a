import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { TenantEntity } from '../../core/orm/base-entities';
import { DecimalScalar } from '../../schema/scalars';
import { MatchField, MatchingRuleStatus, MatchingRuleType } from './enums';

/** The configuration a rule matches with (also what a pending change proposes). */
export interface RuleConfig {
  name: string;
  type: MatchingRuleType;
  fields: MatchField[];
  amountTolerancePct: string;
  amountToleranceAbs: string;
  dateToleranceDays: number;
  similarityThreshold: string;
  regexPattern: string | null;
  allowGroups: boolean;
  priority: number;
  active: boolean;
}

/**
 * A matching rule. It takes part in runs only once approved (maker-checker); a change to an
 * approved rule waits in pendingChange, the approved configuration staying in force meanwhile.
 */
@ObjectType({ simpleResolvers: true, description: 'A matching rule: exact, fuzzy, range or regex, applied in priority order once approved' })
@Entity({ tableName: 'recon_rule' })
@Index({ properties: ['organizationId', 'priority'] })
export class MatchingRule extends TenantEntity {
  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => MatchingRuleType)
  @Enum({ items: () => MatchingRuleType, nativeEnumName: 'recon_rule_type' })
  type!: MatchingRuleType;

  @Field(() => [MatchField], { description: 'Fields compared for equality (exact), as the join key (range, regex), or by similarity (fuzzy: reference/description)' })
  @Property({ type: 'jsonb' })
  fields: MatchField[] = [];

  @Field(() => DecimalScalar, { description: 'Amount tolerance in percent of the amount' })
  @Property({ type: 'decimal', precision: 9, scale: 4 })
  amountTolerancePct: string = '0';

  @Field(() => DecimalScalar, { description: 'Absolute amount tolerance' })
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  amountToleranceAbs: string = '0';

  @Field(() => Int, { description: 'Date tolerance in days' })
  @Property({ type: 'integer' })
  dateToleranceDays: number = 0;

  @Field(() => DecimalScalar, { description: 'Minimum trigram similarity (0–1) of fuzzy rules' })
  @Property({ type: 'decimal', precision: 4, scale: 3 })
  similarityThreshold: string = '0.8';

  @Field(() => String, { nullable: true, description: 'Regex rules: pattern extracting the reference from the description' })
  @Property({ type: 'text', nullable: true })
  regexPattern?: string | null;

  @Field({ description: 'Also match groups: one row against several rows with the same key whose amounts add up' })
  @Property({ type: 'boolean' })
  allowGroups: boolean = false;

  @Field(() => Int, { description: 'Lower runs first' })
  @Property({ type: 'integer' })
  priority: number = 100;

  @Field()
  @Property({ type: 'boolean' })
  active: boolean = true;

  @Field(() => MatchingRuleStatus)
  @Enum({ items: () => MatchingRuleStatus, nativeEnumName: 'recon_rule_status' })
  status: MatchingRuleStatus = MatchingRuleStatus.PENDING_APPROVAL;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'A change awaiting approval (the approved configuration applies until then)' })
  @Property({ type: 'jsonb', nullable: true })
  pendingChange?: Partial<RuleConfig> | null;

  @Field(() => ID, { nullable: true, description: 'The approval request of the latest change' })
  @Property({ type: 'uuid', nullable: true })
  approvalId?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  approvedAt?: Date | null;

  @Field(() => Int, { description: 'Approved versions so far' })
  @Property({ type: 'integer' })
  version: number = 0;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null' })
  createdBy?: string | null;
}
