import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';
import { DateScalar } from '../../schema/scalars';

export enum PartnerType {
  INTERNAL = 'internal',
  RECIPIENT_PARTNER = 'recipient_partner',
  VENDOR = 'vendor',
}
registerEnumType(PartnerType, { name: 'PartnerType' });

/** A partner organization inside a tenant: the CSR team itself, a recipient running projects, or a vendor. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'csr_partner' })
@Index({ properties: ['organizationId', 'name'] })
export class Partner extends TenantEntity {
  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => PartnerType)
  @Enum({ items: () => PartnerType, nativeEnumName: 'csr_partner_type' })
  type!: PartnerType;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  contactName?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  contactEmail?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  contactPhone?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  address?: string | null;

  @Field({ description: 'Whether a memorandum of understanding is signed' })
  @Property({ type: 'boolean' })
  mouSigned: boolean = false;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true, runtimeType: 'string' })
  mouDate?: string | null;

  @Field()
  @Property({ type: 'boolean' })
  active: boolean = true;
}

/**
 * Links a user of the organization to the partner they act for (a recipient's partner). One
 * partner per user and organization; a user with `own` scope sees that partner's projects only.
 */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'csr_partner_member' })
@Unique({ properties: ['organizationId', 'userId'] })
export class PartnerMember extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Partner', mapToPk: true, fieldName: 'partner_id', deleteRule: 'cascade', index: true })
  partnerId!: string;

  @Field(() => ID)
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'user_id', deleteRule: 'cascade', index: true })
  userId!: string;
}
