import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Parent } from '../../schema/common';
import { Loads, Selected, SelectedNodes, type FieldSelection } from '../../schema/selection';
import type { RequestContext } from '../../core/context/request-context';
import { scopeOf } from '../../core/access/permissions';
import type { FilterInput } from '../../core/orm/connection';
import { DecimalScalar } from '../../schema/scalars';
import { Contact, Customer, Employee, Vendor } from '../../entities/crm/people.entity';
import * as crm from '../../services/crm';
import {
  BulkUpdateContactInput, BulkUpdateCustomerInput, CreateContactInput, CreateCustomerInput, CreateEmployeeInput, CreateVendorInput,
  UpdateContactInput, UpdateCustomerInput, UpdateEmployeeInput, UpdateVendorInput,
} from './crm.inputs';
import {
  ContactConnection, ContactListArgs, CustomerConnection, CustomerListArgs, EmployeeConnection, EmployeeListArgs, VendorConnection, VendorListArgs,
} from './crm.types';
import { CustomerStatistics } from './crm.results';

type Args = { filter?: object; orderBy?: { field: string; direction: 'ASC' | 'DESC' }[]; first?: number; after?: string; search?: string; includeDeleted?: boolean };

/** List arguments as the services take them. */
export const listInput = (args: Args, select?: FieldSelection): crm.ListInput => ({ ...args, filter: args.filter as FilterInput | undefined, select });

/** The assigned employee of a record, batched. */
export const employeeOf = (ctx: RequestContext, id: string | null | undefined, select?: FieldSelection) =>
  id ? ctx.loaders.byId<Employee>(Employee, id, select) : null;

@Resolver(() => Employee)
export class EmployeeResolver {
  @Query(() => Employee) employee(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.getEmployee(ctx, id);
  }

  @Query(() => EmployeeConnection, { description: 'Employees; search looks in name, email, code and department' })
  employees(@Args() args: EmployeeListArgs, @SelectedNodes(Employee) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return crm.listEmployees(ctx, listInput(args, select));
  }

  @FieldResolver(() => DecimalScalar, { nullable: true, description: 'Null unless you hold employee:read_sensitive' })
  salary(@Parent() employee: Employee, @Ctx() ctx: RequestContext): string | null {
    return ctx.viewer && scopeOf(ctx.viewer.permissions, 'employee:read_sensitive') ? (employee.salary ?? null) : null;
  }

  @Mutation(() => Employee) createEmployee(@Arg('input') input: CreateEmployeeInput, @Ctx() ctx: RequestContext) {
    return crm.createEmployee(ctx, { ...input });
  }

  @Mutation(() => Employee) updateEmployee(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateEmployeeInput, @Ctx() ctx: RequestContext) {
    return crm.updateEmployee(ctx, id, { ...input });
  }

  @Mutation(() => Boolean) deleteEmployee(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.deleteEmployee(ctx, id);
  }
}

@Resolver(() => Vendor)
export class VendorResolver {
  @Query(() => Vendor) vendor(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.getVendor(ctx, id);
  }

  @Query(() => VendorConnection) vendors(@Args() args: VendorListArgs, @SelectedNodes(Vendor) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return crm.listVendors(ctx, listInput(args, select));
  }

  @FieldResolver(() => Employee, { nullable: true })
  @Loads(() => Employee, { byId: 'assignedEmployeeId' })
  assignedEmployee(@Parent('assignedEmployeeId') v: Vendor, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return employeeOf(ctx, v.assignedEmployeeId, fields);
  }

  @Mutation(() => Vendor) createVendor(@Arg('input') input: CreateVendorInput, @Ctx() ctx: RequestContext) {
    return crm.createVendor(ctx, { ...input });
  }

  @Mutation(() => Vendor) updateVendor(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateVendorInput, @Ctx() ctx: RequestContext) {
    return crm.updateVendor(ctx, id, { ...input });
  }

