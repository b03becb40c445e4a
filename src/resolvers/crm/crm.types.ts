/** List arguments of the CRM: typed filters (with and/or, and filters across relations), orderings, connections. */
import { ArgsType, Field, InputType, registerEnumType } from 'type-graphql';
import { BooleanFilter, CalendarDateFilter, Connection, DateTimeFilter, DecimalFilter, EnumFilter, IdFilter, IntFilter, OrderDirection, PageArgs, StringFilter } from '../../schema/common';

import { Contact, Customer, CustomerStatus, CustomerType, Employee, EmploymentType, Vendor } from '../../entities/crm/people.entity';
import { Activity, ActivityType, Deal, DealPriority, DealStatus, Lead, LeadSource, LeadStatus, Pipeline, Quotation, QuotationStatus, SalesTarget, StageKind } from '../../entities/crm/sales.entity';

const ActivityTypeFilter = EnumFilter(ActivityType, 'ActivityType');
const CustomerStatusFilter = EnumFilter(CustomerStatus, 'CustomerStatus');
const CustomerTypeFilter = EnumFilter(CustomerType, 'CustomerType');
const DealPriorityFilter = EnumFilter(DealPriority, 'DealPriority');
const DealStatusFilter = EnumFilter(DealStatus, 'DealStatus');
const EmploymentTypeFilter = EnumFilter(EmploymentType, 'EmploymentType');
const LeadSourceFilter = EnumFilter(LeadSource, 'LeadSource');
const LeadStatusFilter = EnumFilter(LeadStatus, 'LeadStatus');
const QuotationStatusFilter = EnumFilter(QuotationStatus, 'QuotationStatus');
const StageKindFilter = EnumFilter(StageKind, 'StageKind');

@InputType()
export class EmployeeFilter {
  @Field(() => [EmployeeFilter], { nullable: true, description: 'Every one of these' }) and?: EmployeeFilter[];
  @Field(() => [EmployeeFilter], { nullable: true, description: 'Any one of these' }) or?: EmployeeFilter[];
  @Field(() => StringFilter, { nullable: true }) code?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) firstName?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) lastName?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) email?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) department?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) designation?: StringFilter;
  @Field(() => EmploymentTypeFilter, { nullable: true }) employmentType?: InstanceType<typeof EmploymentTypeFilter>;
  @Field(() => IdFilter, { nullable: true }) userId?: IdFilter;
  @Field(() => BooleanFilter, { nullable: true }) isActive?: BooleanFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

export enum EmployeeOrderField {
  CREATED_AT = 'createdAt',
  CODE = 'code',
  LAST_NAME = 'lastName',
  DEPARTMENT = 'department',
}
registerEnumType(EmployeeOrderField, { name: 'EmployeeOrderField' });

@InputType()
export class EmployeeOrder {
  @Field(() => EmployeeOrderField) field!: EmployeeOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class EmployeeListArgs extends PageArgs {
  @Field(() => EmployeeFilter, { nullable: true }) filter?: EmployeeFilter;
  @Field(() => [EmployeeOrder], { nullable: true, description: 'Default: newest first' }) orderBy?: EmployeeOrder[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name, email or company' }) search?: string;
}

export const EmployeeConnection = Connection(Employee);

@InputType()
export class VendorFilter {
  @Field(() => [VendorFilter], { nullable: true, description: 'Every one of these' }) and?: VendorFilter[];
  @Field(() => [VendorFilter], { nullable: true, description: 'Any one of these' }) or?: VendorFilter[];
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) companyName?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) email?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) industry?: StringFilter;
  @Field(() => IntFilter, { nullable: true }) rating?: IntFilter;
  @Field(() => IdFilter, { nullable: true }) assignedEmployeeId?: IdFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

export enum VendorOrderField {
  CREATED_AT = 'createdAt',
  NAME = 'name',
  RATING = 'rating',
}
registerEnumType(VendorOrderField, { name: 'VendorOrderField' });

