/**
 * The database as one request (or job) sees it: one connection and one transaction, opened by the
 * request's first statement, whose `app.*` settings (transaction-local) drive row-level security.
 * BEGIN, that opening statement and the first statements the request queues travel in one round
 * trip; a request may even run on an assumed caller until that round trip confirms it (assume).
 * Reads run on the connection as they come; the first write, or the first use of the
 * EntityManager, binds a knex transaction (and the EntityManager) to the same transaction. Each
 * mutation runs in a nested transaction (a savepoint), so a failed mutation leaves nothing
 * half-written while the security events recorded beside it still commit. A transaction that only
 * read is committed by the next request's first round trip when one comes within a few
 * milliseconds (see commitWithNextRequest).
 */
import { createHash } from 'node:crypto';
import { knex, PostgreSqlKnexDialect, type EntityManager, type Knex, type MetadataStorage, type MikroORM } from '@mikro-orm/postgresql';
import { LRUCache } from 'lru-cache';
import { TENANT_FILTER } from './base-entities';
import { Loaders } from './loaders';
import { prepareValue, sendPipelined, type PipelineClient, type PipelinedStatement, type Submittable } from './pipeline';

export interface DbScope {
  organizationId?: string | null;
  userId?: string | null;
  /** Platform operator: may read platform-level audit rows. */
  platform?: boolean;
}

type Row = Record<string, unknown>;

/** The node-postgres client a request holds. */
interface PgConnection extends PipelineClient {
  query(q: string | { text: string; values: readonly unknown[]; name?: string }): Promise<{ rows: Row[] } | { rows: Row[] }[]>;
  query(submittable: Submittable): unknown;
  escapeLiteral(value: string): string;
}

/** The request's first statement, given the scope settings (tenant, user, platform). */
export type FirstStatement = (settings: string[]) => { sql: string; params: readonly (string | null)[] };

const SCOPE_SQL = "select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true), set_config('app.platform', $3, true)";
const applyScope: FirstStatement = (settings) => ({ sql: SCOPE_SQL, params: settings });
/** The same statement with knex's placeholders, for the EntityManager (asTenant). */
const SCOPE_SQL_KNEX = SCOPE_SQL.replace(/\$\d/g, '?');

/**
 * `sql` with its $n parameters written in as literals, for the simple query protocol (BEGIN and
 * the first statement in one round trip). Values go through node-postgres' conversion and
 * escaping; `sql` holds no `$n` other than its parameters.
 */
function withLiterals(connection: PgConnection, sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = prepareValue(params[Number(n) - 1]);
    if (value === null) return 'null';
    if (typeof value !== 'string') throw new Error('Binary parameters cannot be sent as literals');
    return connection.escapeLiteral(value);
  });
}

/**
 * How long a connection whose request only read keeps its transaction open, waiting for the next
 * request to end it in the round trip that opens its own (`commit; begin; …`): that COMMIT changes
 * nothing, but alone it would cost a round trip per request. Only RequestDb.open takes such a
 * connection; after this delay it is committed and goes back to the pool, so nothing else ever
 * finds it in a transaction, and a schema change waits at most this long for its locks.
 */
const READ_ONLY_COMMIT_DELAY_MS = 5;

/** knex statement kinds that only read. */
const READ_METHODS = new Set(['select', 'first', 'pluck']);

interface AwaitingCommit {
  connection: PgConnection;
  timer: NodeJS.Timeout;
}

/** Per knex client (one per ORM): connections whose read-only transaction awaits its COMMIT, oldest first. */
const awaitingCommit = new WeakMap<Knex.Client, AwaitingCommit[]>();

/** Keeps the connection for the next request (see READ_ONLY_COMMIT_DELAY_MS), else commits it and releases it. */
function commitWithNextRequest(client: Knex.Client, connection: PgConnection): void {
  let list = awaitingCommit.get(client);
  if (!list) awaitingCommit.set(client, (list = []));
  const entry: AwaitingCommit = {
    connection,
    timer: setTimeout(() => {
      list.splice(list.indexOf(entry), 1);
      connection
        .query('commit')
        .catch(() => connection.query('rollback').catch(() => undefined))
        .finally(() => client.releaseConnection(connection));
    }, READ_ONLY_COMMIT_DELAY_MS),
  };
  list.push(entry);
}

