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
type Row = Record<string, unknown>;

interface Shape {
  table: string;
  tenant: boolean;
  columns: string[];
  /** property name -> column name, for filters and ordering */
  columnOf: Record<string, string>;
  /**
   * Turns raw rows read with `columns` (a narrowed select list; every column when absent) into the
   * entity's shape: the driver returns timestamps as text. In place; nothing to do without one.
   */
  hydrate: (rows: Row[], columns?: string[]) => Row[];
  /**
   * The select list for only these properties (plus `also` and the id), or null when one is not a
   * column (a relation or computed field, whose resolver may need any column: then everything is
   * read). A field resolver named after a column reads that column only (Employee.salary). The
   * same array for the same `props` object: do not change it.
   */
  narrow: (props: Iterable<string>, also?: string[]) => string[] | null;
  /**
   * The result format of each column of a select list (every column when absent): binary (1)
   * for uuids and dates, which then travel as 16 bytes rather than 36 characters and 4 rather
   * than 10 (PostgreSQL copies them out rather than writing them), text (0) for the rest.
   * node-postgres' parser (patched, see patches/) reads them as the same text.
   */
  resultFormats: (columns?: string[]) => readonly number[];
}

const shapes = new WeakMap<EntityClass, Shape>();

/** Column types read in binary (see Shape.resultFormats): the patched parser knows these two. */
const BINARY_TYPES = new Set<string | undefined>(['uuid', 'date']);

/** Whether a select list (as Shape.narrow makes it; every column when absent) reads this property. */
export const selectsProperty = (columns: string[] | undefined, prop: string) => !columns || columns.some((c) => c === prop || c.endsWith(` as ${prop}`));

export function shapeOf(db: RequestDb, entity: EntityClass): Shape {
  let shape = shapes.get(entity);
  if (!shape) {
    const meta = db.metadata.get(entity.name) as EntityMetadata;
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
    const binaryProps = new Set(meta.props.filter((p) => columnOf[p.name] && BINARY_TYPES.has(p.columnTypes?.[0])).map((p) => p.name));
    // What a select list reads: its timestamps (to hydrate) and each column's result format.
    const describe = (list: string[]) => ({
      dates: dateProps.filter((p) => selectsProperty(list, p)),
      formats: list.map((c) => (binaryProps.has(c.split(' as ')[1] ?? c) ? 1 : 0)),
    });
    const everyColumn = describe(columns);
    // Select lists are the same arrays request after request (narrow keeps them): each is described once.
    const described = new WeakMap<string[], ReturnType<typeof describe>>();
    const descriptionOf = (list?: string[]) => {
      if (!list) return everyColumn;
      let found = described.get(list);
      if (!found) described.set(list, (found = describe(list)));
      return found;
    };
    const hydrate = (rows: Row[], list?: string[]) => {
      const { dates } = descriptionOf(list);
      if (dates.length) for (const row of rows) for (const p of dates) if (typeof row[p] === 'string') row[p] = new Date(row[p] as string);
      return rows;
    };
    const resultFormats = (list?: string[]) => descriptionOf(list).formats;
    const selectOf = (prop: string) => (prop === columnOf[prop] ? prop : `${columnOf[prop]} as ${prop}`);
    // Per selection (a field node's set, the same for every request of an operation) and `also`.
    const narrowed = new WeakMap<object, Map<string, string[] | null>>();
    const narrow = (props: Iterable<string>, also: string[] = []) => {
      let byAlso = narrowed.get(props);
      if (!byAlso) narrowed.set(props, (byAlso = new Map()));
      const key = also.join(',');
      let list = byAlso.get(key);
      if (list === undefined) {
        const wanted = new Set(['id', ...also]);
        for (const prop of props) {
          if (!columnOf[prop] || hidden.has(prop)) {
            byAlso.set(key, (list = null));
            return list;
          }
          wanted.add(prop);
        }
        byAlso.set(key, (list = [...wanted].map(selectOf)));
      }
      return list;
    };
    shape = { table: meta.tableName, tenant: entity.prototype instanceof TenantEntity, columns, columnOf, hydrate, narrow, resultFormats };
    shapes.set(entity, shape);
  }
  return shape;
}