@InputType()
export class VendorOrder {
  @Field(() => VendorOrderField) field!: VendorOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class VendorListArgs extends PageArgs {
  @Field(() => VendorFilter, { nullable: true }) filter?: VendorFilter;
  @Field(() => [VendorOrder], { nullable: true, description: 'Default: newest first' }) orderBy?: VendorOrder[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name, email or company' }) search?: string;
}

export const VendorConnection = Connection(Vendor);

@InputType()
export class CustomerFilter {
  @Field(() => [CustomerFilter], { nullable: true, description: 'Every one of these' }) and?: CustomerFilter[];
  @Field(() => [CustomerFilter], { nullable: true, description: 'Any one of these' }) or?: CustomerFilter[];
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) companyName?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) email?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) phone?: StringFilter;
  @Field(() => CustomerTypeFilter, { nullable: true }) customerType?: InstanceType<typeof CustomerTypeFilter>;
  @Field(() => CustomerStatusFilter, { nullable: true }) status?: InstanceType<typeof CustomerStatusFilter>;
  @Field(() => StringFilter, { nullable: true }) industry?: StringFilter;
  @Field(() => IntFilter, { nullable: true }) rating?: IntFilter;
  @Field(() => StringFilter, { nullable: true }) city?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) country?: StringFilter;
  @Field(() => IdFilter, { nullable: true }) assignedEmployeeId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) createdBy?: IdFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
  @Field(() => DateTimeFilter, { nullable: true }) deletedAt?: DateTimeFilter;
}

export enum CustomerOrderField {
  CREATED_AT = 'createdAt',
  UPDATED_AT = 'updatedAt',
  NAME = 'name',
  STATUS = 'status',
  RATING = 'rating',
}
registerEnumType(CustomerOrderField, { name: 'CustomerOrderField' });

@InputType()
export class CustomerOrder {
  @Field(() => CustomerOrderField) field!: CustomerOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class CustomerListArgs extends PageArgs {
  @Field(() => CustomerFilter, { nullable: true }) filter?: CustomerFilter;
  @Field(() => [CustomerOrder], { nullable: true, description: 'Default: newest first' }) orderBy?: CustomerOrder[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name, email or company' }) search?: string;
  @Field(() => Boolean, { nullable: true, description: 'Include soft-deleted records (filter deletedAt to see only those)' }) includeDeleted?: boolean;
}

export const CustomerConnection = Connection(Customer);

@ArgsType()
export class ExportCustomerArgs {
  @Field(() => CustomerFilter, { nullable: true }) filter?: CustomerFilter;
  @Field(() => String, { nullable: true }) search?: string;
  @Field(() => Boolean, { nullable: true }) includeDeleted?: boolean;
}

@InputType()
export class ContactFilter {
  @Field(() => [ContactFilter], { nullable: true, description: 'Every one of these' }) and?: ContactFilter[];
  @Field(() => [ContactFilter], { nullable: true, description: 'Any one of these' }) or?: ContactFilter[];
  @Field(() => StringFilter, { nullable: true }) firstName?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) lastName?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) email?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) jobTitle?: StringFilter;
  @Field(() => IdFilter, { nullable: true }) customerId?: IdFilter;
  @Field(() => BooleanFilter, { nullable: true }) isPrimary?: BooleanFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
  @Field(() => DateTimeFilter, { nullable: true }) deletedAt?: DateTimeFilter;
  @Field(() => CustomerFilter, { nullable: true, description: 'Contacts whose customer matches (e.g. by status)' }) customer?: CustomerFilter;
}

export enum ContactOrderField {
  CREATED_AT = 'createdAt',
  LAST_NAME = 'lastName',
  FIRST_NAME = 'firstName',
}
registerEnumType(ContactOrderField, { name: 'ContactOrderField' });

