import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { TenantEntity } from '../../core/orm/base-entities';
import { DecimalScalar } from '../../schema/scalars';
import { ReconJobStatus } from './enums';
import type { RuleConfig } from './matching-rule.entity';

/** A rule as it was when the run started (later approvals do not change a running job). */
export interface RuleSnapshot extends RuleConfig {
  id: string;
}

/**
 * One reconciliation run over source files against target files, executed by a background job
 * in passes; each finished pass is recorded in completedPasses so a restarted worker skips it.
 */
@ObjectType({ simpleResolvers: true, description: 'A reconciliation run: status, progress, counts, match rate and phase timings' })
@Entity({ tableName: 'recon_job' })
@Index({ properties: ['organizationId', 'createdAt'] })
export class ReconciliationJob extends TenantEntity {
  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => [ID], { description: 'Source side files (e.g. bank statements)' })
  @Property({ type: 'jsonb' })
  sourceFileIds: string[] = [];

  @Field(() => [ID], { description: 'Target side files (e.g. settlement or switch files)' })
  @Property({ type: 'jsonb' })
  targetFileIds: string[] = [];

  /** The approved active rules at start, in priority order. */
  @Property({ type: 'jsonb' })
  rules: RuleSnapshot[] = [];

  @Field(() => ReconJobStatus)
  @Enum({ items: () => ReconJobStatus, nativeEnumName: 'recon_job_status' })
  status: ReconJobStatus = ReconJobStatus.PENDING;

  @Field(() => Int, { description: '0–100' })
  @Property({ type: 'smallint' })
  progress: number = 0;

  @Field(() => String, { nullable: true, description: 'The phase or pass running now' })
  @Property({ type: 'text', nullable: true })
  phase?: string | null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  totalRows: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  processedRows: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  matchedRows: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  exceptionRows: number = 0;

  @Field(() => DecimalScalar, { nullable: true, description: 'Matched rows / total rows, in percent' })
  @Property({ type: 'decimal', precision: 5, scale: 2, nullable: true })
  matchRate?: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Milliseconds spent per phase and pass' })
  @Property({ type: 'jsonb' })
  timings: Record<string, number> = {};

  /** Pass keys already committed (resume after a crash skips them). */
  @Property({ type: 'jsonb' })
  completedPasses: string[] = [];

  /** The smallest and largest recon_match_set id of the run (its sets lie between, on the key). */
  @Property({ type: 'bigint', nullable: true })
  firstMatchSetId?: string | null;

  @Property({ type: 'bigint', nullable: true })
  lastMatchSetId?: string | null;

  @Field(() => Float, { nullable: true, description: 'Seconds from start to finish' })
  @Property({ type: 'double', nullable: true })
  processingSeconds?: number | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  errorMessage?: string | null;

  @Field(() => ID, { nullable: true, description: 'The background job running it' })
  @Property({ type: 'uuid', nullable: true })
  backgroundJobId?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  startedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null' })
  createdBy?: string | null;
}
