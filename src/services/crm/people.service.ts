/**
 * Employees, vendors, customers and contacts: create, update, delete (customers and contacts
 * softly, with restore), customer activation, bulk update/delete, lists and customer statistics.
 * These records have no `own` scope: sales reads (and writes) every customer.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { RequestContext } from '../../core/context/request-context';
import { conflict, notFound } from '../../core/errors';
import { Contact, Customer, CustomerStatus, Employee, Vendor } from '../../entities/crm/people.entity';
import { Membership } from '../../entities/tenancy/membership.entity';
import { recordAudit } from '../audit';
import {
  access, applyPatch, bulkIds, created, listRecords, loadForWrite, normalize, readRecord, requireRef,
  type Diff, type FieldKind, type ListInput, type ListSpec, type Row,
} from './common';

type Input = Record<string, unknown>;

const EMPLOYEE_FIELDS: Record<string, FieldKind> = {
  code: 'name', firstName: 'name', lastName: 'name', email: 'email', phone: 'phone', department: 'text',
  designation: 'text', salary: 'optMoney', employmentType: 'value', userId: 'ref', isActive: 'value',
};
const VENDOR_FIELDS: Record<string, FieldKind> = {
  name: 'name', companyName: 'text', email: 'email', phone: 'phone', industry: 'text', rating: 'rating', assignedEmployeeId: 'ref',
};
const CUSTOMER_FIELDS: Record<string, FieldKind> = {
  name: 'name', customerType: 'value', companyName: 'text', email: 'email', phone: 'phone', website: 'text', addressLine: 'text',
  city: 'text', state: 'text', postalCode: 'text', country: 'text', status: 'value', industry: 'text', rating: 'rating', notes: 'text',
  assignedEmployeeId: 'ref',
};
const CONTACT_FIELDS: Record<string, FieldKind> = {
  customerId: 'ref', firstName: 'name', lastName: 'name', email: 'email', phone: 'phone', jobTitle: 'text', isPrimary: 'value',
};

export const EMPLOYEE_LIST: ListSpec = { entity: Employee, searchColumns: ['first_name', 'last_name', 'email', 'code', 'department'] };
export const VENDOR_LIST: ListSpec = { entity: Vendor, searchColumns: ['name', 'email', 'company_name'] };
export const CUSTOMER_LIST: ListSpec = { entity: Customer, searchColumns: ['name', 'email', 'company_name'], softDelete: true };
export const CONTACT_LIST: ListSpec = {
  entity: Contact,
  searchColumns: ['first_name', 'last_name', 'email'],
  softDelete: true,
  relations: { customer: { column: 'customer_id', entity: Customer } },
};

async function audit(ctx: RequestContext, em: EntityManager, action: string, resourceType: string, resourceId: string, changes: Diff | Record<string, unknown>) {
  await recordAudit(ctx, em, { action: `crm.${action}`, resourceType, resourceId, changes });
}

async function checkEmployeeRefs(em: EntityManager, patch: Input): Promise<void> {
  await requireRef(em, Employee, 'Employee', 'assignedEmployeeId', patch.assignedEmployeeId as string | null | undefined);
}

/** Runs a flush that may hit a unique constraint as CONFLICT on `field`. */
async function flushUnique(em: EntityManager, field: string, message: string): Promise<void> {
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw conflict(message, field);
    throw err;
  }
}

// ---------------------------------------------------------------- employees

export const getEmployee = (ctx: RequestContext, id: string) => readRecord<Row>(ctx, Employee, 'Employee', id, null);
export const listEmployees = (ctx: RequestContext, input: ListInput) => listRecords(ctx, EMPLOYEE_LIST, input, null);

async function checkEmployeeUser(em: EntityManager, userId: string | null | undefined): Promise<void> {
  if (!userId) return;
  if (!(await em.count(Membership, { userId }))) throw notFound('Member', 'userId');
}

