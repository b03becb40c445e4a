import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';
import { DateScalar, DecimalScalar } from '../../schema/scalars';
import { ExceptionSeverity, ExceptionStatus, ExceptionType, ReconSide } from './enums';
import { ReviewComment } from './approval.entity';

/** A row a run could not match (or matched only in part): one per row and run. */
@ObjectType({ simpleResolvers: true, description: 'An unmatched or partially matched row to be worked: type, severity, assignee, resolution' })
@Entity({ tableName: 'recon_exception' })
@Unique({ properties: ['jobId', 'rowId'] })
@Index({ properties: ['organizationId', 'status', 'severity'] })
export class ReconciliationException extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'ReconciliationJob', mapToPk: true, fieldName: 'job_id', deleteRule: 'cascade' })
  jobId!: string;

  @Field(() => ID, { description: 'The unmatched row' })
  @Property({ type: 'bigint' })
  rowId!: string;

  @Field(() => ReconSide)
  @Enum({ items: () => ReconSide, nativeEnumName: 'recon_side' })
  side!: ReconSide;

  @Field(() => ID, { nullable: true, description: 'The closest row of the other side (same reference), if any' })
  @Property({ type: 'bigint', nullable: true })
  counterpartRowId?: string | null;

  @Field(() => ExceptionType)
  @Enum({ items: () => ExceptionType, nativeEnumName: 'recon_exception_type' })
  type!: ExceptionType;

  @Field(() => ExceptionSeverity)
  @Enum({ items: () => ExceptionSeverity, nativeEnumName: 'recon_exception_severity' })
  severity!: ExceptionSeverity;

  @Field(() => ExceptionStatus)
  @Enum({ items: () => ExceptionStatus, nativeEnumName: 'recon_exception_status' })
  status: ExceptionStatus = ExceptionStatus.OPEN;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  amount!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Amount minus the counterpart’s amount' })
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  amountDifference?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  currency?: string | null;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  transactionDate?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reference?: string | null;

  @Field()
  @Property({ type: 'text' })
  description!: string;

  @Field()
  @Property({ type: 'text' })
  suggestedAction!: string;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'assigned_to_id', nullable: true, deleteRule: 'set null', index: true })
  assignedTo?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'resolved_by_id', nullable: true, deleteRule: 'set null' })
  resolvedBy?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  resolutionReason?: string | null;

  @Field(() => ID, { nullable: true, description: 'A pending exception_resolution approval' })
  @Property({ type: 'uuid', nullable: true })
  approvalId?: string | null;

  @Field(() => [ReviewComment])
  @Property({ type: 'jsonb' })
  comments: ReviewComment[] = [];
}
