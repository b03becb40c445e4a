/**
 * The sales side of the CRM: leads, pipelines with ordered stages, deals moving through them,
 * activities, quotations with items, and sales targets. Money is numeric(18,2) held as a string.
 * Leads and deals are soft-deleted (deletedAt) and can be restored.
 */
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';
import { DateScalar, DecimalScalar } from '../../schema/scalars';

export enum LeadSource {
  WEBSITE = 'website',
  REFERRAL = 'referral',
  SOCIAL_MEDIA = 'social_media',
  EMAIL_CAMPAIGN = 'email_campaign',
  COLD_CALL = 'cold_call',
  EVENT = 'event',
  PARTNER = 'partner',
}
registerEnumType(LeadSource, { name: 'LeadSource' });

export enum LeadStatus {
  NEW = 'new',
  CONTACTED = 'contacted',
  QUALIFIED = 'qualified',
  UNQUALIFIED = 'unqualified',
  CONVERTED = 'converted',
  LOST = 'lost',
}
registerEnumType(LeadStatus, { name: 'LeadStatus', description: 'Qualification status; converted is set by convertLead only' });

export enum StageKind {
  OPEN = 'open',
  WON = 'won',
  LOST = 'lost',
}
registerEnumType(StageKind, { name: 'StageKind', description: 'open stages hold deals in progress; winDeal/loseDeal move a deal to the won/lost stage' });

export enum DealStatus {
  OPEN = 'open',
  WON = 'won',
  LOST = 'lost',
}
registerEnumType(DealStatus, { name: 'DealStatus' });

export enum DealPriority {
  LOW = 'low',
  MEDIUM = 'medium',
  HIGH = 'high',
  URGENT = 'urgent',
}
registerEnumType(DealPriority, { name: 'DealPriority' });

export enum ActivityType {
  TASK = 'task',
  CALL = 'call',
  MEETING = 'meeting',
  EMAIL = 'email',
  NOTE = 'note',
}
registerEnumType(ActivityType, { name: 'ActivityType' });

export enum QuotationStatus {
  DRAFT = 'draft',
  SENT = 'sent',
  ACCEPTED = 'accepted',
  REJECTED = 'rejected',
  EXPIRED = 'expired',
}
registerEnumType(QuotationStatus, { name: 'QuotationStatus', description: 'draft → sent → accepted | rejected | expired' });

