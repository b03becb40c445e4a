import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { MatchType, ReconSide } from './enums';

/**
 * Up to SET_SIZE matches of one pass (rule and type) of a run, column by column: written
 * set-based by the matching passes, a million matches as a thousand rows. For groups, the ends
 * arrays say where each match's ids end in the flattened ids (null: one id per match). Read as
 * Match (resolvers/recon) by results.service; organization_id carries row-level security.
 */
@Entity({ tableName: 'recon_match_set' })
export class MatchSet {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  organizationId!: string;

  @Property({ type: 'uuid' })
  jobId!: string;

  @Property({ type: 'uuid', nullable: true })
  ruleId?: string | null;

  @Enum({ items: () => MatchType, nativeEnumName: 'recon_match_type' })
  type!: MatchType;

  @Property({ type: 'integer' })
  matchCount!: number;

  @Property({ columnType: 'real[]', type: 'number[]' })
  confidences!: number[];

  @Property({ columnType: 'numeric(18,2)[]', type: 'string[]' })
  amountDifferences!: string[];

  @Property({ columnType: 'bigint[]', type: 'string[]' })
  sourceRowIds!: string[];

  @Property({ columnType: 'bigint[]', type: 'string[]' })
  targetRowIds!: string[];

  @Property({ columnType: 'int[]', type: 'number[]', nullable: true })
  sourceEnds?: number[] | null;

  @Property({ columnType: 'int[]', type: 'number[]', nullable: true })
  targetEnds?: number[] | null;
}

/**
 * A row of a run that its first pass left unmatched, with the columns the later passes compare:
 * those passes and the exceptions read this small set instead of every row of the files, and
 * each pass deletes the rows it matches in the statement that
 * records the match. What is left when the run completes are its unmatched rows (unmatchedRows).
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