export async function createEmployee(ctx: RequestContext, input: Input): Promise<Employee> {
  access(ctx, 'employee:write');
  const data = normalize<Employee>(input, EMPLOYEE_FIELDS, true);
  return ctx.db.transactional(async (em) => {
    await checkEmployeeUser(em, data.userId);
    const employee = em.create(Employee, data as Employee);
    await flushUnique(em, 'code', 'Another employee has this code');
    const diff = created(employee, Object.keys(data));
    if (diff.salary) diff.salary = { from: null, to: '(hidden)' };
    await audit(ctx, em, 'employee.create', 'Employee', employee.id, diff);
    return employee;
  });
}

export async function updateEmployee(ctx: RequestContext, id: string, input: Input): Promise<Employee> {
  access(ctx, 'employee:write');
  const patch = normalize<Employee>(input, EMPLOYEE_FIELDS, false);
  return ctx.db.transactional(async (em) => {
    const employee = await loadForWrite(em, Employee, 'Employee', id, null);
    await checkEmployeeUser(em, patch.userId);
    const diff = applyPatch(employee, patch);
    await flushUnique(em, 'code', 'Another employee has this code');
    // Salaries do not go to the audit trail in clear: only that they changed.
    if (diff.salary) diff.salary = { from: '(hidden)', to: '(hidden)' };
    if (Object.keys(diff).length) await audit(ctx, em, 'employee.update', 'Employee', employee.id, diff);
    return employee;
  });
}

export async function deleteEmployee(ctx: RequestContext, id: string): Promise<boolean> {
  access(ctx, 'employee:delete');
  return ctx.db.transactional(async (em) => {
    const employee = await loadForWrite(em, Employee, 'Employee', id, null);
    await em.remove(employee).flush();
    await audit(ctx, em, 'employee.delete', 'Employee', id, { code: employee.code, name: `${employee.firstName} ${employee.lastName}` });
    return true;
  });
}

// ---------------------------------------------------------------- vendors

export const getVendor = (ctx: RequestContext, id: string) => readRecord<Row>(ctx, Vendor, 'Vendor', id, null);
export const listVendors = (ctx: RequestContext, input: ListInput) => listRecords(ctx, VENDOR_LIST, input, null);

export async function createVendor(ctx: RequestContext, input: Input): Promise<Vendor> {
  access(ctx, 'vendor:write');
  const data = normalize<Vendor>(input, VENDOR_FIELDS, true);
  return ctx.db.transactional(async (em) => {
    await checkEmployeeRefs(em, data as Input);
    const vendor = em.create(Vendor, data as Vendor);
    await em.flush();
    await audit(ctx, em, 'vendor.create', 'Vendor', vendor.id, created(vendor, Object.keys(data)));
    return vendor;
  });
}

export async function updateVendor(ctx: RequestContext, id: string, input: Input): Promise<Vendor> {
  access(ctx, 'vendor:write');
  const patch = normalize<Vendor>(input, VENDOR_FIELDS, false);
  return ctx.db.transactional(async (em) => {
    const vendor = await loadForWrite(em, Vendor, 'Vendor', id, null);
    await checkEmployeeRefs(em, patch as Input);
    const diff = applyPatch(vendor, patch);
    await em.flush();
    if (Object.keys(diff).length) await audit(ctx, em, 'vendor.update', 'Vendor', vendor.id, diff);
    return vendor;
  });
}

export async function deleteVendor(ctx: RequestContext, id: string): Promise<boolean> {
  access(ctx, 'vendor:delete');
  return ctx.db.transactional(async (em) => {
    const vendor = await loadForWrite(em, Vendor, 'Vendor', id, null);
    await em.remove(vendor).flush();
    await audit(ctx, em, 'vendor.delete', 'Vendor', id, { name: vendor.name });
    return true;
  });
}

// ---------------------------------------------------------------- customers

export const getCustomer = (ctx: RequestContext, id: string, includeDeleted = false) =>
  readRecord<Row>(ctx, Customer, 'Customer', id, null, { softDelete: true, includeDeleted });
