/** Inputs of the CRM mutations. Generated layout: Create<X>Input, Update<X>Input (every field optional; null clears), BulkUpdate<X>Input. */
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../../schema/scalars';
import { CustomerStatus, CustomerType, EmploymentType } from '../../entities/crm/people.entity';
import { ActivityType, DealPriority, LeadSource, LeadStatus } from '../../entities/crm/sales.entity';

@InputType()
export class QuotationItemInput {
  @Field() description!: string;
  @Field(() => DecimalScalar, { description: 'Positive, up to four decimals' }) quantity!: string;
  @Field(() => DecimalScalar) unitPrice!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Percent, default 0' }) taxRate?: string;
}

@InputType()
export class CreateEmployeeInput {
  @Field(() => String, { description: 'Staff code, unique in the organization' }) code!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) department?: string | null;
  @Field(() => String, { nullable: true }) designation?: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'Needs employee:read_sensitive to read back' }) salary?: string | null;
  @Field(() => EmploymentType, { nullable: true }) employmentType?: EmploymentType | null;
  @Field(() => ID, { nullable: true, description: 'A member of the organization' }) userId?: string | null;
  @Field(() => Boolean, { nullable: true }) isActive?: boolean | null;
}

@InputType()
export class UpdateEmployeeInput {
  @Field(() => String, { nullable: true, description: 'Staff code, unique in the organization' }) code?: string | null;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) department?: string | null;
  @Field(() => String, { nullable: true }) designation?: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'Needs employee:read_sensitive to read back' }) salary?: string | null;
  @Field(() => EmploymentType, { nullable: true }) employmentType?: EmploymentType | null;
  @Field(() => ID, { nullable: true, description: 'A member of the organization' }) userId?: string | null;
  @Field(() => Boolean, { nullable: true }) isActive?: boolean | null;
}

@InputType()
export class CreateVendorInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) companyName?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) industry?: string | null;
  @Field(() => Int, { nullable: true, description: '1–5' }) rating?: number | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
}

@InputType()
export class UpdateVendorInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) companyName?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) industry?: string | null;
  @Field(() => Int, { nullable: true, description: '1–5' }) rating?: number | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
}

@InputType()
export class CreateCustomerInput {
  @Field(() => String) name!: string;
  @Field(() => CustomerType, { nullable: true }) customerType?: CustomerType | null;
  @Field(() => String, { nullable: true }) companyName?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) website?: string | null;
  @Field(() => String, { nullable: true }) addressLine?: string | null;
  @Field(() => String, { nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true }) state?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
  @Field(() => CustomerStatus, { nullable: true }) status?: CustomerStatus | null;
  @Field(() => String, { nullable: true }) industry?: string | null;
  @Field(() => Int, { nullable: true, description: '1–5' }) rating?: number | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
}

@InputType()
export class UpdateCustomerInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => CustomerType, { nullable: true }) customerType?: CustomerType | null;
  @Field(() => String, { nullable: true }) companyName?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) website?: string | null;
  @Field(() => String, { nullable: true }) addressLine?: string | null;
  @Field(() => String, { nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true }) state?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
  @Field(() => CustomerStatus, { nullable: true }) status?: CustomerStatus | null;
  @Field(() => String, { nullable: true }) industry?: string | null;
  @Field(() => Int, { nullable: true, description: '1–5' }) rating?: number | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
}

@InputType({ description: 'Fields set to the same value on every selected record' })
export class BulkUpdateCustomerInput {
  @Field(() => CustomerType, { nullable: true }) customerType?: CustomerType | null;
  @Field(() => CustomerStatus, { nullable: true }) status?: CustomerStatus | null;
  @Field(() => String, { nullable: true }) industry?: string | null;
  @Field(() => Int, { nullable: true, description: '1–5' }) rating?: number | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
}

@InputType()
export class CreateContactInput {
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => String) firstName!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) jobTitle?: string | null;
  @Field(() => Boolean, { nullable: true }) isPrimary?: boolean | null;
}

@InputType()
export class UpdateContactInput {
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) jobTitle?: string | null;
  @Field(() => Boolean, { nullable: true }) isPrimary?: boolean | null;
}

@InputType({ description: 'Fields set to the same value on every selected record' })
export class BulkUpdateContactInput {
  @Field(() => ID, { nullable: true }) customerId?: string | null;
}

@InputType()
export class CreateLeadInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) company?: string | null;
  @Field(() => String, { nullable: true }) jobTitle?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => LeadSource, { nullable: true }) source?: LeadSource | null;
  @Field(() => LeadStatus, { nullable: true, description: 'Not converted: use convertLead' }) status?: LeadStatus | null;
  @Field(() => Int, { nullable: true, description: '0–100' }) score?: number | null;
  @Field(() => DecimalScalar, { nullable: true }) estimatedValue?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 4217' }) currency?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
}