const money = () => ({ type: 'decimal', precision: 18, scale: 2 }) as const;

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'crm_lead' })
@Index({ properties: ['organizationId', 'status'] })
export class Lead extends TenantEntity {
  @Field() @Property({ type: 'text' }) name!: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) company?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) jobTitle?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) phone?: string | null;

  @Field(() => LeadSource)
  @Enum({ items: () => LeadSource, nativeEnumName: 'crm_lead_source' })
  source: LeadSource = LeadSource.WEBSITE;

  @Field(() => LeadStatus)
  @Enum({ items: () => LeadStatus, nativeEnumName: 'crm_lead_status' })
  status: LeadStatus = LeadStatus.NEW;

  @Field(() => Int, { description: '0–100' }) @Property({ type: 'smallint' }) score: number = 0;

  @Field(() => DecimalScalar, { nullable: true }) @Property({ ...money(), nullable: true }) estimatedValue?: string | null;
  @Field({ description: 'ISO 4217 code of estimatedValue' }) @Property({ type: 'text' }) currency: string = 'USD';
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) notes?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Employee', mapToPk: true, fieldName: 'assigned_employee_id', nullable: true, deleteRule: 'set null', index: true })
  assignedEmployeeId?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null', index: true })
  createdBy?: string | null;

  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) convertedAt?: Date | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'converted_by_id', nullable: true, deleteRule: 'set null' })
  convertedBy?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Customer', mapToPk: true, fieldName: 'converted_customer_id', nullable: true, deleteRule: 'set null' })
  convertedCustomerId?: string | null;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  convertedDealId?: string | null;

  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) deletedAt?: Date | null;
}

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'crm_pipeline' })
@Index({ name: 'crm_pipeline_one_default', expression: 'create unique index "crm_pipeline_one_default" on "crm_pipeline" ("organization_id") where "is_default"' })
export class Pipeline extends TenantEntity {
  @Field() @Property({ type: 'text' }) name!: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) description?: string | null;
  @Field({ description: 'The organization’s default pipeline (one per organization)' }) @Property({ type: 'boolean' }) isDefault: boolean = false;
}

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'crm_pipeline_stage' })
@Unique({ properties: ['pipelineId', 'position'] })
export class PipelineStage extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Pipeline', mapToPk: true, fieldName: 'pipeline_id', deleteRule: 'cascade', index: true })
  pipelineId!: string;

  @Field() @Property({ type: 'text' }) name!: string;
  @Field(() => Int, { description: 'Order in the pipeline, from 1' }) @Property({ type: 'smallint' }) position!: number;
  @Field(() => Int, { description: 'Win probability of a deal in this stage, 0–100' }) @Property({ type: 'smallint' }) probability!: number;

  @Field(() => StageKind)
  @Enum({ items: () => StageKind, nativeEnumName: 'crm_stage_kind' })
  kind: StageKind = StageKind.OPEN;
}

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'crm_deal' })
@Index({ properties: ['organizationId', 'stageId'] })
// The default list order (newest first, id as tie-breaker) read straight off the index.
@Index({ properties: ['organizationId', 'createdAt', 'id'] })
export class Deal extends TenantEntity {
  @Field() @Property({ type: 'text' }) title!: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) description?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Customer', mapToPk: true, fieldName: 'customer_id', nullable: true, deleteRule: 'set null', index: true })
  customerId?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Lead', mapToPk: true, fieldName: 'lead_id', nullable: true, deleteRule: 'set null', index: true })
  leadId?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Contact', mapToPk: true, fieldName: 'contact_id', nullable: true, deleteRule: 'set null' })
  contactId?: string | null;

  @Field(() => ID)
  @ManyToOne({ entity: 'Pipeline', mapToPk: true, fieldName: 'pipeline_id', deleteRule: 'restrict', index: true })
  pipelineId!: string;

  @Field(() => ID)
  @ManyToOne({ entity: 'PipelineStage', mapToPk: true, fieldName: 'stage_id', deleteRule: 'restrict' })
  stageId!: string;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Employee', mapToPk: true, fieldName: 'assigned_employee_id', nullable: true, deleteRule: 'set null', index: true })
  assignedEmployeeId?: string | null;

  @Field(() => DecimalScalar) @Property(money()) value!: string;
  @Field({ description: 'ISO 4217 code of value' }) @Property({ type: 'text' }) currency: string = 'USD';
  @Field(() => Int, { description: '0–100; follows the stage unless set explicitly' }) @Property({ type: 'smallint' }) probability: number = 0;

  @Field(() => DealPriority)
  @Enum({ items: () => DealPriority, nativeEnumName: 'crm_deal_priority' })
  priority: DealPriority = DealPriority.MEDIUM;

  @Field(() => DealStatus)
  @Enum({ items: () => DealStatus, nativeEnumName: 'crm_deal_status' })
  status: DealStatus = DealStatus.OPEN;

  @Field(() => DateScalar, { nullable: true }) @Property({ type: 'date', nullable: true }) expectedCloseDate?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Set when won or lost' }) @Property({ type: 'date', nullable: true }) actualCloseDate?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) lostReason?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null', index: true })
  createdBy?: string | null;

  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) deletedAt?: Date | null;
}

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'crm_activity' })
export class Activity extends TenantEntity {
  @Field(() => ActivityType)
  @Enum({ items: () => ActivityType, nativeEnumName: 'crm_activity_type' })
  type!: ActivityType;

