/**
 * Base classes for every persisted entity. Tenant-owned entities extend TenantEntity: they get
 * the `organization_id` column and the default `tenant` filter, which throws when a query runs
 * without a tenant context instead of returning every organization's rows.
 */
import { Filter, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { v7 as uuidv7 } from 'uuid';

export const TENANT_FILTER = 'tenant';
export interface TenantFilterParams {
  organizationId: string;
}

@ObjectType({ simpleResolvers: true })
export abstract class BaseEntity {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

@Filter({
  name: TENANT_FILTER,
  default: true,
  cond: (args: Partial<TenantFilterParams> | undefined, _type: unknown, _em: unknown, _opts: unknown, entityName?: string) => {
    if (!args?.organizationId) {
      throw new Error(`Tenant context missing: refusing to query ${entityName ?? 'a tenant entity'} across organizations`);
    }
    return { organizationId: args.organizationId };
  },
})
@ObjectType({ simpleResolvers: true })
export abstract class TenantEntity extends BaseEntity {
  // Referenced by name so that core imports no domain; stamped by TenantSubscriber on insert.
  @ManyToOne({ entity: 'Organization', mapToPk: true, fieldName: 'organization_id', deleteRule: 'cascade', index: true })
  organizationId!: string;
}
