/**
 * What every CRM service shares: input validation (email, phone, percent, money, currency),
 * the `own` scope (a record is the caller's when they created it or it is assigned to an
 * Employee linked to their user), patches that return their diff for the audit log, and the
 * list machinery (search, soft delete, filters across relations).
 */
import { LockMode } from '@mikro-orm/core';
import Decimal from 'decimal.js';
import type { EntityManager, FilterQuery, Knex } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { scopeOf, type Scope } from '../../core/access/permissions';
import { requireTenant, requireViewer, type RequestContext } from '../../core/context/request-context';
import { badInput, forbidden, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { applyFilter, buildConnection, type FilterInput, type ListArgs } from '../../core/orm/connection';
import { columnsOf, scopedSelect } from '../../core/orm/rows';
import { sqlBuilder, type RequestDb } from '../../core/orm/request-db';
import { Employee } from '../../entities/crm/people.entity';

export type Row = Record<string, unknown>;
type EntityClass = abstract new (...args: never[]) => object;

// ---------------------------------------------------------------- validation

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ()\-.]{5,24}$/;
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
/** numeric(18,2): at most 16 digits before the point. */
const MAX_MONEY = new Decimal('9999999999999999.99');

/** Trimmed text, null when blank; `required` refuses blank. */
export function text(field: string, value: string | null | undefined, opts: { required?: boolean; max?: number } = {}): string | null {
  const v = value?.trim() ?? '';
  if (!v) {
    if (opts.required) throw badInput(field, `${field} is required`);
    return null;
  }
  if (v.length > (opts.max ?? 500)) throw badInput(field, `${field} must be at most ${opts.max ?? 500} characters`);
  return v;
}

export function email(field: string, value: string | null | undefined): string | null {
  const v = text(field, value, { max: 254 });
  if (v && !EMAIL.test(v)) throw badInput(field, `${field} must be an email address`);
  return v?.toLowerCase() ?? null;
}

export function phone(field: string, value: string | null | undefined): string | null {
  const v = text(field, value, { max: 30 });
  if (v && !PHONE.test(v)) throw badInput(field, `${field} must be a phone number (digits, spaces, ( ) - . and an optional leading +)`);
  return v;
}

/** A whole number between 0 and 100 (scores, probabilities). */
export function percent(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 100) throw badInput(field, `${field} must be a whole number between 0 and 100`);
  return value;
}

export function rating(field: string, value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > 5) throw badInput(field, `${field} must be between 1 and 5`);
  return value;
}

/** A positive amount with at most two decimals (zero only when `allowZero`). */
export function money(field: string, value: string, opts: { allowZero?: boolean } = {}): string {
  let d: Decimal;
  try {
    d = new Decimal(value);
  } catch {
    throw badInput(field, `${field} must be a decimal amount`);
  }
  if (d.isNeg() || (!opts.allowZero && d.isZero())) throw badInput(field, `${field} must be ${opts.allowZero ? 'zero or more' : 'positive'}`);
  if (d.decimalPlaces() > 2) throw badInput(field, `${field} must have at most two decimals`);
  if (d.gt(MAX_MONEY)) throw badInput(field, `${field} is too large`);
  return d.toFixed(2);
}

export function currency(field: string, value: string): string {
  const v = value.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(v) || !CURRENCIES.has(v)) throw badInput(field, `${field} must be an ISO 4217 currency code such as EUR`);
  return v;
}

export function dateRange(startField: string, start: string | null | undefined, end: string | null | undefined): void {
  if (start && end && start > end) throw badInput(startField, `${startField} must not be after the end of the period`);
}

/** Deduplicated ids of a bulk operation; an empty selection is refused. */
export function bulkIds(ids: string[]): string[] {
  if (!ids.length) throw badInput('ids', 'Select at least one record');
  if (ids.length > 500) throw badInput('ids', 'At most 500 records at once');
  return [...new Set(ids.map((id) => assertId('ids', id)))];
}

// ---------------------------------------------------------------- access

export interface Access {
  scope: Scope;
  userId: string;
  organizationId: string;
}

/** The caller's scope for `permission`; FORBIDDEN without it (shield checks first; this is the data layer's guard). */
export function access(ctx: RequestContext, permission: string): Access {
  const viewer = requireViewer(ctx);
  const organizationId = requireTenant(ctx);
  const scope = scopeOf(viewer.permissions, permission);
  if (!scope) throw forbidden();
  return { scope, userId: viewer.userId, organizationId };
}

/** The `own` condition on a table with created_by_id and assigned_employee_id, for query builders. */
export function ownWhere(trx: Knex, a: Access, prefix = ''): (qb: Knex.QueryBuilder) => void {
  return (qb) =>
    qb.where((b) =>
      b
        .where(`${prefix}created_by_id`, a.userId)
        .orWhereIn(`${prefix}assigned_employee_id`, trx('crm_employee').select('id').where({ organization_id: a.organizationId, user_id: a.userId })),
    );
}

