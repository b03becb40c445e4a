import { Entity, Enum, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { BaseEntity } from '../../core/orm/base-entities';

export enum OrganizationStatus {
  ACTIVE = 'active',
  INACTIVE = 'inactive',
  SUSPENDED = 'suspended',
  TRIAL = 'trial',
}
registerEnumType(OrganizationStatus, { name: 'OrganizationStatus' });

@ObjectType({ simpleResolvers: true })
export class OrganizationQuotas {
  @Field(() => Int) maxUsers!: number;
  @Field(() => Int) maxStorageGb!: number;
  @Field(() => Int) maxJobsPerMonth!: number;
  @Field(() => Int) maxFileSizeMb!: number;
  /** Feature modules switched on: crm, marketing, support, csr, billing, reconciliation. */
  @Field(() => [String]) modules!: string[];
}

@ObjectType({ simpleResolvers: true })
export class OrganizationBranding {
  @Field(() => String, { nullable: true }) logoUrl?: string | null;
  @Field(() => String, { nullable: true }) primaryColor?: string | null;
  @Field(() => String, { nullable: true }) secondaryColor?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class PostalAddress {
  @Field(() => String, { nullable: true }) line1?: string | null;
  @Field(() => String, { nullable: true }) line2?: string | null;
  @Field(() => String, { nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
}

export const DEFAULT_QUOTAS: OrganizationQuotas = {
  maxUsers: 50,
  maxStorageGb: 10,
  maxJobsPerMonth: 10000,
  maxFileSizeMb: 25,
  modules: ['crm', 'marketing', 'support', 'csr', 'billing', 'reconciliation'],
};

/** The tenant. Every tenant-owned row points at one organization. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'tenancy_organization' })
export class Organization extends BaseEntity {
  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field()
  @Property({ type: 'text', unique: true })
  slug!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  domain?: string | null;

  @Field(() => OrganizationStatus)
  @Enum({ items: () => OrganizationStatus, nativeEnumName: 'organization_status' })
  status: OrganizationStatus = OrganizationStatus.ACTIVE;

  @Field()
  @Property({ type: 'text' })
  subscriptionTier: string = 'free';

  @Field(() => OrganizationQuotas)
  @Property({ type: 'jsonb' })
  quotas: OrganizationQuotas = { ...DEFAULT_QUOTAS };

  @Field(() => GraphQLJSONObject)
  @Property({ type: 'jsonb' })
  settings: Record<string, unknown> = {};

  @Field(() => OrganizationBranding)
  @Property({ type: 'jsonb' })
  branding: OrganizationBranding = {};

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  contactEmail?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  contactPhone?: string | null;

  @Field(() => PostalAddress, { nullable: true })
  @Property({ type: 'jsonb', nullable: true })
  address?: PostalAddress | null;
}
