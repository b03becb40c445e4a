/**
 * The read path: plain rows (no entity hydration) shaped like the entities, through scoped
 * query builders that always carry the tenant condition (row-level security backs it up).
 * Every list and nested relation in the API goes through here, so read speed is tuned in one place.
 */
import type { EntityMetadata, Knex } from '@mikro-orm/postgresql';
import { ReferenceKind } from '@mikro-orm/core';
import type { RequestDb } from './request-db';
import { TenantEntity } from './base-entities';

type EntityClass = abstract new (...args: never[]) => object;

interface Shape {
  table: string;
  tenant: boolean;
  columns: string[];
  /** property name -> column name, for filters and ordering */
  columnOf: Record<string, string>;
  /** Turns a raw row into the entity's shape (the driver returns timestamps as text). */
  hydrate: (row: Record<string, unknown>) => Record<string, unknown>;
  /**
   * The select list for only these properties (plus the id and every many-to-one key, which
   * relation resolvers need), or null when one is not a column (a computed or relation field,
   * which may need any column: then everything is read).
   */
  narrow: (props: Iterable<string>) => string[] | null;
}

const shapes = new WeakMap<EntityClass, Shape>();

export function shapeOf(db: RequestDb, entity: EntityClass): Shape {
  let shape = shapes.get(entity);
  if (!shape) {
    const meta = db.em.getMetadata().get(entity.name) as EntityMetadata;
    const columnOf: Record<string, string> = {};
    for (const prop of meta.props) {
      if (prop.persist === false || !prop.fieldNames?.length) continue;
      if (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.EMBEDDED || prop.kind === ReferenceKind.MANY_TO_ONE) {
        columnOf[prop.name] = prop.fieldNames[0];
      }
    }
    const hidden = new Set(meta.props.filter((p) => p.hidden).map((p) => p.name));
    const columns = Object.entries(columnOf)
      .filter(([prop]) => !hidden.has(prop))
      .map(([prop, col]) => (prop === col ? col : `${col} as ${prop}`));
    const dateProps = meta.props
      .filter((p) => columnOf[p.name] && (p.runtimeType === 'Date' || /timestamp|datetime/i.test(p.columnTypes?.[0] ?? '')))
      .map((p) => p.name);
    const hydrate = (row: Record<string, unknown>) => {
      for (const p of dateProps) if (typeof row[p] === 'string') row[p] = new Date(row[p] as string);
      return row;
    };
    const keys = meta.props.filter((p) => p.kind === ReferenceKind.MANY_TO_ONE && columnOf[p.name]).map((p) => p.name);
    const selectOf = (prop: string) => (prop === columnOf[prop] ? prop : `${columnOf[prop]} as ${prop}`);
    const narrow = (props: Iterable<string>) => {
      const wanted = new Set(['id', ...keys]);
      for (const prop of props) {
        if (!columnOf[prop] || hidden.has(prop)) return null;
        wanted.add(prop);
      }
      return [...wanted].map(selectOf);
    };
    shape = { table: meta.tableName, tenant: entity.prototype instanceof TenantEntity, columns, columnOf, hydrate, narrow };
    shapes.set(entity, shape);
  }
  return shape;
}

/**
 * A query builder over an entity's table, selecting its visible columns under their property
 * names, tenant-scoped. Synchronous on purpose: a knex builder is thenable, so returning it from
 * an async function would run it. Pass the request's transaction (`await db.trx()`); `columns`
 * (from Shape.narrow) reads fewer than all.
 */
export function scopedSelect(db: RequestDb, trx: Knex.Transaction, entity: EntityClass, alias?: string, columns?: string[]): Knex.QueryBuilder {
  const shape = shapeOf(db, entity);
  const table = alias ? `${shape.table} as ${alias}` : shape.table;
  const prefix = alias ? `${alias}.` : '';
  const qb = trx(table).select((columns ?? shape.columns).map((c) => `${prefix}${c}`));
  if (shape.tenant) {
    if (!db.organizationId) throw new Error(`Tenant context missing: refusing to read ${entity.name}`);
    qb.where(`${prefix}organization_id`, db.organizationId);
  }
  return qb;
}

/** Columns of an entity by property name (for filters and ordering whitelists). */
export const columnsOf = (db: RequestDb, entity: EntityClass) => shapeOf(db, entity).columnOf;