/** The same condition for the EntityManager (writes): nothing extra in `all` scope. */
export async function ownFilter(em: EntityManager, a: Access): Promise<Record<string, unknown>> {
  if (a.scope === 'all') return {};
  const employees = await em.find(Employee, { userId: a.userId }, { fields: ['id'] });
  return { $or: [{ createdBy: a.userId }, { assignedEmployeeId: { $in: employees.map((e) => e.id) } }] };
}

/** Loads a record for a write inside `em`, locked, within the caller's scope; NOT_FOUND otherwise. */
export async function loadForWrite<T extends object>(
  em: EntityManager,
  entity: new (...args: never[]) => T,
  label: string,
  id: string,
  a: Access | null,
  opts: { softDelete?: boolean; deleted?: boolean; field?: string } = {},
): Promise<T> {
  assertId(opts.field ?? 'id', id);
  const where: Record<string, unknown> = { id, ...(a ? await ownFilter(em, a) : {}) };
  if (opts.softDelete) where.deletedAt = opts.deleted ? { $ne: null } : null;
  const row = await em.findOne(entity, where as FilterQuery<T>, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!row) throw notFound(label, opts.field ?? 'id');
  return row;
}

/** Whether a plain row is the caller's under `own` scope (for field resolvers): created by them or assigned to their employee. */
export async function isVisible(ctx: RequestContext, permission: string, row: { createdBy?: string | null; assignedEmployeeId?: string | null }): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer) return false;
  const scope = scopeOf(viewer.permissions, permission);
  if (scope === 'all') return true;
  if (scope !== 'own') return false;
  if (row.createdBy === viewer.userId) return true;
  if (!row.assignedEmployeeId) return false;
  const employee = await ctx.loaders.byId<Employee>(Employee, row.assignedEmployeeId);
  return employee?.userId === viewer.userId;
}

/** The user linked to an employee (for event payloads' ownership). */
export async function employeeUser(em: EntityManager, employeeId: string | null | undefined): Promise<string | null> {
  if (!employeeId) return null;
  const e = await em.findOne(Employee, { id: employeeId }, { fields: ['userId'] });
  return e?.userId ?? null;
}

// ---------------------------------------------------------------- patches and audit diffs

export type Diff = Record<string, { from: unknown; to: unknown }>;

/** Applies the defined keys of `patch` to `target`, returning what changed. */
export function applyPatch<T extends object>(target: T, patch: Partial<T>): Diff {
  const diff: Diff = {};
  for (const [key, to] of Object.entries(patch)) {
    if (to === undefined) continue;
    const from = (target as Record<string, unknown>)[key] ?? null;
    const same = from instanceof Date && to instanceof Date ? from.getTime() === to.getTime() : String(from) === String(to ?? null) && (from === null) === (to === null);
    if (!same) {
      diff[key] = { from, to };
      (target as Record<string, unknown>)[key] = to;
    }
  }
  return diff;
}

/** The fields of a new record, as its creation diff. */
export function created(record: object, fields: string[]): Diff {
  const diff: Diff = {};
  for (const f of fields) {
    const v = (record as Record<string, unknown>)[f];
    if (v !== undefined && v !== null) diff[f] = { from: null, to: v };
  }
  return diff;
}

/** A referenced record of the caller's organization (ids of another tenant are NOT_FOUND, named after the input field). */
export async function requireRef(em: EntityManager, entity: new (...args: never[]) => object, label: string, field: string, id: string | null | undefined, opts: { softDelete?: boolean } = {}): Promise<void> {
  if (id === null || id === undefined) return;
  assertId(field, id);
  const where: Record<string, unknown> = { id };
  if (opts.softDelete) where.deletedAt = null;
  if (!(await em.count(entity, where as never))) throw notFound(label, field);
}

// ---------------------------------------------------------------- lists

export interface ListInput extends ListArgs {
  search?: string | null;
  includeDeleted?: boolean | null;
}

export interface ListSpec {
  entity: EntityClass;
  /** Columns `search` looks in (case-insensitive substring). */
  searchColumns: string[];
  softDelete?: boolean;
  /** Filter keys that select by a related record: key -> foreign key column and related entity. */
  relations?: Record<string, { column: string; entity: EntityClass; softDelete?: boolean }>;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Applies a filter tree whose keys are columns, relation filters, `and` and `or`. */
function applyTree(db: RequestDb, qb: Knex.QueryBuilder, filter: FilterInput, spec: ListSpec, columnOf: Record<string, string>): void {
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null) continue;
    if (key === 'and') {
      for (const f of value as FilterInput[]) qb.where((b) => applyTree(db, b, f, spec, columnOf));
    } else if (key === 'or') {
      const list = value as FilterInput[];
      if (list.length) qb.where((b) => list.forEach((f) => b.orWhere((bb) => applyTree(db, bb, f, spec, columnOf))));
    } else if (spec.relations?.[key]) {
      const rel = spec.relations[key];
      const sub = scopedSelect(db, sqlBuilder, rel.entity).clearSelect().select('id');
      if (rel.softDelete) sub.whereNull('deleted_at');
      applyFilter(sub, value as FilterInput, columnsOf(db, rel.entity));
      qb.whereIn(rel.column, sub);
    } else {
      applyFilter(qb, { [key]: value }, columnOf);
    }
  }
}

