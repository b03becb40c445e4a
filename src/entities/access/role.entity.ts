import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';

/** A named set of permissions (`resource:action[:scope]`). System roles are created from templates per organization. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'access_role' })
@Unique({ properties: ['organizationId', 'key'] })
export class Role extends TenantEntity {
  @Field()
  @Property({ type: 'text' })
  key!: string;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => [String])
  @Property({ type: 'text[]' })
  permissions: string[] = [];

  @Field()
  @Property({ type: 'boolean' })
  isSystem: boolean = false;
}

/** A role held by a membership. */
@Entity({ tableName: 'access_role_assignment' })
@Unique({ properties: ['membershipId', 'roleId'] })
export class RoleAssignment extends TenantEntity {
  @ManyToOne({ entity: 'Membership', mapToPk: true, fieldName: 'membership_id', deleteRule: 'cascade', index: true })
  membershipId!: string;

  @ManyToOne({ entity: 'Role', mapToPk: true, fieldName: 'role_id', deleteRule: 'cascade', index: true })
  roleId!: string;
}
