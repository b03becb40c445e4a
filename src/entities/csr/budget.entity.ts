import { Check, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';
import { DateScalar, DecimalScalar } from '../../schema/scalars';
import { Sector } from './project.entity';

export enum ExpenseStatus {
  SUBMITTED = 'submitted',
  APPROVED = 'approved',
  REJECTED = 'rejected',
  PAID = 'paid',
}
registerEnumType(ExpenseStatus, { name: 'ExpenseStatus' });

export enum DisbursementStatus {
  PENDING = 'pending',
  RELEASED = 'released',
  CANCELLED = 'cancelled',
}
registerEnumType(DisbursementStatus, { name: 'DisbursementStatus' });

/** The CSR budget of one financial year; its sector allocations never add up to more than total. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'csr_budget' })
@Unique({ properties: ['organizationId', 'financialYear'] })
@Check({ name: 'csr_budget_total_check', expression: 'total > 0' })
export class Budget extends TenantEntity {
  @Field(() => Int, { description: 'The year the financial year starts in' })
  @Property({ type: 'integer' })
  financialYear!: number;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 18, scale: 2, runtimeType: 'string' })
  total!: string;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null' })
  createdBy?: string | null;
}

/** One sector's share of a budget; `spent` moves only with approved expenses, never above `allocated`. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'csr_budget_allocation' })
@Unique({ properties: ['budgetId', 'sector'] })
@Check({ name: 'csr_budget_allocation_spent_check', expression: 'spent >= 0 and spent <= allocated' })
export class BudgetAllocation extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Budget', mapToPk: true, fieldName: 'budget_id', deleteRule: 'cascade', index: true })
  budgetId!: string;

  @Field(() => Sector)
  @Enum({ items: () => Sector, nativeEnumName: 'csr_sector' })
  sector!: Sector;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 18, scale: 2, runtimeType: 'string' })
  allocated!: string;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 18, scale: 2, runtimeType: 'string', default: '0' })
  spent: string = '0';
}

/** An expense of a project charged to a sector allocation; approving it moves the allocation's and the project's totals. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'csr_expense' })
@Index({ properties: ['organizationId', 'status'] })
@Check({ name: 'csr_expense_amount_check', expression: 'amount > 0' })
export class Expense extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Project', mapToPk: true, fieldName: 'project_id', deleteRule: 'cascade', index: true })
  projectId!: string;

  @Field(() => ID)
  @ManyToOne({ entity: 'BudgetAllocation', mapToPk: true, fieldName: 'allocation_id', deleteRule: 'restrict', index: true })
  allocationId!: string;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 18, scale: 2, runtimeType: 'string' })
  amount!: string;

  @Field()
  @Property({ type: 'text' })
  category!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => DateScalar)
  @Property({ type: 'date', runtimeType: 'string' })
  expenseDate!: string;

  @Field(() => ID, { nullable: true, description: 'The receipt, an uploaded file (createUpload)' })
  @ManyToOne({ entity: 'File', mapToPk: true, fieldName: 'receipt_file_id', nullable: true, deleteRule: 'set null' })
  receiptFileId?: string | null;

  @Field(() => ExpenseStatus)
  @Enum({ items: () => ExpenseStatus, nativeEnumName: 'csr_expense_status' })
  status: ExpenseStatus = ExpenseStatus.SUBMITTED;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'submitted_by_id', nullable: true, deleteRule: 'set null' })
  submittedBy?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'approved_by_id', nullable: true, deleteRule: 'set null' })
  approvedBy?: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was approved or rejected' })
  @Property({ type: 'timestamptz', nullable: true })
  approvedAt?: Date | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  rejectionReason?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  paidAt?: Date | null;
}

/** Funds sent to a recipient partner (for a project), tracked by status and payment reference. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'csr_disbursement' })
@Check({ name: 'csr_disbursement_amount_check', expression: 'amount > 0' })
export class Disbursement extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Partner', mapToPk: true, fieldName: 'partner_id', deleteRule: 'restrict', index: true })
  partnerId!: string;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Project', mapToPk: true, fieldName: 'project_id', nullable: true, deleteRule: 'set null', index: true })
  projectId?: string | null;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 18, scale: 2, runtimeType: 'string' })
  amount!: string;

  @Field(() => DisbursementStatus)
  @Enum({ items: () => DisbursementStatus, nativeEnumName: 'csr_disbursement_status' })
  status: DisbursementStatus = DisbursementStatus.PENDING;

  @Field(() => String, { nullable: true, description: 'Payment reference (bank transfer id, cheque number)' })
  @Property({ type: 'text', nullable: true })
  reference?: string | null;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true, runtimeType: 'string' })
  scheduledDate?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  releasedAt?: Date | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null' })
  createdBy?: string | null;
}
