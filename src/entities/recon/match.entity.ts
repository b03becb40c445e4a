import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../schema/scalars';
import { MatchType, ReconSide } from './enums';

/**
 * A match found by a run: written set-based by the matching passes (insert ... select), so it is
 * narrow like recon_row (bigint key, no timestamps); organization_id carries row-level security.
 */
@ObjectType({ simpleResolvers: true, description: 'Rows of both sides matched by a rule, with its confidence' })
@Entity({ tableName: 'recon_match' })
@Index({ properties: ['jobId', 'ruleId'] })
export class Match {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  organizationId!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  jobId!: string;

  @Field(() => ID, { nullable: true, description: 'The MatchingRule (null when deleted since)' })
  @Property({ type: 'uuid', nullable: true })
  ruleId?: string | null;

  @Field({ description: 'The pass that found it, e.g. <rule id>:one_to_one' })
  @Property({ type: 'text' })
  pass!: string;

  @Field(() => MatchType)
  @Enum({ items: () => MatchType, nativeEnumName: 'recon_match_type' })
  type!: MatchType;

  @Field(() => Float, { description: '0–1' })
  @Property({ type: 'real' })
  confidence!: number;

  @Field(() => DecimalScalar, { description: 'Source total minus target total' })
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  amountDifference: string = '0';
}

/** A row's membership of a match: a row is in at most one match per run (primary key job, row). */
@ObjectType({ simpleResolvers: true, description: 'A row of a match and its side' })
@Entity({ tableName: 'recon_match_member' })
@Index({ properties: ['matchId'] })
export class MatchMember {
  @PrimaryKey({ type: 'uuid' })
  jobId!: string;

  @Field(() => ID)
  @PrimaryKey({ type: 'bigint' })
  rowId!: string;

  @Property({ type: 'uuid' })
  organizationId!: string;

  @Field(() => ID)
  @Property({ type: 'bigint' })
  matchId!: string;

  @Field(() => ReconSide)
  @Enum({ items: () => ReconSide, nativeEnumName: 'recon_side' })
  side!: ReconSide;
}