  @Field() @Property({ type: 'text' }) subject!: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) description?: string | null;
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) dueAt?: Date | null;
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) completedAt?: Date | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Lead', mapToPk: true, fieldName: 'lead_id', nullable: true, deleteRule: 'cascade', index: true })
  leadId?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Deal', mapToPk: true, fieldName: 'deal_id', nullable: true, deleteRule: 'cascade', index: true })
  dealId?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Contact', mapToPk: true, fieldName: 'contact_id', nullable: true, deleteRule: 'cascade', index: true })
  contactId?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Customer', mapToPk: true, fieldName: 'customer_id', nullable: true, deleteRule: 'cascade', index: true })
  customerId?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Employee', mapToPk: true, fieldName: 'assigned_employee_id', nullable: true, deleteRule: 'set null', index: true })
  assignedEmployeeId?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null', index: true })
  createdBy?: string | null;
}

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'crm_quotation' })
@Unique({ properties: ['organizationId', 'number'] })
export class Quotation extends TenantEntity {
  @Field(() => Int, { description: 'Sequential per organization, from 1' }) @Property({ type: 'integer' }) number!: number;
  @Field() @Property({ type: 'text' }) title!: string;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Customer', mapToPk: true, fieldName: 'customer_id', nullable: true, deleteRule: 'set null', index: true })
  customerId?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Deal', mapToPk: true, fieldName: 'deal_id', nullable: true, deleteRule: 'set null', index: true })
  dealId?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Employee', mapToPk: true, fieldName: 'assigned_employee_id', nullable: true, deleteRule: 'set null', index: true })
  assignedEmployeeId?: string | null;

  @Field() @Property({ type: 'text' }) currency: string = 'USD';

  @Field(() => QuotationStatus)
  @Enum({ items: () => QuotationStatus, nativeEnumName: 'crm_quotation_status' })
  status: QuotationStatus = QuotationStatus.DRAFT;

  @Field(() => DateScalar, { nullable: true }) @Property({ type: 'date', nullable: true }) validUntil?: string | null;
  @Field(() => DecimalScalar, { description: 'Sum of the items before tax' }) @Property(money()) subtotal: string = '0';
  @Field(() => DecimalScalar, { description: 'Sum of the items’ tax' }) @Property(money()) taxTotal: string = '0';
  @Field(() => DecimalScalar, { description: 'subtotal + taxTotal' }) @Property(money()) total: string = '0';
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) notes?: string | null;
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) sentAt?: Date | null;
  @Field(() => Date, { nullable: true, description: 'When accepted, rejected or expired' }) @Property({ type: 'timestamptz', nullable: true }) decidedAt?: Date | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null', index: true })
  createdBy?: string | null;
}

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'crm_quotation_item' })
export class QuotationItem extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Quotation', mapToPk: true, fieldName: 'quotation_id', deleteRule: 'cascade', index: true })
  quotationId!: string;

  @Field(() => Int) @Property({ type: 'smallint' }) position!: number;
  @Field() @Property({ type: 'text' }) description!: string;
  @Field(() => DecimalScalar) @Property({ type: 'decimal', precision: 18, scale: 4 }) quantity!: string;
  @Field(() => DecimalScalar) @Property(money()) unitPrice!: string;
  @Field(() => DecimalScalar, { description: 'Tax rate in percent, e.g. "20"' }) @Property({ type: 'decimal', precision: 5, scale: 2 }) taxRate: string = '0';
  @Field(() => DecimalScalar, { description: 'quantity × unitPrice, rounded to cents' }) @Property(money()) subtotal!: string;
  @Field(() => DecimalScalar, { description: 'subtotal × taxRate / 100, rounded to cents' }) @Property(money()) tax!: string;
  @Field(() => DecimalScalar) @Property(money()) total!: string;
}

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'crm_sales_target' })
export class SalesTarget extends TenantEntity {
  @Field() @Property({ type: 'text' }) name!: string;

  @Field(() => ID, { nullable: true, description: 'The employee the target is for; null: the whole organization' })
  @ManyToOne({ entity: 'Employee', mapToPk: true, fieldName: 'employee_id', nullable: true, deleteRule: 'cascade', index: true })
  employeeId?: string | null;

  @Field(() => DateScalar) @Property({ type: 'date' }) periodStart!: string;
  @Field(() => DateScalar) @Property({ type: 'date' }) periodEnd!: string;
  @Field(() => DecimalScalar) @Property(money()) amount!: string;
  @Field() @Property({ type: 'text' }) currency: string = 'USD';
}