/** The where-clause of a list (also used by exports): soft delete, own scope, search, filters. */
export function listWhere(ctx: RequestContext, spec: ListSpec, input: ListInput, a: Access | null, db: RequestDb = ctx.db): (qb: Knex.QueryBuilder) => void {
  const columnOf = columnsOf(db, spec.entity);
  const search = input.search?.trim();
  if (search && search.length > 200) throw badInput('search', 'search must be at most 200 characters');
  return (qb) => {
    if (spec.softDelete && !input.includeDeleted) qb.whereNull('deleted_at');
    if (a?.scope === 'own') ownWhere(sqlBuilder, a)(qb);
    if (search) {
      const pattern = `%${likeEscape(search)}%`;
      qb.where((b) => spec.searchColumns.forEach((c) => b.orWhereILike(c, pattern)));
    }
    if (input.filter) applyTree(db, qb, input.filter, spec, columnOf);
  };
}

export async function listRecords<T = Row>(ctx: RequestContext, spec: ListSpec, input: ListInput, a: Access | null) {
  const where = listWhere(ctx, spec, input, a);
  return buildConnection<T>(ctx.db, spec.entity, {
    orderBy: input.orderBy ?? [{ field: 'createdAt', direction: 'DESC' }],
    first: input.first,
    after: input.after,
    select: input.select,
    where,
  });
}

/** A record by id for reading: tenant, soft delete (hidden unless asked) and own scope apply. */
export async function readRecord<T extends Row>(ctx: RequestContext, entity: EntityClass, label: string, id: string, permission: string | null, opts: { softDelete?: boolean; includeDeleted?: boolean } = {}): Promise<T> {
  requireTenant(ctx);
  const row = await ctx.loaders.byId<T>(entity, assertId('id', id));
  if (!row) throw notFound(label, 'id');
  if (opts.softDelete && !opts.includeDeleted && row.deletedAt) throw notFound(label, 'id');
  if (permission && !(await isVisible(ctx, permission, row as never))) throw notFound(label, 'id');
  return row;
}

/** A DataLoader kept for the life of one request (or job) context. */
const perContext = new WeakMap<RequestContext, Map<string, DataLoader<string, unknown>>>();
export function contextLoader<V>(ctx: RequestContext, key: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
  let map = perContext.get(ctx);
  if (!map) perContext.set(ctx, (map = new Map()));
  let loader = map.get(key);
  if (!loader) map.set(key, (loader = new DataLoader(batch as (keys: readonly string[]) => Promise<unknown[]>, { maxBatchSize: 1000 })));
  return loader as DataLoader<string, V>;
}

export const today = () => new Date().toISOString().slice(0, 10);

/**
 * How each input field is checked: `name` required text; `text`, `email`, `phone`, `rating`,
 * `optMoney`, `ref` may be null (cleared); `percent`, `money`, `currency`, `value` may not.
 */
export type FieldKind = 'name' | 'text' | 'email' | 'phone' | 'rating' | 'percent' | 'money' | 'optMoney' | 'currency' | 'ref' | 'value' | 'optValue';

/** Validates the fields present in `input` (all `name` fields when creating) into an entity patch. */
export function normalize<T>(input: object, spec: Record<string, FieldKind>, creating: boolean): Partial<T> {
  const out: Record<string, unknown> = {};
  const src = input as Record<string, unknown>;
  for (const [field, kind] of Object.entries(spec)) {
    const v = src[field];
    if (v === undefined && !(creating && kind === 'name')) continue;
    const nullable = ['text', 'email', 'phone', 'rating', 'optMoney', 'ref', 'optValue'].includes(kind);
    if (v === null && !nullable) throw badInput(field, `${field} cannot be null`);
    switch (kind) {
      case 'name': out[field] = text(field, v as string, { required: true, max: 200 }); break;
      case 'text': out[field] = text(field, v as string | null, { max: 5000 }); break;
      case 'email': out[field] = email(field, v as string | null); break;
      case 'phone': out[field] = phone(field, v as string | null); break;
      case 'rating': out[field] = rating(field, v as number | null); break;
      case 'percent': out[field] = percent(field, v as number); break;
      case 'money': out[field] = money(field, v as string); break;
      case 'optMoney': out[field] = v === null ? null : money(field, v as string, { allowZero: true }); break;
      case 'currency': out[field] = currency(field, v as string); break;
      case 'ref': out[field] = v === null ? null : assertId(field, v as string); break;
      default: out[field] = v;
    }
  }
  return out as Partial<T>;
}