/**
 * A connection whose read-only transaction is still to be committed, taken by a request that
 * opens: the one that has waited longest, so that under load each waits about as long as the
 * others and few reach the delay. On the deal-list benchmark, taking the newest instead left
 * 16 % of the read-only requests to commit alone, in a round trip of their own; this, 8 %.
 */
function takeAwaitingCommit(client: Knex.Client): PgConnection | undefined {
  const list = awaitingCommit.get(client);
  for (let entry = list?.shift(); entry; entry = list?.shift()) {
    clearTimeout(entry.timer);
    // One that broke while it waited (knex marks it) goes back to the pool, which discards it.
    if (!(entry.connection as { __knex__disposed?: unknown }).__knex__disposed) return entry.connection;
    client.releaseConnection(entry.connection);
  }
  return undefined;
}

/** A statement waiting for the connection. */
type Queued = Omit<PipelinedStatement, 'name'> & { prepared: boolean };

/**
 * What statements of a request get when its opening statement refuted what the request assumed
 * (RequestDb.assume): their rows are withheld.
 */
export class AssumptionRefuted extends Error {
  constructor() {
    super('The database refuted what the request assumed (its caller has changed)');
  }
}

const preparedNames = new LRUCache<string, string>({ max: 5000 });

/**
 * Statements prepared on each connection. A connection keeps every statement prepared on it, and
 * filters can be combined into many shapes: past this many, further texts run unprepared there.
 */
const PREPARED_PER_CONNECTION = 500;
const preparedOn = new WeakMap<PgConnection, Set<string>>();

function preparedNameOn(connection: PgConnection, sql: string): string | undefined {
  const name = preparedName(sql);
  let prepared = preparedOn.get(connection);
  if (!prepared) preparedOn.set(connection, (prepared = new Set()));
  if (prepared.has(name)) return name;
  if (prepared.size >= PREPARED_PER_CONNECTION) return undefined;
  prepared.add(name);
  return name;
}

/** The name a statement text is prepared under on each connection (the same text, the same name). */
function preparedName(sql: string): string {
  let name = preparedNames.get(sql);
  if (!name) preparedNames.set(sql, (name = `tessera_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`));
  return name;
}

/** Builds SQL for the request's connection; it has no connection of its own, so nothing built on it runs outside a request. */
export const sqlBuilder: Knex = knex({ client: PostgreSqlKnexDialect as unknown as typeof Knex.Client });

export class RequestDb {
  private emFork?: EntityManager;
  private opened?: Promise<{ connection: PgConnection; first: Row[] }>;
  /** The statement that opens the request's transaction when its first statements go (see assume). */
  private opening: FirstStatement = applyScope;
  /** What the opening statement's rows must show (see assume), and whether they did not. */
  private assumption?: (rows: Row[]) => boolean;
  private refuted = false;
  private trxOpening?: Promise<Knex.Transaction>;
  private scope: DbScope;
  private afterCommitTasks: (() => Promise<void>)[] = [];
  /** Statements waiting for the connection, and the loop sending them (while there are any). */
  private queued: Queued[] = [];
  private running?: Promise<void>;
  /** A statement not declared read-only has run, or a knex transaction was bound: the request may have written. */
  private mayHaveWritten = false;
  private rowLoaders?: Loaders;

  constructor(private readonly orm: MikroORM, scope: DbScope) {
    this.scope = { ...scope };
  }

  get organizationId(): string | undefined {
    return this.scope.organizationId ?? undefined;
  }

  /** The acting user (RLS `app.user_id`), if any. */
  get userId(): string | undefined {
    return this.scope.userId ?? undefined;
  }

