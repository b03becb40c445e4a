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

export class Loaders {
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();
  private readonly narrowed = new WeakMap<object, Map<EntityClass, string[] | null>>();

  constructor(private readonly db: RequestDb) {}

  /** The row of `entity` with this id, or null (also for another tenant's id, or a malformed one). */
  byId<T = Row>(entity: EntityClass, id: string, select?: Iterable<string>): Promise<T | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    const columns = this.columns(entity, select);
    return this.loader(`${entity.name}#id#${columns?.join(',') ?? '*'}`, async (ids) => {
      const { hydrate } = shapeOf(this.db, entity);
      const rows = (await this.db.read((trx) => selectByKeys(this.db, trx, entity, 'id', ids, { columns }))).map(hydrate);
      const byId = new Map(rows.map((r) => [r.id as string, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }).load(id) as Promise<T | null>;
  }

  /** Every row of `entity` whose `property` equals `value` (one-to-many), in creation order. */
  manyBy<T = Row>(entity: EntityClass, property: string, value: string, select?: Iterable<string>): Promise<T[]> {
    const column = columnsOf(this.db, entity)[property];
    if (!column) throw new Error(`${entity.name}.${property} is not a column`);
    let columns = this.columns(entity, select);
    if (columns && !columns.includes(property) && !columns.some((c) => c.endsWith(` as ${property}`))) {
      columns = [...columns, property === column ? column : `${column} as ${property}`];
    }
    return this.loader(`${entity.name}#${property}#${columns?.join(',') ?? '*'}`, async (values) => {
      const { hydrate } = shapeOf(this.db, entity);
      const rows = (await this.db.read((trx) => selectByKeys(this.db, trx, entity, column, values, { columns, orderById: true }))).map(hydrate);
      const groups = new Map<string, Row[]>();
      for (const r of rows) {
        const key = r[property] as string;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)!.push(r);
      }
      return values.map((v) => groups.get(v) ?? []);
    }).load(value) as Promise<T[]>;
  }

  /** The narrowed select list, or undefined for every column; computed once per selection and entity. */
  private columns(entity: EntityClass, select: Iterable<string> | undefined): string[] | undefined {
    if (!select) return undefined;
    let byEntity = this.narrowed.get(select);
    if (!byEntity) this.narrowed.set(select, (byEntity = new Map()));
    if (!byEntity.has(entity)) byEntity.set(entity, shapeOf(this.db, entity).narrow(select));
    return byEntity.get(entity) ?? undefined;
  }

  private loader(key: string, batch: (keys: readonly string[]) => Promise<unknown[]>): DataLoader<string, unknown> {
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new DataLoader(batch, { maxBatchSize: 1000 });
      this.loaders.set(key, loader);
    }
    return loader;
  }
}
