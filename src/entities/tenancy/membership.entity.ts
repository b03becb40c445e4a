import { Entity, Enum, ManyToOne, Unique } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';

export enum MembershipStatus {
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
}
registerEnumType(MembershipStatus, { name: 'MembershipStatus' });

/** A user's place in an organization; the roles it holds are RoleAssignments. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'tenancy_membership' })
@Unique({ properties: ['organizationId', 'userId'] })
export class Membership extends TenantEntity {
  @Field()
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'user_id', deleteRule: 'cascade', index: true })
  userId!: string;

  @Field(() => MembershipStatus)
  @Enum({ items: () => MembershipStatus, nativeEnumName: 'membership_status' })
  status: MembershipStatus = MembershipStatus.ACTIVE;
}