/** The organization a read of `entity` is scoped to: null for a platform table, an error without a tenant. */
function readScope(db: RequestDb, shape: Shape, entity: EntityClass): string | null {
  if (!shape.tenant) return null;
  if (!db.organizationId) throw new Error(`Tenant context missing: refusing to read ${entity.name}`);
  return db.organizationId;
}

/**
 * A query builder over an entity's table, selecting its visible columns under their property
 * names, tenant-scoped. Synchronous on purpose: a knex builder is thenable, so returning it from
 * an async function would run it. Build on `sqlBuilder` and run it with `db.read`, or on the
 * request's transaction (`await db.trx()`). `columns`: a narrowed select list (Shape.narrow).
 */
export function scopedSelect(db: RequestDb, trx: Knex, entity: EntityClass, alias?: string, columns?: string[]): Knex.QueryBuilder {
  const shape = shapeOf(db, entity);
  const table = alias ? `${shape.table} as ${alias}` : shape.table;
  const prefix = alias ? `${alias}.` : '';
  const qb = trx(table).select((columns ?? shape.columns).map((c) => `${prefix}${c}`));
  const organizationId = readScope(db, shape, entity);
  if (organizationId) qb.where(`${prefix}organization_id`, organizationId);
  return qb;
}

/** Columns of an entity by property name (for filters and ordering whitelists). */
export const columnsOf = (db: RequestDb, entity: EntityClass) => shapeOf(db, entity).columnOf;

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const statements = new Map<string, string>();

/** `select <columns> from <table>`, each column quoted and under its property name. */
function selectFrom(shape: Shape, columns: string[]): string {
  const list = columns.map((c) => {
    const [col, prop] = c.split(' as ');
    return prop ? `${quote(col)} as ${quote(prop)}` : quote(col);
  });
  return `select ${list.join(', ')} from ${quote(shape.table)}`;
}

/**
 * The rows of `entity` whose `column` is one of `values`, tenant-scoped, as a prepared statement
 * of the request's connection: one text per (entity, columns, key) whatever the number of values
 * (`= any($n)`), so PostgreSQL parses and plans it once per connection and the query is not
 * rebuilt per batch. For loaders.
 */
export function selectByKeys(
  db: RequestDb,
  entity: EntityClass,
  column: string,
  values: readonly unknown[],
  opts: { columns?: string[] } = {},
): Promise<Row[]> {
  const shape = shapeOf(db, entity);
  const organizationId = readScope(db, shape, entity);
  const columns = opts.columns ?? shape.columns;
  const key = `${shape.table}|${column}|${columns.join(',')}`;
  let text = statements.get(key);
  if (!text) {
    const where = organizationId ? `"organization_id" = $1 and ${quote(column)} = any($2)` : `${quote(column)} = any($1)`;
    text = `${selectFrom(shape, columns)} where ${where}`;
    statements.set(key, text);
  }
  return db.query(text, organizationId ? [organizationId, values] : [values], { prepared: true, readOnly: true, resultFormats: shape.resultFormats(opts.columns) });
}

/**
 * The rows of `entity` whose `column` is one of the values of `page.property` in the first
 * `page.shown` rows of a page query, tenant-scoped, in one statement that runs the page as its
 * subquery: it needs no round trip after the page's, so it can go in the same one. For a list page
 * to load what its nodes' fields will ask the loaders for (see Loaders.prime).
 */
export function selectForPage(
  db: RequestDb,
  entity: EntityClass,
  column: string,
  page: { sql: string; bindings: readonly unknown[]; property: string; shown: number },
  opts: { columns?: string[] } = {},
): Promise<Row[]> {
  const shape = shapeOf(db, entity);
  const organizationId = readScope(db, shape, entity);
  // Only the rows the page shows (it reads one more, to tell whether there is a next page).
  const keys = `${quote(column)} = any(array(select page.${quote(page.property)} from (${page.sql}) as page limit ${page.shown}))`;
  const where = organizationId ? `"organization_id" = $${page.bindings.length + 1} and ${keys}` : keys;
  const text = `${selectFrom(shape, opts.columns ?? shape.columns)} where ${where}`;
  return db.query(text, organizationId ? [...page.bindings, organizationId] : page.bindings, {
    prepared: true,
    readOnly: true,
    resultFormats: shape.resultFormats(opts.columns),
  });
}
