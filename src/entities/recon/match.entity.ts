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

/**
 * A row of a run that its first pass left unmatched, with the columns the later passes compare:
 * those passes and the exceptions read this small set instead of anti-joining every row of the
 * files against the members, and each pass deletes the rows it matches in the statement that
 * records the match. Internal to the run (not exposed); emptied when the run completes.
 */
@Entity({ tableName: 'recon_leftover' })
export class ReconLeftover {
  @PrimaryKey({ type: 'uuid' })
  jobId!: string;

  @PrimaryKey({ type: 'bigint' })
  rowId!: string;

  @Property({ type: 'uuid' })
  organizationId!: string;

  @Enum({ items: () => ReconSide, nativeEnumName: 'recon_side' })
  side!: ReconSide;

  @Property({ type: 'uuid' })
  fileId!: string;

  @Property({ type: 'decimal', precision: 18, scale: 2 })
  amount!: string;

  @Property({ type: 'date', nullable: true })
  date?: string | null;

  @Property({ type: 'text', nullable: true })
  reference?: string | null;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'text', nullable: true })
  currency?: string | null;

  @Property({ type: 'text', nullable: true })
  channel?: string | null;
}