@InputType()
export class UpdateLeadInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) company?: string | null;
  @Field(() => String, { nullable: true }) jobTitle?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => LeadSource, { nullable: true }) source?: LeadSource | null;
  @Field(() => LeadStatus, { nullable: true, description: 'Not converted: use convertLead' }) status?: LeadStatus | null;
  @Field(() => Int, { nullable: true, description: '0–100' }) score?: number | null;
  @Field(() => DecimalScalar, { nullable: true }) estimatedValue?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 4217' }) currency?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
}

@InputType({ description: 'Fields set to the same value on every selected record' })
export class BulkUpdateLeadInput {
  @Field(() => LeadSource, { nullable: true }) source?: LeadSource | null;
  @Field(() => LeadStatus, { nullable: true, description: 'Not converted: use convertLead' }) status?: LeadStatus | null;
  @Field(() => Int, { nullable: true, description: '0–100' }) score?: number | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
}

@InputType()
export class CreateDealInput {
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => ID, { nullable: true }) leadId?: string | null;
  @Field(() => ID, { nullable: true }) contactId?: string | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
  @Field(() => DecimalScalar, { description: 'Positive, two decimals at most' }) value!: string;
  @Field(() => String, { nullable: true, description: 'ISO 4217' }) currency?: string | null;
  @Field(() => Int, { nullable: true, description: '0–100; default: the stage’s' }) probability?: number | null;
  @Field(() => DealPriority, { nullable: true }) priority?: DealPriority | null;
  @Field(() => DateScalar, { nullable: true }) expectedCloseDate?: string | null;
  @Field(() => ID, { nullable: true, description: 'Default: the default pipeline' }) pipelineId?: string;
  @Field(() => ID, { nullable: true, description: 'Default: the first open stage' }) stageId?: string;
}

@InputType()
export class UpdateDealInput {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => ID, { nullable: true }) leadId?: string | null;
  @Field(() => ID, { nullable: true }) contactId?: string | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'Positive, two decimals at most' }) value?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 4217' }) currency?: string | null;
  @Field(() => Int, { nullable: true, description: '0–100; default: the stage’s' }) probability?: number | null;
  @Field(() => DealPriority, { nullable: true }) priority?: DealPriority | null;
  @Field(() => DateScalar, { nullable: true }) expectedCloseDate?: string | null;
}

@InputType({ description: 'Fields set to the same value on every selected record' })
export class BulkUpdateDealInput {
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 4217' }) currency?: string | null;
  @Field(() => DealPriority, { nullable: true }) priority?: DealPriority | null;
  @Field(() => DateScalar, { nullable: true }) expectedCloseDate?: string | null;
}

@InputType()
export class CreateActivityInput {
  @Field(() => ActivityType) type!: ActivityType;
  @Field(() => String) subject!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Date, { nullable: true }) dueAt?: Date | null;
  @Field(() => ID, { nullable: true }) leadId?: string | null;
  @Field(() => ID, { nullable: true }) dealId?: string | null;
  @Field(() => ID, { nullable: true }) contactId?: string | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
}

@InputType()
export class UpdateActivityInput {
  @Field(() => ActivityType, { nullable: true }) type?: ActivityType | null;
  @Field(() => String, { nullable: true }) subject?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Date, { nullable: true }) dueAt?: Date | null;
  @Field(() => ID, { nullable: true }) leadId?: string | null;
  @Field(() => ID, { nullable: true }) dealId?: string | null;
  @Field(() => ID, { nullable: true }) contactId?: string | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
  @Field({ nullable: true, description: 'true: completed now; false: open again' }) completed?: boolean;
}

@InputType()
export class CreateQuotationInput {
  @Field(() => String) title!: string;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => ID, { nullable: true }) dealId?: string | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 4217' }) currency?: string | null;
  @Field(() => DateScalar, { nullable: true }) validUntil?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => [QuotationItemInput], { nullable: true }) items?: QuotationItemInput[];
}

@InputType()
export class UpdateQuotationInput {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => ID, { nullable: true }) dealId?: string | null;
  @Field(() => ID, { nullable: true }) assignedEmployeeId?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 4217' }) currency?: string | null;
  @Field(() => DateScalar, { nullable: true }) validUntil?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => [QuotationItemInput], { nullable: true, description: 'Replaces every item' }) items?: QuotationItemInput[];
}

@InputType()
export class CreateSalesTargetInput {
  @Field(() => String) name!: string;
  @Field(() => ID, { nullable: true, description: 'null: the whole organization' }) employeeId?: string | null;
  @Field(() => DateScalar) periodStart!: string;
  @Field(() => DateScalar) periodEnd!: string;
  @Field(() => DecimalScalar) amount!: string;
  @Field(() => String, { nullable: true, description: 'ISO 4217' }) currency?: string | null;
}

@InputType()
export class UpdateSalesTargetInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => ID, { nullable: true, description: 'null: the whole organization' }) employeeId?: string | null;
  @Field(() => DateScalar, { nullable: true }) periodStart?: string | null;
  @Field(() => DateScalar, { nullable: true }) periodEnd?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) amount?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 4217' }) currency?: string | null;
}
