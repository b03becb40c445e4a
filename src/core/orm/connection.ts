/**
 * One connection builder for every list: typed filters (with and/or), whitelisted ordering with
 * the id as tie-breaker, keyset cursors, `first` capped, and a totalCount computed only when asked.
 */
import type { Knex } from '@mikro-orm/postgresql';
import { badInput } from '../errors';
import { sqlBuilder, type RequestDb } from './request-db';
import { columnsOf, scopedSelect, selectForPage, selectsProperty, shapeOf } from './rows';

type EntityClass = abstract new (...args: never[]) => object;
type Row = Record<string, unknown>;

export interface OrderSpec {
  field: string;
  direction: 'ASC' | 'DESC';
}

export type FilterInput = { and?: FilterInput[]; or?: FilterInput[] } & Record<string, unknown>;

/** What a list field's arguments come down to in a service. */
export interface ListArgs {
  filter?: FilterInput | null;
  orderBy?: OrderSpec[] | null;
  first?: number | null;
  after?: string | null;
  /** The properties the client's selection needs (see ConnectionRequest.select). */
  select?: Iterable<string>;
}

export interface ConnectionRequest {
  filter?: FilterInput | null;
  orderBy?: OrderSpec[] | null;
  first?: number | null;
  after?: string | null;
  /**
   * The properties the client's selection needs (schema/selection: @SelectedNodes): the page then
   * reads only those columns, with the ordering's, when all of them are columns.
   */
  select?: Iterable<string>;
  /** Extra conditions (search, own scope, parent) the domain adds. */
  where?: (qb: Knex.QueryBuilder) => void;
  defaultPageSize?: number;
  maxPageSize?: number;
}

/** Rows a list page loads with it: the loader's entity and lookup, and the fields selected on them. */
export interface NodeLoad {
  entity: EntityClass;
  kind: 'id' | 'many';
  /** `id`: the page row's property holding the id; `many`: the loaded rows' property holding the page row's id. */
  property: string;
  select: ReadonlySet<string>;
}

/**
 * The properties a connection's page must read for the fields selected on its nodes, and the rows
 * those fields' resolvers declared they load (schema/selection: @Loads), which the page reads in
 * its own round trip and primes the request's loaders with.
 */
export class NodeSelection extends Set<string> {
  readonly loads: NodeLoad[] = [];
  /** Whether the client selected a cursor (an edge's, or pageInfo's start or end): only then does the page read its ordering columns. */
  cursors = true;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function applyOperators(qb: Knex.QueryBuilder, column: string, ops: Record<string, unknown>): void {
  for (const [op, value] of Object.entries(ops)) {
    if (value === undefined || value === null) continue;
    switch (op) {
      case 'eq': qb.where(column, value as Knex.Value); break;
      case 'ne': qb.whereNot(column, value as Knex.Value); break;
      // One array parameter whatever the list's length: the statement's text (and its prepared plan) stays the same.
      case 'in': qb.whereRaw('?? = any(?)', [column, value as string[]]); break;
      case 'notIn': qb.whereRaw('not (?? = any(?))', [column, value as string[]]); break;
      case 'lt': qb.where(column, '<', value as Knex.Value); break;
      case 'lte': qb.where(column, '<=', value as Knex.Value); break;
      case 'gt': qb.where(column, '>', value as Knex.Value); break;
      case 'gte': qb.where(column, '>=', value as Knex.Value); break;
      case 'contains': qb.whereILike(column, `%${likeEscape(String(value))}%`); break;
      case 'startsWith': qb.whereILike(column, `${likeEscape(String(value))}%`); break;
      case 'isNull': if (value) qb.whereNull(column); else qb.whereNotNull(column); break;
      default: throw new Error(`Unknown filter operator ${op}`);
    }
  }
}

export function applyFilter(qb: Knex.QueryBuilder, filter: FilterInput, columnOf: Record<string, string>, prefix = ''): void {
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null) continue;
    if (key === 'and') {
      for (const f of value as FilterInput[]) qb.where((b) => applyFilter(b, f, columnOf, prefix));
    } else if (key === 'or') {
      const list = value as FilterInput[];
      if (list.length) qb.where((b) => list.forEach((f) => b.orWhere((bb) => applyFilter(bb, f, columnOf, prefix))));
    } else {
      const column = columnOf[key];
      if (!column) throw new Error(`Filter field ${key} has no column`);
      applyOperators(qb, `${prefix}${column}`, value as Record<string, unknown>);
    }
  }
}

/** A keyset cursor: the ordering values of a row (lists that page by hand use the same form). */
export const encodeCursor = (values: unknown[]) =>
  Buffer.from(JSON.stringify(values.map((v) => (v instanceof Date ? v.toISOString() : v)))).toString('base64url');

export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length) return values;
  } catch {
    /* fall through */
  }
  throw badInput('after', 'Invalid cursor');
}

/** (a, b, id) strictly after the cursor, for any mix of directions. */
function applyKeyset(qb: Knex.QueryBuilder, columns: string[], directions: ('ASC' | 'DESC')[], values: unknown[]): void {
  qb.where((outer) => {
    columns.forEach((_, i) => {
      outer.orWhere((inner) => {
        for (let j = 0; j < i; j++) inner.where(columns[j], values[j] as Knex.Value);
        inner.where(columns[i], directions[i] === 'ASC' ? '>' : '<', values[i] as Knex.Value);
      });
    });
  });
}

