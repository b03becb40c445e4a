/**
 * The database as one request (or job) sees it: a forked EntityManager carrying the tenant
 * filter, and one transaction opened on first use whose `app.*` settings drive row-level
 * security. Reads and writes of the request share that transaction; each mutation runs in a
 * nested transaction (a savepoint), so a failed mutation leaves nothing half-written while the
 * security events recorded beside it still commit.
 */
import type { EntityManager, Knex, MikroORM } from '@mikro-orm/postgresql';
import { TENANT_FILTER } from './base-entities';

export interface DbScope {
  organizationId?: string | null;
  userId?: string | null;
  /** Platform operator: may read platform-level audit rows. */
  platform?: boolean;
}

const SET_SCOPE_SQL =
  "select set_config('app.tenant_id', ?, true), set_config('app.user_id', ?, true), set_config('app.platform', ?, true)";

export class RequestDb {
  readonly em: EntityManager;
  private opening?: Promise<Knex.Transaction>;
  private scope: DbScope;
  private afterCommitTasks: (() => Promise<void>)[] = [];
  private readTail: Promise<unknown> = Promise.resolve();

  constructor(orm: MikroORM, scope: DbScope) {
    this.em = orm.em.fork({ clear: true, useContext: false, freshEventManager: false });
    this.scope = { ...scope };
    if (scope.organizationId) this.em.setFilterParams(TENANT_FILTER, { organizationId: scope.organizationId });
  }

  get organizationId(): string | undefined {
    return this.scope.organizationId ?? undefined;
  }

  /** The acting user (RLS `app.user_id`), if any. */
  get userId(): string | undefined {
    return this.scope.userId ?? undefined;
  }

  /** The request's transaction (a knex transaction), opened with the RLS settings on first use. */
  trx(): Promise<Knex.Transaction> {
    this.opening ??= (async () => {
      await this.em.begin();
      await this.em.execute(SET_SCOPE_SQL, this.settings(this.scope));
      return this.em.getTransactionContext<Knex.Transaction>()!;
    })();
    return this.opening;
  }

  /**
   * Opens the request's transaction with `first` as its first statement, in place of the
   * separate scope statement: `first` gets the scope settings (tenant, user, platform; the
   * parameters of SET_SCOPE_SQL) and must apply them before it reads anything, as the SQL function
   * app_open_request does. One round trip less on every request. When the transaction is open
   * already, `first` runs in it (applying the same settings again changes nothing).
   */
  async openWith<T>(first: (trx: Knex.Transaction, settings: string[]) => Promise<T>): Promise<T> {
    if (this.opening) return first(await this.opening, this.settings(this.scope));
    let result!: T;
    this.opening = (async () => {
      await this.em.begin();
      const trx = this.em.getTransactionContext<Knex.Transaction>()!;
      try {
        result = await first(trx, this.settings(this.scope));
      } catch (err) {
        await this.em.rollback().catch(() => undefined);
        throw err;
      }
      return trx;
    })();
    await this.opening;
    return result;
  }

  /**
   * Runs a read on the request's transaction once the reads queued before it are done. Loaders
   * of sibling fields fire in the same tick, and one connection runs one statement at a time
   * (pg 8 queues them with a deprecation warning; pg 9 refuses).
   */
  read<T>(query: (trx: Knex.Transaction) => PromiseLike<T>): Promise<T> {
    const run = this.readTail.then(async () => query(await this.trx()));
    this.readTail = run.catch(() => undefined);
    return run;
  }

  private settings(scope: DbScope): string[] {
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
    const result = await this.discardingTasksOnFailure(() => (parent ?? this.em).transactional(async (em) => {
      em.setFilterParams(TENANT_FILTER, { organizationId });
      await em.execute(SET_SCOPE_SQL, this.settings(scope));
      const value = await fn(em as EntityManager);
      await em.flush();
      // SET LOCAL outlives RELEASE SAVEPOINT: put the request's own scope back.
      await em.execute(SET_SCOPE_SQL, this.settings(this.scope));
      return value;
    }));
    return result;
  }

  /** Commits (or rolls back) the request's transaction, if one was opened, then runs the after-commit work. */
  async finish(commit: boolean): Promise<void> {
    const tasks = this.afterCommitTasks.splice(0);
    if (!this.opening) {
      // Nothing was read or written: nothing to commit, so the work registered still follows.
      if (commit) for (const task of tasks) await task();
      return;
    }
    try {
      await this.opening;
    } catch {
      return;
    }
    if (!commit) {
      await this.em.rollback();
      return;
    }
    await this.em.commit();
    for (const task of tasks) await task();
  }
}
