/**
 * Second line of the ORM layer: stamps the tenant on every new tenant row and refuses to
 * write or delete a row of another organization, whatever the calling code forgot.
 */
import { EventArgs, EventSubscriber } from '@mikro-orm/core';
import { TENANT_FILTER, TenantEntity, TenantFilterParams } from './base-entities';

function currentTenant(args: EventArgs<TenantEntity>): string {
  const params = args.em.getFilterParams<TenantFilterParams>(TENANT_FILTER);
  if (!params?.organizationId) {
    throw new Error(`Tenant context missing: refusing to write ${args.entity.constructor.name}`);
  }
  return params.organizationId;
}

export class TenantSubscriber implements EventSubscriber<TenantEntity> {
  beforeCreate(args: EventArgs<TenantEntity>): void {
    if (!(args.entity instanceof TenantEntity)) return;
    const tenant = currentTenant(args);
    if (args.entity.organizationId === undefined) args.entity.organizationId = tenant;
    else if (args.entity.organizationId !== tenant) {
      throw new Error(`Refusing to insert ${args.entity.constructor.name} into another organization`);
    }
  }

  beforeUpdate(args: EventArgs<TenantEntity>): void {
    this.refuseForeign(args, 'update');
  }

  beforeDelete(args: EventArgs<TenantEntity>): void {
    this.refuseForeign(args, 'delete');
  }

  private refuseForeign(args: EventArgs<TenantEntity>, verb: string): void {
    if (!(args.entity instanceof TenantEntity)) return;
    const tenant = currentTenant(args);
    const original = args.changeSet?.originalEntity?.organizationId as string | undefined;
    if (args.entity.organizationId !== tenant || (original !== undefined && original !== tenant)) {
      throw new Error(`Refusing to ${verb} ${args.entity.constructor.name} of another organization`);
    }
  }
}
