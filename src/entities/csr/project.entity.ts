import { Check, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';
import { DateScalar, DecimalScalar } from '../../schema/scalars';

export enum Sector {
  EDUCATION = 'education',
  HEALTH = 'health',
  INFRASTRUCTURE = 'infrastructure',
  AGRICULTURE = 'agriculture',
  OTHER = 'other',
}
registerEnumType(Sector, { name: 'Sector' });

export enum ProjectStatus {
  PLANNING = 'planning',
  ACTIVE = 'active',
  ON_HOLD = 'on_hold',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
}
registerEnumType(ProjectStatus, { name: 'ProjectStatus' });

export enum MilestoneStatus {
  PENDING = 'pending',
  IN_PROGRESS = 'in_progress',
  COMPLETED = 'completed',
  OVERDUE = 'overdue',
  APPROVED = 'approved',
}
registerEnumType(MilestoneStatus, { name: 'MilestoneStatus' });

/** A CSR project run by a recipient partner. actualExpenditure is the sum of its approved expenses. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'csr_project' })
@Index({ properties: ['organizationId', 'status'] })
// The default list order (newest first, id as tie-breaker) read straight off the index.
@Index({ properties: ['organizationId', 'createdAt', 'id'] })
@Check({ name: 'csr_project_dates_check', expression: 'end_date is null or start_date is null or end_date >= start_date' })
export class Project extends TenantEntity {
  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => Sector)
  @Enum({ items: () => Sector, nativeEnumName: 'csr_sector' })
  sector!: Sector;

  @Field(() => ProjectStatus)
  @Enum({ items: () => ProjectStatus, nativeEnumName: 'csr_project_status' })
  status: ProjectStatus = ProjectStatus.PLANNING;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true, runtimeType: 'string' })
  startDate?: string | null;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true, runtimeType: 'string' })
  endDate?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true, runtimeType: 'string' })
  estimatedBudget?: string | null;

  @Field(() => DecimalScalar, { description: 'Sum of the approved (and paid) expenses, kept in the same transaction as each approval' })
  @Property({ type: 'decimal', precision: 18, scale: 2, runtimeType: 'string', default: '0' })
  actualExpenditure: string = '0';

  @Field(() => ID, { nullable: true, description: 'The recipient partner running the project' })
  @ManyToOne({ entity: 'Partner', mapToPk: true, fieldName: 'partner_id', nullable: true, deleteRule: 'set null', index: true })
  partnerId?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null' })
  createdBy?: string | null;
}

/** A milestone of a project: progress 0–100; approved (by someone allowed to) only at 100 %. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'csr_milestone' })
@Index({ properties: ['organizationId', 'status', 'dueDate'] })
@Check({ name: 'csr_milestone_completion_check', expression: 'completion_percentage between 0 and 100' })
export class Milestone extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Project', mapToPk: true, fieldName: 'project_id', deleteRule: 'cascade', index: true })
  projectId!: string;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true, runtimeType: 'string' })
  dueDate?: string | null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  completionPercentage: number = 0;

  @Field(() => MilestoneStatus)
  @Enum({ items: () => MilestoneStatus, nativeEnumName: 'csr_milestone_status' })
  status: MilestoneStatus = MilestoneStatus.PENDING;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'approved_by_id', nullable: true, deleteRule: 'set null' })
  approvedBy?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  approvedAt?: Date | null;
}