@InputType()
export class ContactOrder {
  @Field(() => ContactOrderField) field!: ContactOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class ContactListArgs extends PageArgs {
  @Field(() => ContactFilter, { nullable: true }) filter?: ContactFilter;
  @Field(() => [ContactOrder], { nullable: true, description: 'Default: newest first' }) orderBy?: ContactOrder[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name, email or company' }) search?: string;
  @Field(() => Boolean, { nullable: true, description: 'Include soft-deleted records (filter deletedAt to see only those)' }) includeDeleted?: boolean;
}

export const ContactConnection = Connection(Contact);

@InputType()
export class LeadFilter {
  @Field(() => [LeadFilter], { nullable: true, description: 'Every one of these' }) and?: LeadFilter[];
  @Field(() => [LeadFilter], { nullable: true, description: 'Any one of these' }) or?: LeadFilter[];
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) company?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) email?: StringFilter;
  @Field(() => LeadSourceFilter, { nullable: true }) source?: InstanceType<typeof LeadSourceFilter>;
  @Field(() => LeadStatusFilter, { nullable: true }) status?: InstanceType<typeof LeadStatusFilter>;
  @Field(() => IntFilter, { nullable: true }) score?: IntFilter;
  @Field(() => DecimalFilter, { nullable: true }) estimatedValue?: DecimalFilter;
  @Field(() => StringFilter, { nullable: true }) currency?: StringFilter;
  @Field(() => IdFilter, { nullable: true }) assignedEmployeeId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) createdBy?: IdFilter;
  @Field(() => DateTimeFilter, { nullable: true }) convertedAt?: DateTimeFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
  @Field(() => DateTimeFilter, { nullable: true }) deletedAt?: DateTimeFilter;
}

export enum LeadOrderField {
  CREATED_AT = 'createdAt',
  UPDATED_AT = 'updatedAt',
  NAME = 'name',
  SCORE = 'score',
  ESTIMATED_VALUE = 'estimatedValue',
  STATUS = 'status',
}
registerEnumType(LeadOrderField, { name: 'LeadOrderField' });

@InputType()
export class LeadOrder {
  @Field(() => LeadOrderField) field!: LeadOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class LeadListArgs extends PageArgs {
  @Field(() => LeadFilter, { nullable: true }) filter?: LeadFilter;
  @Field(() => [LeadOrder], { nullable: true, description: 'Default: newest first' }) orderBy?: LeadOrder[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name, email or company' }) search?: string;
  @Field(() => Boolean, { nullable: true, description: 'Include soft-deleted records (filter deletedAt to see only those)' }) includeDeleted?: boolean;
}

export const LeadConnection = Connection(Lead);

@ArgsType()
export class ExportLeadArgs {
  @Field(() => LeadFilter, { nullable: true }) filter?: LeadFilter;
  @Field(() => String, { nullable: true }) search?: string;
  @Field(() => Boolean, { nullable: true }) includeDeleted?: boolean;
}

@InputType()
export class PipelineStageFilter {
  @Field(() => [PipelineStageFilter], { nullable: true, description: 'Every one of these' }) and?: PipelineStageFilter[];
  @Field(() => [PipelineStageFilter], { nullable: true, description: 'Any one of these' }) or?: PipelineStageFilter[];
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
  @Field(() => StageKindFilter, { nullable: true }) kind?: InstanceType<typeof StageKindFilter>;
  @Field(() => IntFilter, { nullable: true }) probability?: IntFilter;
  @Field(() => IntFilter, { nullable: true }) position?: IntFilter;
}

@InputType()
export class DealFilter {
  @Field(() => [DealFilter], { nullable: true, description: 'Every one of these' }) and?: DealFilter[];
  @Field(() => [DealFilter], { nullable: true, description: 'Any one of these' }) or?: DealFilter[];
  @Field(() => StringFilter, { nullable: true }) title?: StringFilter;
  @Field(() => DealStatusFilter, { nullable: true }) status?: InstanceType<typeof DealStatusFilter>;
  @Field(() => DealPriorityFilter, { nullable: true }) priority?: InstanceType<typeof DealPriorityFilter>;
  @Field(() => DecimalFilter, { nullable: true }) value?: DecimalFilter;
  @Field(() => StringFilter, { nullable: true }) currency?: StringFilter;
  @Field(() => IntFilter, { nullable: true }) probability?: IntFilter;
  @Field(() => IdFilter, { nullable: true }) pipelineId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) stageId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) customerId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) leadId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) contactId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) assignedEmployeeId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) createdBy?: IdFilter;
  @Field(() => CalendarDateFilter, { nullable: true }) expectedCloseDate?: CalendarDateFilter;
  @Field(() => CalendarDateFilter, { nullable: true }) actualCloseDate?: CalendarDateFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
  @Field(() => DateTimeFilter, { nullable: true }) deletedAt?: DateTimeFilter;
  @Field(() => CustomerFilter, { nullable: true, description: 'Deals whose customer matches (e.g. by industry)' }) customer?: CustomerFilter;
  @Field(() => PipelineStageFilter, { nullable: true, description: 'Deals whose stage matches' }) stage?: PipelineStageFilter;
}