/** `first` of a list request, defaulted and checked against the page size limit. */
export function pageSize(req: Pick<ConnectionRequest, 'first' | 'defaultPageSize' | 'maxPageSize'>): number {
  const max = req.maxPageSize ?? 100;
  const first = req.first ?? req.defaultPageSize ?? 20;
  if (first < 1 || first > max) throw badInput('first', `first must be between 1 and ${max}`);
  return first;
}

/**
 * An edge whose cursor is encoded only when a client selects it (most lists ask for
 * pageInfo.endCursor alone). A class, not an object literal with a getter: V8 gives each such
 * literal a map of its own, kept in old space until a full GC, and the getter's closure would
 * keep the whole page alive (and promoted) until then.
 */
class Edge<T> {
  constructor(
    readonly node: T,
    private readonly cursorOf: (node: T) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

/** Page info whose cursors, like edges', are encoded only when selected. */
class PageInfo<T> {
  constructor(
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    private readonly nodes: T[],
    private readonly cursorOf: (node: T) => string,
  ) {}

  get startCursor(): string | null {
    return this.nodes.length ? this.cursorOf(this.nodes[0]) : null;
  }

  get endCursor(): string | null {
    return this.nodes.length ? this.cursorOf(this.nodes[this.nodes.length - 1]) : null;
  }
}

/**
 * A connection from a page read with one row more than `first` (that row only says there is a
 * next page). `count` runs once, when totalCount is asked for.
 */
export function connectionOf<T>(rows: T[], page: { first: number; after?: string | null; cursorOf: (node: T) => string; count: () => Promise<number> }) {
  const { first, cursorOf } = page;
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => new Edge(node, cursorOf));
  let count: Promise<number> | undefined;
  return {
    edges,
    pageInfo: new PageInfo(rows.length > first, Boolean(page.after), nodes, cursorOf),
    count: () => (count ??= page.count()),
  };
}

/** The loads a page can run with it: those whose key its select list has (every column when it is not narrowed). */
function loadsWithPage(select: Iterable<string> | undefined, columns: string[] | undefined): NodeLoad[] {
  if (!(select instanceof NodeSelection)) return [];
  return select.loads.filter((load) => selectsProperty(columns, load.kind === 'id' ? load.property : 'id'));
}

export async function buildConnection<T = Row>(db: RequestDb, entity: EntityClass, req: ConnectionRequest) {
  const shape = shapeOf(db, entity);
  const columnOf = shape.columnOf;
  const first = pageSize(req);

  const order = [...(req.orderBy ?? [{ field: 'createdAt', direction: 'DESC' as const }])];
  if (!order.some((o) => o.field === 'id')) order.push({ field: 'id', direction: order.at(-1)?.direction ?? 'ASC' });
  const orderProps = order.map((o) => o.field);

  // PostgreSQL orders by the ordering columns either way; the rows carry them only for cursors.
  const cursors = !(req.select instanceof NodeSelection) || req.select.cursors;
  const columns = (req.select && shape.narrow(req.select, cursors ? orderProps : [])) ?? undefined;
  const base = scopedSelect(db, sqlBuilder, entity, undefined, columns);
  if (req.where) base.where((qb: Knex.QueryBuilder) => req.where!(qb));
  if (req.filter) applyFilter(base, req.filter, columnOf);

  const orderColumns = order.map((o) => {
    const c = columnOf[o.field];
    if (!c) throw badInput('orderBy', `Cannot order by ${o.field}`);
    return c;
  });
  const directions = order.map((o) => o.direction);

  const page = base.clone();
  if (req.after) applyKeyset(page, orderColumns, directions, decodeCursor(req.after, order.length));
  orderColumns.forEach((c, i) => page.orderBy(c, directions[i] === 'ASC' ? 'asc' : 'desc'));
  // The limit is written into the text: a prepared page plan that knows it is reused (with the
  // limit a parameter, PostgreSQL plans every execution again).
  const { sql, bindings } = page.limit(first + 1, { skipBinding: true }).toSQL().toNative();
  const pageRows = db.query<Row>(sql, bindings, { prepared: true, readOnly: true, resultFormats: shape.resultFormats(columns) });
  // What the nodes' selected fields declared they load is read in the page's round trip.
  const primed = loadsWithPage(req.select, columns).map((load) =>
    db.loaders.prime(
      load,
      (loadColumns) =>
        load.kind === 'id'
          ? selectForPage(db, load.entity, 'id', { sql, bindings, property: load.property, shown: first }, { columns: loadColumns })
          : selectForPage(db, load.entity, columnsOf(db, load.entity)[load.property], { sql, bindings, property: 'id', shown: first }, { columns: loadColumns }),
    ),
  );
  // Awaited together, so that when the page fails, the loads failing with it are handled too.
  const [pageResult] = await Promise.all([pageRows, ...primed]);
  // Cursors keep the ordering values as PostgreSQL wrote them: a timestamp hydrated to a Date
  // loses its microseconds, and the next page would skip the rows that share its millisecond.
  const ordering = cursors ? new Map(pageResult.map((row) => [row, orderProps.map((p) => row[p])])) : undefined;
  const rows = shape.hydrate(pageResult, columns);

  const cursorOf = ordering
    ? (node: Row) => encodeCursor(ordering.get(node)!)
    : () => {
        throw new Error('The page was read without its ordering columns: its selection has no cursor');
      };
  const count = () =>
    db.read<{ count: string }>(base.clone().clearSelect().clearOrder().count('* as count')).then((r) => Number(r[0].count));
  return connectionOf(rows as T[], { first, after: req.after, cursorOf: cursorOf as (node: T) => string, count });
}
