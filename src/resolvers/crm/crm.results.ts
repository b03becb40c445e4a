/** Object types the CRM returns besides its records: statistics, the conversion payload, events. */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../schema/scalars';
import { Contact, Customer, CustomerStatus } from '../../entities/crm/people.entity';
import { Deal, DealStatus, Lead, LeadStatus } from '../../entities/crm/sales.entity';

@ObjectType({ simpleResolvers: true })
export class CustomerStatusCount {
  @Field(() => CustomerStatus) status!: CustomerStatus;
  @Field(() => Int) count!: number;
}

@ObjectType({ simpleResolvers: true })
export class CustomerTypeCount {
  @Field() customerType!: string;
  @Field(() => Int) count!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Counts of the organization’s customers (deleted ones excluded)' })
export class CustomerStatistics {
  @Field(() => Int) total!: number;
  @Field(() => [CustomerStatusCount]) byStatus!: CustomerStatusCount[];
  @Field(() => [CustomerTypeCount]) byType!: CustomerTypeCount[];
}

@ObjectType({ simpleResolvers: true })
export class LeadStatusCount {
  @Field(() => LeadStatus) status!: LeadStatus;
  @Field(() => Int) count!: number;
}

@ObjectType({ simpleResolvers: true })
export class LeadSourceCount {
  @Field() source!: string;
  @Field(() => Int) count!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Counts of the leads you may read (deleted ones excluded)' })
export class LeadStatistics {
  @Field(() => Int) total!: number;
  @Field(() => Int) converted!: number;
  @Field(() => [LeadStatusCount]) byStatus!: LeadStatusCount[];
  @Field(() => [LeadSourceCount]) bySource!: LeadSourceCount[];
  @Field(() => Number, { nullable: true }) averageScore!: number | null;
}

@ObjectType({ simpleResolvers: true })
export class DealStatusFigures {
  @Field(() => DealStatus) status!: DealStatus;
  @Field(() => Int) count!: number;
  @Field(() => DecimalScalar) value!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Open deals in one stage' })
export class DealStageFigures {
  @Field(() => ID) stageId!: string;
  @Field() name!: string;
  @Field(() => Int) position!: number;
  @Field(() => Int) probability!: number;
  @Field(() => Int) count!: number;
  @Field(() => DecimalScalar) value!: string;
  @Field(() => DecimalScalar, { description: 'Sum of value × probability / 100' }) weightedValue!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Deals you may read in one pipeline: open deals by stage, and won/lost deals closed in the period' })
export class DealStatistics {
  @Field(() => [DealStatusFigures]) byStatus!: DealStatusFigures[];
  @Field(() => [DealStageFigures]) byStage!: DealStageFigures[];
  @Field(() => Int) openCount!: number;
  @Field(() => DecimalScalar, { description: 'Value of the open deals' }) pipelineValue!: string;
  @Field(() => DecimalScalar, { description: 'Sum over open deals of value × probability / 100' }) weightedForecast!: string;
  @Field(() => Int) wonCount!: number;
  @Field(() => DecimalScalar) wonValue!: string;
  @Field(() => Int) lostCount!: number;
  @Field(() => DecimalScalar) lostValue!: string;
}

@ObjectType({ simpleResolvers: true })
export class ConvertLeadPayload {
  @Field(() => Lead) lead!: Lead;
  @Field(() => Customer) customer!: Customer;
  @Field(() => Contact) contact!: Contact;
  @Field(() => Deal, { nullable: true }) deal!: Deal | null;
}

@ObjectType({ simpleResolvers: true, description: 'A deal changed stage (moved, won or lost)' })
export class DealStageChange {
  @Field(() => ID) dealId!: string;
  @Field(() => ID) fromStageId!: string;
  @Field(() => ID) toStageId!: string;
  @Field(() => Int) probability!: number;
  @Field(() => DealStatus) status!: DealStatus;
  @Field(() => ID) changedBy!: string;
  @Field() changedAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'A lead was converted' })
export class LeadConversion {
  @Field(() => ID) leadId!: string;
  @Field(() => ID) customerId!: string;
  @Field(() => ID) contactId!: string;
  @Field(() => ID, { nullable: true }) dealId!: string | null;
  @Field(() => ID) convertedBy!: string;
  @Field() convertedAt!: Date;
}