export const listCustomers = (ctx: RequestContext, input: ListInput) => {
  access(ctx, 'customer:read');
  return listRecords(ctx, CUSTOMER_LIST, input, null);
};

export async function createCustomer(ctx: RequestContext, input: Input): Promise<Customer> {
  const a = access(ctx, 'customer:write');
  const data = normalize<Customer>(input, CUSTOMER_FIELDS, true);
  return ctx.db.transactional(async (em) => {
    await checkEmployeeRefs(em, data as Input);
    const customer = em.create(Customer, { ...data, createdBy: a.userId } as Customer);
    await em.flush();
    await audit(ctx, em, 'customer.create', 'Customer', customer.id, created(customer, Object.keys(data)));
    return customer;
  });
}

export async function updateCustomer(ctx: RequestContext, id: string, input: Input): Promise<Customer> {
  access(ctx, 'customer:write');
  const patch = normalize<Customer>(input, CUSTOMER_FIELDS, false);
  return ctx.db.transactional(async (em) => {
    const customer = await loadForWrite(em, Customer, 'Customer', id, null, { softDelete: true });
    await checkEmployeeRefs(em, patch as Input);
    const diff = applyPatch(customer, patch);
    await em.flush();
    if (Object.keys(diff).length) await audit(ctx, em, 'customer.update', 'Customer', customer.id, diff);
    return customer;
  });
}

/** activateCustomer / deactivateCustomer: status active or inactive (idempotent; audited when it changes). */
export async function setCustomerActive(ctx: RequestContext, id: string, active: boolean): Promise<Customer> {
  access(ctx, 'customer:write');
  return ctx.db.transactional(async (em) => {
    const customer = await loadForWrite(em, Customer, 'Customer', id, null, { softDelete: true });
    const diff = applyPatch(customer, { status: active ? CustomerStatus.ACTIVE : CustomerStatus.INACTIVE });
    await em.flush();
    if (Object.keys(diff).length) await audit(ctx, em, active ? 'customer.activate' : 'customer.deactivate', 'Customer', id, diff);
    return customer;
  });
}

// ---------------------------------------------------------------- contacts

export const getContact = (ctx: RequestContext, id: string, includeDeleted = false) =>
  readRecord<Row>(ctx, Contact, 'Contact', id, null, { softDelete: true, includeDeleted });
export const listContacts = (ctx: RequestContext, input: ListInput) => {
  access(ctx, 'contact:read');
  return listRecords(ctx, CONTACT_LIST, input, null);
};

export async function createContact(ctx: RequestContext, input: Input): Promise<Contact> {
  const a = access(ctx, 'contact:write');
  const data = normalize<Contact>(input, CONTACT_FIELDS, true);
  return ctx.db.transactional(async (em) => {
    await requireRef(em, Customer, 'Customer', 'customerId', data.customerId, { softDelete: true });
    const contact = em.create(Contact, { ...data, createdBy: a.userId } as Contact);
    await em.flush();
    await audit(ctx, em, 'contact.create', 'Contact', contact.id, created(contact, Object.keys(data)));
    return contact;
  });
}

export async function updateContact(ctx: RequestContext, id: string, input: Input): Promise<Contact> {
  access(ctx, 'contact:write');
  const patch = normalize<Contact>(input, CONTACT_FIELDS, false);
  return ctx.db.transactional(async (em) => {
    const contact = await loadForWrite(em, Contact, 'Contact', id, null, { softDelete: true });
    await requireRef(em, Customer, 'Customer', 'customerId', patch.customerId, { softDelete: true });
    const diff = applyPatch(contact, patch);
    await em.flush();
    if (Object.keys(diff).length) await audit(ctx, em, 'contact.update', 'Contact', contact.id, diff);
    return contact;
  });
}

// ---------------------------------------------------------------- soft delete, restore, bulk (customers and contacts)

const SOFT: Record<string, { entity: typeof Customer | typeof Contact; label: string; fields: Record<string, FieldKind> }> = {
  customer: { entity: Customer, label: 'Customer', fields: CUSTOMER_FIELDS },
  contact: { entity: Contact, label: 'Contact', fields: CONTACT_FIELDS },
};