export enum DealOrderField {
  CREATED_AT = 'createdAt',
  UPDATED_AT = 'updatedAt',
  TITLE = 'title',
  VALUE = 'value',
  PROBABILITY = 'probability',
  EXPECTED_CLOSE_DATE = 'expectedCloseDate',
  ACTUAL_CLOSE_DATE = 'actualCloseDate',
}
registerEnumType(DealOrderField, { name: 'DealOrderField' });

@InputType()
export class DealOrder {
  @Field(() => DealOrderField) field!: DealOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class DealListArgs extends PageArgs {
  @Field(() => DealFilter, { nullable: true }) filter?: DealFilter;
  @Field(() => [DealOrder], { nullable: true, description: 'Default: newest first' }) orderBy?: DealOrder[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name, email or company' }) search?: string;
  @Field(() => Boolean, { nullable: true, description: 'Include soft-deleted records (filter deletedAt to see only those)' }) includeDeleted?: boolean;
}

export const DealConnection = Connection(Deal);

@ArgsType()
export class ExportDealArgs {
  @Field(() => DealFilter, { nullable: true }) filter?: DealFilter;
  @Field(() => String, { nullable: true }) search?: string;
  @Field(() => Boolean, { nullable: true }) includeDeleted?: boolean;
}

@InputType()
export class ActivityFilter {
  @Field(() => [ActivityFilter], { nullable: true, description: 'Every one of these' }) and?: ActivityFilter[];
  @Field(() => [ActivityFilter], { nullable: true, description: 'Any one of these' }) or?: ActivityFilter[];
  @Field(() => ActivityTypeFilter, { nullable: true }) type?: InstanceType<typeof ActivityTypeFilter>;
  @Field(() => StringFilter, { nullable: true }) subject?: StringFilter;
  @Field(() => DateTimeFilter, { nullable: true }) dueAt?: DateTimeFilter;
  @Field(() => DateTimeFilter, { nullable: true }) completedAt?: DateTimeFilter;
  @Field(() => IdFilter, { nullable: true }) leadId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) dealId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) contactId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) customerId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) assignedEmployeeId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) createdBy?: IdFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

export enum ActivityOrderField {
  CREATED_AT = 'createdAt',
  DUE_AT = 'dueAt',
  COMPLETED_AT = 'completedAt',
}
registerEnumType(ActivityOrderField, { name: 'ActivityOrderField' });