  /** The request's DataLoaders: rows they cache were read in this transaction. */
  get loaders(): Loaders {
    return (this.rowLoaders ??= new Loaders(this));
  }

  /** Entity metadata (table and column names) for the read path, without a unit of work. */
  get metadata(): MetadataStorage {
    return this.orm.getMetadata();
  }

  /**
   * The request's unit of work (a fork carrying the tenant filter). It runs in the request's
   * transaction, so that must be bound first (`await db.trx()`, or `db.transactional`): an
   * EntityManager outside it would run on another connection, without the request's scope.
   */
  get em(): EntityManager {
    if (!this.trxOpening) throw new Error('Open the request transaction (await db.trx()) before using db.em');
    return this.fork();
  }

  private fork(): EntityManager {
    if (!this.emFork) {
      this.emFork = this.orm.em.fork({ clear: true, useContext: false, freshEventManager: false });
      if (this.scope.organizationId) this.emFork.setFilterParams(TENANT_FILTER, { organizationId: this.scope.organizationId });
    }
    return this.emFork;
  }

  private get knex(): Knex {
    return this.orm.em.getKnex();
  }

  /**
   * Takes a connection and opens the request's transaction with `first` as its first statement,
   * and `along` (the request's first statements) after it in the same round trip. `first` must
   * apply the scope settings before it reads anything, and write nothing; applyScope does only
   * that, app_open_request also resolves the caller. A connection whose previous request only read
   * comes with that request's transaction still open: its COMMIT goes first in the same round trip
   * (its own request observed it). If the opening fails, or refutes the request's assumption, the
   * transaction is rolled back, the connection goes back, and every statement of the request fails.
   */
  private open(first: FirstStatement = this.opening, along: Queued[] = []): Promise<{ connection: PgConnection; first: Row[] }> {
    this.opened ??= (async () => {
      const previousToCommit = takeAwaitingCommit(this.knex.client);
      const connection = previousToCommit ?? ((await this.knex.client.acquireConnection()) as PgConnection);
      const { sql, params } = first(this.settings());
      try {
        let rows = along.length ? await this.openAlong(connection, !!previousToCommit, sql, params, along) : undefined;
        rows ??= await this.openAlone(connection, !!previousToCommit, sql, params);
        return { connection, first: rows };
      } catch (err) {
        this.refuted = err instanceof AssumptionRefuted;
        // Idempotent for those the round trip settled already.
        for (const s of along) s.settle(err as Error);
        await connection.query('rollback').catch(() => undefined);
        this.knex.client.releaseConnection(connection);
        throw err;
      }
    })();
    return this.opened;
  }

  /** BEGIN and the opening statement as one simple query (its parameters written in as literals), then the assumption checked. */
  private async openAlone(connection: PgConnection, commitFirst: boolean, sql: string, params: readonly unknown[]): Promise<Row[]> {
    const inline = withLiterals(connection, sql, params);
    this.observe('begin');
    this.observe(sql, params);
    const results = (await connection.query(`${commitFirst ? 'commit; ' : ''}begin; ${inline}`)) as { rows: Row[] }[];
    const rows = results[results.length - 1].rows;
    if (this.assumption && !this.assumption(rows)) throw new AssumptionRefuted();
    return rows;
  }