/** Soft-deletes (`deleted`) or restores one customer or contact. */
export async function setDeleted(ctx: RequestContext, kind: 'customer' | 'contact', id: string, deleted: boolean): Promise<Row> {
  access(ctx, deleted ? `${kind}:delete` : `${kind}:write`);
  const { entity, label } = SOFT[kind];
  return ctx.db.transactional(async (em) => {
    const record = await loadForWrite<Customer | Contact>(em, entity as typeof Customer, label, id, null, { softDelete: true, deleted: !deleted });
    const diff = applyPatch<Customer | Contact>(record, { deletedAt: deleted ? new Date() : null });
    await em.flush();
    await audit(ctx, em, `${kind}.${deleted ? 'delete' : 'restore'}`, label, id, diff);
    return record as unknown as Row;
  });
}

/** Updates the same fields of every selected record (all found, or NOT_FOUND and nothing changes). */
export async function bulkUpdate(ctx: RequestContext, kind: 'customer' | 'contact', ids: string[], input: Input): Promise<number> {
  access(ctx, `${kind}:write`);
  const { entity, label, fields } = SOFT[kind];
  const selected = bulkIds(ids);
  const patch = normalize<Customer>(input, Object.fromEntries(Object.entries(fields).filter(([, k]) => k !== 'name')), false);
  return ctx.db.transactional(async (em) => {
    const records = await em.find(entity as typeof Customer, { id: { $in: selected }, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (records.length !== selected.length) throw notFound(label, 'ids');
    if (kind === 'customer') await checkEmployeeRefs(em, patch as Input);
    else await requireRef(em, Customer, 'Customer', 'customerId', (patch as Partial<Contact>).customerId, { softDelete: true });
    for (const r of records) {
      const diff = applyPatch(r, patch);
      if (Object.keys(diff).length) await audit(ctx, em, `${kind}.update`, label, r.id, { ...diff, bulk: true });
    }
    await em.flush();
    return records.length;
  });
}

export async function bulkDelete(ctx: RequestContext, kind: 'customer' | 'contact', ids: string[]): Promise<number> {
  access(ctx, `${kind}:delete`);
  const { entity, label } = SOFT[kind];
  const selected = bulkIds(ids);
  return ctx.db.transactional(async (em) => {
    const records = await em.find(entity as typeof Customer, { id: { $in: selected }, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (records.length !== selected.length) throw notFound(label, 'ids');
    const now = new Date();
    for (const r of records) {
      const diff = applyPatch(r, { deletedAt: now });
      await audit(ctx, em, `${kind}.delete`, label, r.id, { ...diff, bulk: true });
    }
    await em.flush();
    return records.length;
  });
}

// ---------------------------------------------------------------- statistics

export interface CustomerStatistics {
  total: number;
  byStatus: { status: CustomerStatus; count: number }[];
  byType: { customerType: string; count: number }[];
}

/** Counts of the organization's (not deleted) customers, computed in SQL. */
export async function customerStatistics(ctx: RequestContext): Promise<CustomerStatistics> {
  const a = access(ctx, 'customer:read');
  const trx = await ctx.db.trx();
  const rows: { status: CustomerStatus; customer_type: string; count: string }[] = await trx('crm_customer')
    .select('status', 'customer_type')
    .count('* as count')
    .where({ organization_id: a.organizationId })
    .whereNull('deleted_at')
    .groupBy('status', 'customer_type');
  const byStatus = Object.values(CustomerStatus).map((status) => ({
    status,
    count: rows.filter((r) => r.status === status).reduce((s, r) => s + Number(r.count), 0),
  }));
  const types = [...new Set(rows.map((r) => r.customer_type))].sort();
  return {
    total: rows.reduce((s, r) => s + Number(r.count), 0),
    byStatus,
    byType: types.map((customerType) => ({ customerType, count: rows.filter((r) => r.customer_type === customerType).reduce((s, r) => s + Number(r.count), 0) })),
  };
}