  @Mutation(() => Boolean) deleteVendor(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.deleteVendor(ctx, id);
  }
}

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { description: 'A customer; a deleted one only with includeDeleted' })
  customer(@Arg('id', () => ID) id: string, @Arg('includeDeleted', () => Boolean, { nullable: true }) includeDeleted: boolean | null, @Ctx() ctx: RequestContext) {
    return crm.getCustomer(ctx, id, includeDeleted ?? false);
  }

  @Query(() => CustomerConnection, { description: 'Customers; search looks in name, email and company' })
  customers(@Args() args: CustomerListArgs, @SelectedNodes(Customer) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return crm.listCustomers(ctx, listInput(args, select));
  }

  @Query(() => CustomerStatistics) customerStatistics(@Ctx() ctx: RequestContext) {
    return crm.customerStatistics(ctx);
  }

  @FieldResolver(() => Employee, { nullable: true })
  @Loads(() => Employee, { byId: 'assignedEmployeeId' })
  assignedEmployee(@Parent('assignedEmployeeId') c: Customer, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return employeeOf(ctx, c.assignedEmployeeId, fields);
  }

  @FieldResolver(() => [Contact], { description: 'Its contacts (not deleted)' })
  async contacts(@Parent('id') c: Customer, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.manyBy<Contact>(Contact, 'customerId', c.id)).filter((x) => !x.deletedAt);
  }

  @Mutation(() => Customer) createCustomer(@Arg('input') input: CreateCustomerInput, @Ctx() ctx: RequestContext) {
    return crm.createCustomer(ctx, { ...input });
  }

  @Mutation(() => Customer) updateCustomer(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateCustomerInput, @Ctx() ctx: RequestContext) {
    return crm.updateCustomer(ctx, id, { ...input });
  }

  @Mutation(() => Customer, { description: 'Status active' }) activateCustomer(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.setCustomerActive(ctx, id, true);
  }

  @Mutation(() => Customer, { description: 'Status inactive' }) deactivateCustomer(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.setCustomerActive(ctx, id, false);
  }

  @Mutation(() => Customer, { description: 'Soft delete (restoreCustomer brings it back)' }) deleteCustomer(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.setDeleted(ctx, 'customer', id, true);
  }

  @Mutation(() => Customer) restoreCustomer(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.setDeleted(ctx, 'customer', id, false);
  }

  @Mutation(() => Int, { description: 'Sets the same fields on every selected customer; returns how many' })
  bulkUpdateCustomers(@Arg('ids', () => [ID]) ids: string[], @Arg('input') input: BulkUpdateCustomerInput, @Ctx() ctx: RequestContext) {
    return crm.bulkUpdate(ctx, 'customer', ids, { ...input });
  }

  @Mutation(() => Int, { description: 'Soft-deletes every selected customer; returns how many' })
  bulkDeleteCustomers(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: RequestContext) {
    return crm.bulkDelete(ctx, 'customer', ids);
  }
}

@Resolver(() => Contact)
export class ContactResolver {
  @Query(() => Contact) contact(@Arg('id', () => ID) id: string, @Arg('includeDeleted', () => Boolean, { nullable: true }) includeDeleted: boolean | null, @Ctx() ctx: RequestContext) {
    return crm.getContact(ctx, id, includeDeleted ?? false);
  }

  @Query(() => ContactConnection, { description: 'Contacts; search looks in name and email; filter.customer selects by the customer’s fields' })
  contacts(@Args() args: ContactListArgs, @SelectedNodes(Contact) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return crm.listContacts(ctx, listInput(args, select));
  }

  @FieldResolver(() => Customer, { nullable: true })
  @Loads(() => Customer, { byId: 'customerId' })
  customer(@Parent('customerId') c: Contact, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext) {
    return c.customerId ? ctx.loaders.byId(Customer, c.customerId, fields) : null;
  }

  @Mutation(() => Contact) createContact(@Arg('input') input: CreateContactInput, @Ctx() ctx: RequestContext) {
    return crm.createContact(ctx, { ...input });
  }

  @Mutation(() => Contact) updateContact(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateContactInput, @Ctx() ctx: RequestContext) {
    return crm.updateContact(ctx, id, { ...input });
  }

  @Mutation(() => Contact) deleteContact(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.setDeleted(ctx, 'contact', id, true);
  }

  @Mutation(() => Contact) restoreContact(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return crm.setDeleted(ctx, 'contact', id, false);
  }

  @Mutation(() => Int) bulkUpdateContacts(@Arg('ids', () => [ID]) ids: string[], @Arg('input') input: BulkUpdateContactInput, @Ctx() ctx: RequestContext) {
    return crm.bulkUpdate(ctx, 'contact', ids, { ...input });
  }

  @Mutation(() => Int) bulkDeleteContacts(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: RequestContext) {
    return crm.bulkDelete(ctx, 'contact', ids);
  }
}