  /**
   * BEGIN, the opening statement and `along` in one pipeline. `along` gets its results only if the
   * opening's rows pass the assumption, which is checked as they arrive, before any of them.
   * Undefined when nothing was sent (a value of `along` could not be: those statements have
   * failed as in any round trip, and the request opens alone).
   */
  private async openAlong(connection: PgConnection, commitFirst: boolean, sql: string, params: readonly unknown[], along: Queued[]): Promise<Row[] | undefined> {
    let opened: { rows?: Row[]; error?: Error; holds?: boolean } = {};
    const ignore = () => undefined;
    const statements: PipelinedStatement[] = [
      ...(commitFirst ? [{ text: 'commit', values: [], settle: ignore }] : []),
      { text: 'begin', values: [], settle: ignore },
      {
        text: sql,
        values: params,
        name: preparedNameOn(connection, sql),
        settle: (error, rows) => (opened = error ? { error } : { rows, holds: !this.assumption || this.assumption(rows!) }),
      },
      ...along.map((s) => ({
        ...s,
        name: s.prepared ? preparedNameOn(connection, s.text) : undefined,
        settle: (error: Error | null, rows?: Row[]) => (opened.holds === false ? s.settle(new AssumptionRefuted()) : s.settle(error, rows)),
      })),
    ];
    for (const s of statements.slice(commitFirst ? 1 : 0)) this.observe(s.text, s.values);
    if (!(await runPipelined(connection, statements))) return undefined;
    if (opened.error) throw opened.error;
    if (!opened.holds) throw new AssumptionRefuted();
    return opened.rows!;
  }

  /** Statement observers (knex 'query' listeners: statement counts, logs) see every statement. */
  private observe(sql: string, bindings: readonly unknown[] = []): void {
    this.knex.client.emit('query', { sql, bindings });
  }

  /**
   * Opens the request with `first` as its first statement, in place of the separate scope
   * statement: one round trip less on every request. When the request is open already, `first`
   * runs in its transaction (applying the same settings again changes nothing).
   */
  async openWith<R = Row>(first: FirstStatement): Promise<R[]> {
    if (this.opened) {
      const { sql, params } = first(this.settings());
      return this.query<R>(sql, params, { readOnly: true });
    }
    return (await this.open(first)).first as R[];
  }

  /**
   * The request runs on an assumption (its caller as last seen) until its opening statement,
   * `first`, confirms it: `holds` says whether that statement's rows do. The opening travels with
   * the request's first statements; if it does not hold, their rows are withheld (they fail with
   * AssumptionRefuted, as every later statement does), the transaction is rolled back, and
   * confirm() answers false. Whoever assumes must confirm() before anything of the request leaves.
   */
  assume<R = Row>(first: FirstStatement, holds: (rows: R[]) => boolean): void {
    if (this.opened) throw new Error('The request is open already: nothing can be assumed any more');
    this.opening = first;
    this.assumption = holds as (rows: Row[]) => boolean;
  }

  /** Whether the request's assumption (if any) holds; its opening statement goes now if it has not gone yet. */
  async confirm(): Promise<boolean> {
    if (!this.assumption) return true;
    try {
      await this.open();
      return true;
    } catch (err) {
      if (err instanceof AssumptionRefuted) return false;
      throw err;
    }
  }

  /** After a refuted assumption: the request starts over, with no transaction and nothing assumed. */
  async restart(): Promise<void> {
    if (!this.refuted) throw new Error('Only a request whose assumption was refuted starts over');
    await this.statementsDone();
    this.opened = this.trxOpening = this.emFork = this.assumption = this.rowLoaders = undefined;
    this.opening = applyScope;
    this.refuted = this.mayHaveWritten = false;
    this.afterCommitTasks = [];
  }

  /**
   * Runs a statement in the request's transaction, after the statements queued before it: one
   * connection runs one statement at a time. Statements queued in the same tick (the loaders of
   * sibling fields fire together) go in one round trip (see pipeline.ts). `prepared`: a prepared
   * statement of the connection, parsed and planned once for every request it serves (up to
   * PREPARED_PER_CONNECTION texts a connection); for texts that do not vary with values (the
   * values are parameters, lists are one array parameter). `readOnly`: the statement writes
   * nothing (a request that ran only such statements ends its transaction lazily, see
   * READ_ONLY_COMMIT_DELAY_MS); without it, the request commits before its response leaves.
   * `resultFormats`: each result column's format, when some are binary (see Shape.resultFormats).
   */
  query<R = Row>(sql: string, params: readonly unknown[], opts: { prepared?: boolean; readOnly?: boolean; resultFormats?: readonly number[] } = {}): Promise<R[]> {
    if (!opts.readOnly) this.mayHaveWritten = true;
    return new Promise<R[]>((resolve, reject) => {
      this.queued.push({
        text: sql,
        values: params,
        prepared: !!opts.prepared,
        resultFormats: opts.resultFormats,
        settle: (err, rows) => (err ? reject(err) : resolve(rows as R[])),
      });
      this.running ??= this.runQueued();
    });
  }

