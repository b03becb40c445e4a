/**
 * CRM records about people and companies: employees (staff, optionally linked to a user),
 * vendors, customers (individual or business) and their contacts. Customers and contacts are
 * soft-deleted (deletedAt) and can be restored.
 */
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';

export enum EmploymentType {
  FULL_TIME = 'full_time',
  PART_TIME = 'part_time',
  CONTRACT = 'contract',
  INTERN = 'intern',
}
registerEnumType(EmploymentType, { name: 'EmploymentType' });

export enum CustomerType {
  INDIVIDUAL = 'individual',
  BUSINESS = 'business',
}
registerEnumType(CustomerType, { name: 'CustomerType' });

export enum CustomerStatus {
  ACTIVE = 'active',
  INACTIVE = 'inactive',
  PROSPECT = 'prospect',
  VIP = 'vip',
}
registerEnumType(CustomerStatus, { name: 'CustomerStatus' });

/** A member of staff; `salary` is exposed only with employee:read_sensitive (see the resolver). */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'crm_employee' })
@Unique({ properties: ['organizationId', 'code'] })
export class Employee extends TenantEntity {
  @Field({ description: 'Staff code, unique in the organization' })
  @Property({ type: 'text' })
  code!: string;

  @Field() @Property({ type: 'text' }) firstName!: string;
  @Field() @Property({ type: 'text' }) lastName!: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) department?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) designation?: string | null;

  /** numeric(18,2); exposed through EmployeeResolver.salary only. */
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  salary?: string | null;

  @Field(() => EmploymentType)
  @Enum({ items: () => EmploymentType, nativeEnumName: 'crm_employment_type' })
  employmentType: EmploymentType = EmploymentType.FULL_TIME;

  @Field(() => ID, { nullable: true, description: 'The user account of this employee (assignment to the employee counts as assignment to that user)' })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'user_id', nullable: true, deleteRule: 'set null', index: true })
  userId?: string | null;

  @Field() @Property({ type: 'boolean' }) isActive: boolean = true;
}

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'crm_vendor' })
export class Vendor extends TenantEntity {
  @Field() @Property({ type: 'text' }) name!: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) companyName?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) industry?: string | null;
  @Field(() => Int, { nullable: true, description: '1–5' }) @Property({ type: 'smallint', nullable: true }) rating?: number | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Employee', mapToPk: true, fieldName: 'assigned_employee_id', nullable: true, deleteRule: 'set null', index: true })
  assignedEmployeeId?: string | null;
}

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'crm_customer' })
@Index({ properties: ['organizationId', 'status'] })
export class Customer extends TenantEntity {
  @Field() @Property({ type: 'text' }) name!: string;

  @Field(() => CustomerType)
  @Enum({ items: () => CustomerType, nativeEnumName: 'crm_customer_type' })
  customerType: CustomerType = CustomerType.INDIVIDUAL;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) companyName?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) website?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) addressLine?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) state?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) postalCode?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2' }) @Property({ type: 'text', nullable: true }) country?: string | null;

  @Field(() => CustomerStatus)
  @Enum({ items: () => CustomerStatus, nativeEnumName: 'crm_customer_status' })
  status: CustomerStatus = CustomerStatus.PROSPECT;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) industry?: string | null;
  @Field(() => Int, { nullable: true, description: '1–5' }) @Property({ type: 'smallint', nullable: true }) rating?: number | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) notes?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Employee', mapToPk: true, fieldName: 'assigned_employee_id', nullable: true, deleteRule: 'set null', index: true })
  assignedEmployeeId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The lead this customer was converted from' })
  @Property({ type: 'uuid', nullable: true })
  sourceLeadId?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null' })
  createdBy?: string | null;

  @Field(() => Date, { nullable: true, description: 'Set when deleted (restore with restoreCustomer)' })
  @Property({ type: 'timestamptz', nullable: true })
  deletedAt?: Date | null;
}

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'crm_contact' })
export class Contact extends TenantEntity {
  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'Customer', mapToPk: true, fieldName: 'customer_id', nullable: true, deleteRule: 'set null', index: true })
  customerId?: string | null;

  @Field() @Property({ type: 'text' }) firstName!: string;
  @Field() @Property({ type: 'text' }) lastName!: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) jobTitle?: string | null;
  @Field() @Property({ type: 'boolean' }) isPrimary: boolean = false;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null' })
  createdBy?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  deletedAt?: Date | null;
}
