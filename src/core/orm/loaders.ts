/**
 * Per-request DataLoaders over plain rows: `byId` and `manyBy` batch every lookup made while one
 * level of a query resolves into a single SQL statement, whatever the number of parent rows.
 * Given the fields the client selected (`select`), they read only those columns when all of
 * them are columns (see Shape.narrow): a nested list of hundreds of rows then costs little more
 * than the data it returns.
 */
import DataLoader from 'dataloader';
import { isUuid } from '../ids';
import type { RequestDb } from './request-db';
import { columnsOf, selectByKeys, shapeOf } from './rows';

type EntityClass = abstract new (...args: never[]) => object;
type Row = Record<string, unknown>;
/** A loader, and the values a list page primed it with (see prime), handed out as they are. */
interface Loader {
  batches: DataLoader<string, unknown>;
  primed?: Map<string, unknown>;
}

interface Narrowed {
  columns?: string[];
  /** The loader of this entity, lookup and selection. */
  loaderKey: string;
  /** That loader, once this selection has used it. */
  loader?: Loader;
}

const byId = (a: Row, b: Row) => ((a.id as string) < (b.id as string) ? -1 : 1);

/**
 * Rows by the value of `property`, each group in id order (creation order: ids are UUIDv7, and
 * PostgreSQL orders uuids as their lowercase text). Sorted here rather than by an `order by` in
 * the statement: a sort of every row read would be PostgreSQL's, the part that does not scale
 * out, and rows mostly come in heap order, which is already the ids' (one pass finds a group sorted).
 */
function groupBy(rows: Row[], property: string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = r[property] as string;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  for (const group of groups.values()) {
    for (let i = 1; i < group.length; i++) {
      if ((group[i - 1].id as string) > (group[i].id as string)) {
        group.sort(byId);
        break;
      }
    }
  }
  return groups;
}

/** A loader's answer: the value itself when the loader was primed with it (no promise to wait for), else a promise. */
export type Loaded<T> = T | Promise<T>;

export class Loaders {
  private readonly loaders = new Map<string, Loader>();
  /** Per selection (a field node's set) and entity, then per lookup (id or grouping property). */
  private readonly narrowed = new WeakMap<object, Map<EntityClass, Map<string, Narrowed>>>();
  private readonly everyColumn = new Map<EntityClass, Map<string, Narrowed>>();

  constructor(private readonly db: RequestDb) {}

  /** The row of `entity` with this id, or null (also for another tenant's id, or a malformed one). */
  byId<T = Row>(entity: EntityClass, id: string, select?: Iterable<string>): Loaded<T | null> {
    return this.load(this.loaderFor(entity, this.selection(entity, select, 'id'), 'id'), id) as Loaded<T | null>;
  }

  /** Every row of `entity` whose `property` equals `value` (one-to-many), in creation order. */
  manyBy<T = Row>(entity: EntityClass, property: string, value: string, select?: Iterable<string>): Loaded<T[]> {
    return this.load(this.loaderFor(entity, this.selection(entity, select, property), property), value) as Loaded<T[]>;
  }

  /** A primed value as it is (a list's rows resolve without a promise each), else the loader's promise. */
  private load(loader: Loader, key: string): Loaded<unknown> {
    const primed = loader.primed?.get(key);
    return primed !== undefined ? primed : loader.batches.load(key);
  }

  /**
   * Rows read for the loader byId (or manyBy on `load.property`) would use with this selection:
   * the loader answers from them, as they are, without a batch of its own. `read(columns)` reads
   * them with that loader's select list (called at once, so that it goes in the current round
   * trip). byId: each row under its id; manyBy: each value with the rows that have it. A key
   * without rows is left to the loader, which reads it if it is asked for: a list page reads its
   * relations by running the page again as a subquery (selectForPage), and at READ COMMITTED that
   * statement sees the rows committed since the page's: a row of the page may be missing from the
   * page it ran. Such a row, and a row with no related rows, cost one batch more.
   */
  async prime(load: { entity: EntityClass; kind: 'id' | 'many'; property: string; select?: Iterable<string> }, read: (columns: string[] | undefined) => Promise<Row[]>): Promise<void> {
    const lookup = load.kind === 'id' ? 'id' : load.property;
    const narrowed = this.selection(load.entity, load.select, lookup);
    const rows = shapeOf(this.db, load.entity).hydrate(await read(narrowed.columns), narrowed.columns);
    const primed = (this.loaderFor(load.entity, narrowed, lookup).primed ??= new Map());
    if (load.kind === 'id') for (const row of rows) primed.set(row.id as string, row);
    else for (const [key, group] of groupBy(rows, lookup)) primed.set(key, group);
  }

  private async rowsById(entity: EntityClass, columns: string[] | undefined, ids: readonly string[]): Promise<(Row | null)[]> {
    // Checked here, once per distinct id of the request, rather than on every load.
    const wellFormed = ids.filter(isUuid);
    const rows = wellFormed.length ? shapeOf(this.db, entity).hydrate(await selectByKeys(this.db, entity, 'id', wellFormed, { columns }), columns) : [];
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async rowsGroupedBy(entity: EntityClass, property: string, columns: string[] | undefined, values: readonly string[]): Promise<Row[][]> {
    const column = columnsOf(this.db, entity)[property];
    const rows = shapeOf(this.db, entity).hydrate(await selectByKeys(this.db, entity, column, values, { columns }), columns);
    const groups = groupBy(rows, property);
    return values.map((v) => groups.get(v) ?? []);
  }

  /**
   * The narrowed select list (undefined: every column) and the loader's key, computed once per
   * selection, entity and lookup: every row of a list asks with the same selection.
   */
  private selection(entity: EntityClass, select: Iterable<string> | undefined, lookup: string): Narrowed {
    let byEntity = select ? this.narrowed.get(select) : undefined;
    if (select && !byEntity) this.narrowed.set(select, (byEntity = new Map()));
    let byLookup = (byEntity ?? this.everyColumn).get(entity);
    if (!byLookup) (byEntity ?? this.everyColumn).set(entity, (byLookup = new Map()));
    let narrowed = byLookup.get(lookup);
    if (!narrowed) {
      if (lookup !== 'id' && !columnsOf(this.db, entity)[lookup]) throw new Error(`${entity.name}.${lookup} is not a column`);
      const columns = select ? (shapeOf(this.db, entity).narrow(select, lookup === 'id' ? [] : [lookup]) ?? undefined) : undefined;
      narrowed = { columns, loaderKey: `${entity.name}#${lookup}#${columns ? columns.join(',') : '*'}` };
      byLookup.set(lookup, narrowed);
    }
    return narrowed;
  }

  /** The selection's loader (by id, or grouped by `lookup`): the request's loader under its key, made the first time. */
  private loaderFor(entity: EntityClass, narrowed: Narrowed, lookup: string): Loader {
    if (narrowed.loader) return narrowed.loader;
    let loader = this.loaders.get(narrowed.loaderKey);
    if (!loader) {
      const { columns } = narrowed;
      const batch = lookup === 'id' ? (ids: readonly string[]) => this.rowsById(entity, columns, ids) : (values: readonly string[]) => this.rowsGroupedBy(entity, lookup, columns, values);
      loader = { batches: new DataLoader<string, unknown>(batch, { maxBatchSize: 1000 }) };
      this.loaders.set(narrowed.loaderKey, loader);
    }
    return (narrowed.loader = loader);
  }
}