  /** Sends the queued statements, all those of a tick together, until none is left. */
  private async runQueued(): Promise<void> {
    await new Promise((next) => process.nextTick(next));
    try {
      // The request's first statements go with its opening.
      if (!this.opened) await this.open(this.opening, this.queued.splice(0));
      const { connection } = await this.open();
      while (this.queued.length) {
        const batch: PipelinedStatement[] = this.queued.splice(0).map((s) => ({ ...s, name: s.prepared ? preparedNameOn(connection, s.text) : undefined }));
        try {
          for (const s of batch) this.observe(s.text, s.values);
          // node-postgres' own query asks for every column in one format: a statement that sets them goes as a pipeline.
          await (batch.length > 1 || batch[0].resultFormats ? runPipelined(connection, batch) : runInTurn(connection, batch));
        } catch (err) {
          // Not sent (an observer threw): settled here, so no caller waits for ever.
          for (const s of batch) s.settle(err as Error);
        }
      }
    } catch (err) {
      for (const s of this.queued.splice(0)) s.settle(err as Error);
    } finally {
      this.running = undefined;
    }
  }

  /** Resolves once every statement queued so far has run. */
  private async statementsDone(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Runs a select built on `sqlBuilder` (see scopedSelect) in the request's transaction, prepared.
   * Only a select counts as read-only: anything else built here commits before the response.
   */
  read<R = Row>(statement: Knex.QueryBuilder | Knex.Raw): Promise<R[]> {
    const compiled = statement.toSQL();
    const { sql, bindings } = compiled.toNative();
    return this.query<R>(sql, bindings, { prepared: true, readOnly: READ_METHODS.has(compiled.method) });
  }

  /**
   * The request's transaction as a knex transaction (for query builders and the EntityManager),
   * bound on first use to the transaction the request's connection has open.
   */
  trx(): Promise<Knex.Transaction> {
    this.mayHaveWritten = true;
    this.trxOpening ??= (async () => {
      const { connection } = await this.open();
      await this.statementsDone();
      const trx = await joinOpenTransaction(this.knex, connection);
      this.fork().setTransactionContext(trx);
      return trx;
    })();
    return this.trxOpening;
  }

  private settings(scope: DbScope = this.scope): string[] {
    return [scope.organizationId ?? '', scope.userId ?? '', scope.platform ? 'on' : ''];
  }

  /** Runs `fn` in a nested transaction (savepoint): all of it, or none of it. */
  async transactional<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    await this.trx();
    return this.discardingTasksOnFailure(() => this.em.transactional((em) => fn(em as EntityManager)));
  }

  /**
   * Work to do once the request's transaction has committed (messages, later jobs and events):
   * dropped if the savepoint it was registered in rolls back, or if the request does not commit.
   */
  afterCommit(task: () => Promise<void>): void {
    this.afterCommitTasks.push(task);
  }

  private async discardingTasksOnFailure<T>(fn: () => Promise<T>): Promise<T> {
    const mark = this.afterCommitTasks.length;
    try {
      return await fn();
    } catch (err) {
      this.afterCommitTasks.length = mark;
      throw err;
    }
  }