@InputType()
export class ActivityOrder {
  @Field(() => ActivityOrderField) field!: ActivityOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class ActivityListArgs extends PageArgs {
  @Field(() => ActivityFilter, { nullable: true }) filter?: ActivityFilter;
  @Field(() => [ActivityOrder], { nullable: true, description: 'Default: newest first' }) orderBy?: ActivityOrder[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name, email or company' }) search?: string;
}

export const ActivityConnection = Connection(Activity);

@InputType()
export class QuotationFilter {
  @Field(() => [QuotationFilter], { nullable: true, description: 'Every one of these' }) and?: QuotationFilter[];
  @Field(() => [QuotationFilter], { nullable: true, description: 'Any one of these' }) or?: QuotationFilter[];
  @Field(() => IntFilter, { nullable: true }) number?: IntFilter;
  @Field(() => StringFilter, { nullable: true }) title?: StringFilter;
  @Field(() => QuotationStatusFilter, { nullable: true }) status?: InstanceType<typeof QuotationStatusFilter>;
  @Field(() => IdFilter, { nullable: true }) customerId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) dealId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) assignedEmployeeId?: IdFilter;
  @Field(() => StringFilter, { nullable: true }) currency?: StringFilter;
  @Field(() => DecimalFilter, { nullable: true }) total?: DecimalFilter;
  @Field(() => CalendarDateFilter, { nullable: true }) validUntil?: CalendarDateFilter;
  @Field(() => IdFilter, { nullable: true }) createdBy?: IdFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

export enum QuotationOrderField {
  CREATED_AT = 'createdAt',
  NUMBER = 'number',
  TOTAL = 'total',
  VALID_UNTIL = 'validUntil',
}
registerEnumType(QuotationOrderField, { name: 'QuotationOrderField' });

@InputType()
export class QuotationOrder {
  @Field(() => QuotationOrderField) field!: QuotationOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class QuotationListArgs extends PageArgs {
  @Field(() => QuotationFilter, { nullable: true }) filter?: QuotationFilter;
  @Field(() => [QuotationOrder], { nullable: true, description: 'Default: newest first' }) orderBy?: QuotationOrder[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name, email or company' }) search?: string;
}

export const QuotationConnection = Connection(Quotation);

@InputType()
export class SalesTargetFilter {
  @Field(() => [SalesTargetFilter], { nullable: true, description: 'Every one of these' }) and?: SalesTargetFilter[];
  @Field(() => [SalesTargetFilter], { nullable: true, description: 'Any one of these' }) or?: SalesTargetFilter[];
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
  @Field(() => IdFilter, { nullable: true }) employeeId?: IdFilter;
  @Field(() => CalendarDateFilter, { nullable: true }) periodStart?: CalendarDateFilter;
  @Field(() => CalendarDateFilter, { nullable: true }) periodEnd?: CalendarDateFilter;
  @Field(() => DecimalFilter, { nullable: true }) amount?: DecimalFilter;
  @Field(() => StringFilter, { nullable: true }) currency?: StringFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

export enum SalesTargetOrderField {
  CREATED_AT = 'createdAt',
  PERIOD_START = 'periodStart',
  AMOUNT = 'amount',
}
registerEnumType(SalesTargetOrderField, { name: 'SalesTargetOrderField' });

@InputType()
export class SalesTargetOrder {
  @Field(() => SalesTargetOrderField) field!: SalesTargetOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class SalesTargetListArgs extends PageArgs {
  @Field(() => SalesTargetFilter, { nullable: true }) filter?: SalesTargetFilter;
  @Field(() => [SalesTargetOrder], { nullable: true, description: 'Default: newest first' }) orderBy?: SalesTargetOrder[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name, email or company' }) search?: string;
}

export const SalesTargetConnection = Connection(SalesTarget);

@InputType()
export class PipelineFilter {
  @Field(() => [PipelineFilter], { nullable: true, description: 'Every one of these' }) and?: PipelineFilter[];
  @Field(() => [PipelineFilter], { nullable: true, description: 'Any one of these' }) or?: PipelineFilter[];
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
  @Field(() => BooleanFilter, { nullable: true }) isDefault?: BooleanFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

export enum PipelineOrderField {
  CREATED_AT = 'createdAt',
  NAME = 'name',
}
registerEnumType(PipelineOrderField, { name: 'PipelineOrderField' });

@InputType()
export class PipelineOrder {
  @Field(() => PipelineOrderField) field!: PipelineOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class PipelineListArgs extends PageArgs {
  @Field(() => PipelineFilter, { nullable: true }) filter?: PipelineFilter;
  @Field(() => [PipelineOrder], { nullable: true, description: 'Default: newest first' }) orderBy?: PipelineOrder[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name, email or company' }) search?: string;
}

export const PipelineConnection = Connection(Pipeline);