  /**
   * Platform services only (identity, tenancy): act inside one organization for the duration
   * of `fn` — the tenant filter, the subscriber and RLS all see that organization. `parent` is
   * the caller's EntityManager when it is inside a transaction already (knex queues work on an
   * outer transaction until the inner one ends, so nesting must start from the innermost).
   */
  async asTenant<T>(
    parent: EntityManager | null,
    organizationId: string,
    userId: string | null,
    fn: (em: EntityManager) => Promise<T>,
  ): Promise<T> {
    await this.trx();
    const scope = { ...this.scope, organizationId, userId: userId ?? this.scope.userId };
    const setScope = (em: EntityManager, settings: string[]) => em.execute(SCOPE_SQL_KNEX, settings);
    const result = await this.discardingTasksOnFailure(() => (parent ?? this.em).transactional(async (em) => {
      em.setFilterParams(TENANT_FILTER, { organizationId });
      await setScope(em as EntityManager, this.settings(scope));
      const value = await fn(em as EntityManager);
      await em.flush();
      // SET LOCAL outlives RELEASE SAVEPOINT: put the request's own scope back.
      await setScope(em as EntityManager, this.settings());
      return value;
    }));
    return result;
  }

  /**
   * Commits (or rolls back) the request's transaction, if one was opened, hands the connection
   * back, then runs the after-commit work. A transaction that only read, with no such work, is
   * committed by the next request instead (commitWithNextRequest).
   */
  async finish(commit: boolean): Promise<void> {
    const tasks = this.afterCommitTasks.splice(0);
    if (!this.opened) {
      // Nothing was read or written: nothing to commit, so the work registered still follows.
      if (commit) for (const task of tasks) await task();
      return;
    }
    let connection: PgConnection;
    try {
      ({ connection } = await this.opened);
    } catch {
      return;
    }
    let keptForNextRequest = false;
    try {
      await this.statementsDone();
      const trx = this.trxOpening && (await this.trxOpening.catch(() => null));
      // The unit of work's pending changes are part of the request's writes.
      if (trx && commit) await this.fork().flush();
      if (trx) {
        // knex reports its own COMMIT or ROLLBACK to statement observers.
        await (commit ? trx.commit() : trx.rollback());
        this.fork().resetTransactionContext();
      } else if (commit && !this.mayHaveWritten && !tasks.length) {
        this.observe('commit');
        commitWithNextRequest(this.knex.client, connection);
        keptForNextRequest = true;
      } else {
        this.observe(commit ? 'commit' : 'rollback');
        await connection.query(commit ? 'commit' : 'rollback');
      }
    } catch (err) {
      await connection.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      if (!keptForNextRequest) this.knex.client.releaseConnection(connection);
    }
    if (commit) for (const task of tasks) await task();
  }
}

/** Statements one after another, each settled as it completes. */
async function runInTurn(connection: PgConnection, statements: readonly PipelinedStatement[]): Promise<void> {
  for (const s of statements) {
    try {
      s.settle(null, ((await connection.query({ text: s.text, values: s.values, name: s.name })) as { rows: Row[] }).rows);
    } catch (err) {
      s.settle(err as Error);
    }
  }
}

/** Statements in one round trip: resolves once every one has settled, with whether they were sent. */
function runPipelined(connection: PgConnection, statements: readonly PipelinedStatement[]): Promise<boolean> {
  let left = statements.length;
  return new Promise((done) => {
    const pipeline = sendPipelined(
      connection,
      statements.map((s) => ({
        ...s,
        settle(err, rows) {
          s.settle(err, rows);
          if (--left === 0) done(pipeline.sent);
        },
      })),
    );
  });
}

/**
 * A knex transaction over a connection whose transaction is open already: knex always sends
 * BEGIN when a transaction starts, so its begin step is replaced (before it runs: it runs a
 * microtask after the transaction is made) by nothing. Commit, rollback and savepoints are knex's.
 */
function joinOpenTransaction(knexInstance: Knex, connection: PgConnection): Promise<Knex.Transaction> {
  return new Promise((resolve, reject) => {
    const client = knexInstance.client as Knex.Client & {
      transaction(container: (trx: Knex.Transaction) => void, config: object, outer: null): { begin(): Promise<void> } & Promise<unknown>;
    };
    const transaction = client.transaction(resolve, { connection, doNotRejectOnRollback: true }, null);
    transaction.begin = () => Promise.resolve();
    transaction.catch(reject);
  });
}
