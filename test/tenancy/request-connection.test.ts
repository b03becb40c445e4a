/**
 * A request holds one connection and one transaction, opened by its first statement with its
 * scope. With a pool of one connection, so that every request takes the connection the previous
 * one gave back: each sees its own tenant only and leaves nothing behind (no scope, no open
 * transaction: a request that only read hands its COMMIT to the next request, or sends it within
 * a few milliseconds, before anything else gets the connection), a request whose first statement
 * failed runs nothing more, and the EntityManager is refused until the request's transaction is
 * bound to it.
 */
import { once, type EventEmitter } from 'node:events';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { startTestApi, type TestApi } from '../support/api';
import { ormConfig } from '../../mikro-orm.config';
import { AssumptionRefuted, RequestDb, sqlBuilder, type FirstStatement } from '../../src/core/orm/request-db';
import { Project } from '../../src/entities/csr/project.entity';
import { Partner } from '../../src/entities/csr/partner.entity';
import { buildConnection, NodeSelection } from '../../src/core/orm/connection';

let api: TestApi;
let orm: MikroORM;
let acme: string;
let globex: string;

before(async () => {
  api = await startTestApi();
  orm = await MikroORM.init(ormConfig(api.appUrl, { poolMax: 1 }));
  const orgs = await api.sql<{ id: string; slug: string }>(`select id, slug from tenancy_organization where slug in ('acme', 'globex')`);
  acme = orgs.find((o) => o.slug === 'acme')!.id;
  globex = orgs.find((o) => o.slug === 'globex')!.id;
});
after(async () => {
  await orm.close(true);
  await api.close();
});

async function inRequest<T>(scope: { organizationId?: string | null }, fn: (db: RequestDb) => Promise<T>, commit = true): Promise<T> {
  const db = new RequestDb(orm, scope);
  try {
    return await fn(db);
  } finally {
    await db.finish(commit);
  }
}

const projectOrgs = (db: RequestDb) =>
  db
    .query<{ organization_id: string }>('select distinct organization_id from csr_project', [], { readOnly: true })
    .then((rows) => rows.map((r) => r.organization_id));

/** What the pool's connection holds between requests, read on it outside any request. */
async function leftOnConnection(): Promise<{ tenant: string | null; inTransaction: boolean }> {
  // Outside a transaction block every statement is its own transaction: now() is the statement's time.
  const [row] = await orm.em.getConnection().execute<{ tenant: string | null; fresh: boolean }[]>(
    "select nullif(current_setting('app.tenant_id', true), '') as tenant, now() = statement_timestamp() as fresh",
  );
  return { tenant: row.tenant, inTransaction: !row.fresh };
}

test('requests taking turns on one connection each see their own tenant only, and leave nothing on it', async () => {
  assert.deepEqual(await inRequest({ organizationId: acme }, projectOrgs), [acme]);
  assert.deepEqual(await leftOnConnection(), { tenant: null, inTransaction: false });
  assert.deepEqual(await inRequest({ organizationId: globex }, projectOrgs), [globex]);
  assert.deepEqual(await inRequest({}, projectOrgs), []);
  // The knex transaction (writes, the EntityManager) is the request's: same scope, same end.
  const inTransaction = await inRequest({ organizationId: globex }, async (db) => {
    const trx = await db.trx();
    const [{ n }] = (await trx.raw<{ rows: { n: number }[] }>('select count(*)::int as n from csr_project where organization_id = ?', [acme])).rows;
    const viaEm = await db.em.find(Project, {});
    return { n, orgs: await projectOrgs(db), viaEm: viaEm.length > 0 && viaEm.every((p) => p.organizationId === globex) };
  });
  assert.deepEqual(inTransaction, { n: 0, orgs: [globex], viaEm: true });
  assert.deepEqual(await leftOnConnection(), { tenant: null, inTransaction: false });
});

test('a request whose first statement fails runs nothing more, and the next request is scoped as usual', async () => {
  const db = new RequestDb(orm, { organizationId: acme });
  await assert.rejects(db.openWith(() => ({ sql: 'select 1 / 0', params: [] })), /division by zero/);
  await assert.rejects(projectOrgs(db), /division by zero/);
  await db.finish(true);
  assert.deepEqual(await leftOnConnection(), { tenant: null, inTransaction: false });
  assert.deepEqual(await inRequest({ organizationId: globex }, projectOrgs), [globex]);
});

test('a request that does not commit leaves no write behind', async () => {
  const title = `Rolled back ${Date.now()}`;
  for (const bindTransaction of [false, true]) {
    await inRequest(
      { organizationId: acme },
      async (db) => {
        if (bindTransaction) await db.trx();
        await db.query('update csr_project set title = $1 where id = (select id from csr_project order by id limit 1)', [title]);
      },
      false,
    );
    assert.equal((await api.sql('select 1 from csr_project where title = $1', [title])).length, 0);
    assert.deepEqual(await leftOnConnection(), { tenant: null, inTransaction: false });
  }
});

test('the EntityManager is refused until the request transaction is bound to it', async () => {
  await inRequest({ organizationId: acme }, async (db) => {
    assert.throws(() => db.em, /Open the request transaction/);
    await db.trx();
    assert.ok(db.em);
  });
});

test('a connection keeps at most 500 prepared statements; further texts run unprepared and still answer', async () => {
  const { prepared, answers } = await inRequest({ organizationId: acme }, async (db) => {
    const answers: number[] = [];
    for (let i = 0; i < 520; i++) answers.push((await db.query<{ n: number }>(`select ${i}::int as n`, [], { prepared: true }))[0].n);
    const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements', []);
    return { prepared: n, answers };
  });
  assert.deepEqual(answers, Array.from({ length: 520 }, (_, i) => i));
  assert.ok(prepared <= 500, `${prepared} prepared statements`);
  assert.ok(prepared >= 450, `${prepared} prepared statements`);
});

test('statement observers see each end of a request once: COMMIT after a write, COMMIT after reads only', async () => {
  const knex = orm.em.getConnection().getKnex();
  for (const bindTransaction of [false, true]) {
    const texts: string[] = [];
    const observe = (query: { sql: string }) => texts.push(query.sql);
    knex.on('query', observe);
    try {
      await inRequest({ organizationId: acme }, async (db) => {
        if (bindTransaction) await db.trx();
        await projectOrgs(db);
      });
    } finally {
      knex.off('query', observe);
    }
    assert.equal(texts.filter((t) => /^commit;?$/i.test(t.trim())).length, 1, texts.join(' | '));
  }
});

/**
 * The round trips (client.query calls) made on the pool's one connection during `fn`, each as its
 * text: a simple query's own, a statement's, or those of a pipeline's statements joined by `; `.
 */
async function roundTripsDuring<T>(fn: () => Promise<T>): Promise<{ value: T; roundTrips: number; texts: string[] }> {
  const client = orm.em.getKnex().client as { acquireConnection(): Promise<{ query: (...a: unknown[]) => unknown }>; releaseConnection(c: unknown): void };
  const connection = await client.acquireConnection();
  client.releaseConnection(connection);
  const query = connection.query;
  const texts: string[] = [];
  connection.query = function (this: unknown, ...args: unknown[]) {
    // A pipeline's statements are private to it; the test reads them all the same.
    const [q] = args as [string | { text?: string; statements?: { text: string }[] }];
    texts.push(typeof q === 'string' ? q : (q.text ?? q.statements!.map((s) => s.text).join('; ')));
    return query.apply(this, args);
  };
  try {
    return { value: await fn(), roundTrips: texts.length, texts };
  } finally {
    connection.query = query;
  }
}

test('a request that only read leaves its COMMIT to the next request, which sends it with its own BEGIN', async () => {
  const { value, texts } = await roundTripsDuring(async () => {
    const first = await inRequest({ organizationId: acme }, projectOrgs);
    // The next request starts in the same turn of the event loop, before the commit delay runs out.
    const second = await inRequest({ organizationId: globex }, projectOrgs);
    return [first, second];
  });
  assert.deepEqual(value, [[acme], [globex]]);
  // Each request: one round trip (BEGIN, the scope and its read); the second's COMMIT is still to come.
  assert.equal(texts.length, 2, texts.join(' | '));
  assert.match(texts[0], /^begin; select set_config\(.*; select distinct organization_id/);
  assert.match(texts[1], /^commit; begin; select set_config\(/);
  // Nothing else gets the connection while that transaction is open.
  assert.deepEqual(await leftOnConnection(), { tenant: null, inTransaction: false });
});

test('of the connections whose COMMIT waits, the next request takes the one that has waited longest', async () => {
  // This file's ORM has one connection: two requests at once need another.
  const twoConnections = await MikroORM.init(ormConfig(api.appUrl, { poolMax: 2 }));
  try {
    const backend = (db: RequestDb) => db.query<{ pid: number }>('select pg_backend_pid() as pid', [], { readOnly: true }).then((rows) => rows[0].pid);
    const request = (organizationId: string) => new RequestDb(twoConnections, { organizationId });
    // Two requests at once, so on two connections; the first to finish waits longest.
    const [first, second] = [request(acme), request(globex)];
    const [firstPid, secondPid] = await Promise.all([backend(first), backend(second)]);
    // No timer runs between these steps (microtasks and nextTicks only): no COMMIT goes alone.
    await first.finish(true);
    await second.finish(true);
    const nextPids: number[] = [];
    for (const next of [request(acme), request(globex)]) {
      nextPids.push(await backend(next));
      await next.finish(true);
    }
    assert.notEqual(firstPid, secondPid);
    assert.deepEqual(nextPids, [firstPid, secondPid]);
  } finally {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await twoConnections.close();
  }
});

test('a connection that breaks while its COMMIT waits is not handed to the next request', async () => {
  await inRequest({ organizationId: acme }, async (db) => {
    const [{ pid }] = await db.query<{ pid: number }>('select pg_backend_pid() as pid', [], { readOnly: true });
    // The request's connection (private to RequestDb): wait until it has seen its end.
    const { connection } = await (db as unknown as { opened: Promise<{ connection: EventEmitter }> }).opened;
    const broken = once(connection, 'error');
    await api.sql('select pg_terminate_backend($1)', [pid]);
    await broken;
  });
  assert.deepEqual(await inRequest({ organizationId: globex }, projectOrgs), [globex]);
});

test('a request that may have written commits before it ends; one that only read commits within a few milliseconds', async () => {
  const wrote = await roundTripsDuring(() => inRequest({ organizationId: acme }, (db) => db.query('update csr_project set title = title where false', [])));
  assert.equal(wrote.texts.at(-1), 'commit');
  // db.read takes only selects as read-only: an update built with knex commits as any write.
  const built = await roundTripsDuring(() => inRequest({ organizationId: acme }, (db) => db.read(sqlBuilder('csr_project').whereRaw('false').update({ title: 'x' }))));
  assert.equal(built.texts.at(-1), 'commit');
  const read = await roundTripsDuring(async () => {
    await inRequest({ organizationId: acme }, projectOrgs);
    // A pool user outside requests waits for the COMMIT, then finds no transaction open.
    return leftOnConnection();
  });
  assert.deepEqual(read.value, { tenant: null, inTransaction: false });
  assert.deepEqual(read.texts.slice(0, 2).map((t) => t.split(';').at(-1)!.trim()), ['select distinct organization_id from csr_project', 'commit']);
});

const siblings = (db: RequestDb, marker: string) =>
  Promise.all([
    db.query<{ id: string }>('select id from csr_project where organization_id = $1 order by id limit 2', [acme], { prepared: true }),
    db.query<{ n: number }>('select count(*)::int as n from csr_project where title like $1', [marker], { prepared: true }),
    db.query<{ tenant: string }>("select current_setting('app.tenant_id') as tenant", []),
  ]);

test('statements queued in the same tick go in one round trip, each answered with its own rows', async () => {
  const expected = await api.sql<{ id: string }>('select id from csr_project where organization_id = $1 order by id limit 2', [acme]);
  const later = (db: RequestDb) => db.query('select 1', [], { readOnly: true }).then(() => siblings(db, 'no such title%'));
  // The first time, the prepared texts are parsed in the round trip that runs them; after that they are bound only.
  for (const run of [1, 2]) {
    const { value, roundTrips } = await roundTripsDuring(() => inRequest({ organizationId: acme }, later));
    assert.deepEqual(value, [expected, [{ n: 0 }], [{ tenant: acme }]], `run ${run}`);
    // BEGIN with the scope and the first statement, the three statements, COMMIT.
    assert.equal(roundTrips, 3, `run ${run}`);
  }
  assert.deepEqual(await leftOnConnection(), { tenant: null, inTransaction: false });
});

test('a failing statement in a round trip fails alone with its error; those before it answer, those after it do not run', async () => {
  await inRequest({ organizationId: acme }, (db) => db.query('select $1::int as n', [1], { prepared: true }));
  const db = new RequestDb(orm, { organizationId: acme });
  const [first, failing, after] = await Promise.allSettled([
    db.query<{ n: number }>('select $1::int as n', [1], { prepared: true }),
    db.query('select 1 / $1::int', [0]),
    db.query("select current_setting('app.tenant_id') as tenant", []),
  ]);
  assert.deepEqual(first, { status: 'fulfilled', value: [{ n: 1 }] });
  assert.match(String((failing as PromiseRejectedResult).reason), /division by zero/);
  assert.match(String((after as PromiseRejectedResult).reason), /Not run: another statement/);
  // The transaction is aborted: what follows in the request fails, and the connection comes back clean.
  await assert.rejects(projectOrgs(db), /current transaction is aborted/);
  await db.finish(true);
  assert.deepEqual(await leftOnConnection(), { tenant: null, inTransaction: false });
  assert.deepEqual(await inRequest({ organizationId: globex }, projectOrgs), [globex]);
});

test('db.transactional: a failing step leaves none of its writes; the steps before and after it commit', async () => {
  const [one, two, three] = await api.sql<{ id: string; title: string }>('select id, title from csr_project where organization_id = $1 order by id limit 3', [acme]);
  const marker = `Savepoint ${Date.now()}`;
  const retitle = (id: string, title: string) => async (em: EntityManager) => {
    (await em.findOneOrFail(Project, id)).title = title;
    await em.flush();
  };
  await inRequest({ organizationId: acme }, async (db) => {
    await db.transactional(retitle(one.id, `${marker} 1`));
    await assert.rejects(
      db.transactional(async (em) => {
        await retitle(two.id, `${marker} 2`)(em);
        throw new Error('step failed');
      }),
      /step failed/,
    );
    await db.transactional(retitle(three.id, `${marker} 3`));
  });
  const titles = await api.sql<{ id: string; title: string }>('select id, title from csr_project where id = any($1) order by id', [[one.id, two.id, three.id]]);
  assert.deepEqual(titles, [
    { id: one.id, title: `${marker} 1` },
    { id: two.id, title: two.title },
    { id: three.id, title: `${marker} 3` },
  ]);
  assert.deepEqual(await leftOnConnection(), { tenant: null, inTransaction: false });
});

test('a value that cannot be sent fails its statement, and nothing of the round trip runs', async () => {
  await inRequest({ organizationId: acme }, (db) => db.query('select $1::int as n', [1], { prepared: true }));
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const db = new RequestDb(orm, { organizationId: acme });
  const [first, unsendable] = await Promise.allSettled([
    db.query<{ n: number }>('select $1::int as n', [1], { prepared: true }),
    db.query('select $1::jsonb as j', [circular]),
  ]);
  assert.match(String((first as PromiseRejectedResult).reason), /Not run: another statement/);
  assert.match(String((unsendable as PromiseRejectedResult).reason), /circular/i);
  // Nothing was sent: the request's transaction is intact.
  assert.deepEqual(await projectOrgs(db), [acme]);
  await db.finish(true);
  assert.deepEqual(await leftOnConnection(), { tenant: null, inTransaction: false });
});

test('a text prepared in a round trip is recorded once PostgreSQL has parsed it, even when it then fails; one that does not parse is not', async () => {
  const marker = Date.now() % 1_000_000;
  const [answers, divides, unparsable] = [`select ${marker} + $1::int as n`, `select ${marker} / $1::int as n`, `select ${marker} from no_such_table_${marker} where 1 = $1`];
  // After a first statement (which goes with the opening), the pair goes in a round trip of its own.
  const pair = (second: string, value: number) =>
    inRequest({ organizationId: acme }, async (db) => {
      await db.query('select 1', [], { readOnly: true });
      return Promise.allSettled([db.query(answers, [1], { prepared: true }), db.query(second, [value], { prepared: true })]);
    });
  const outcome = (settled: PromiseSettledResult<unknown>) => (settled.status === 'fulfilled' ? settled.value : String(settled.reason));
  // Twice on the same connection: the second time binds what the first prepared, and fails the same way.
  for (const round of [1, 2]) {
    const [one, failsRunning] = (await pair(divides, 0)).map(outcome);
    assert.deepEqual(one, [{ n: marker + 1 }], `round ${round}`);
    assert.match(failsRunning as string, /division by zero/, `round ${round}`);
    const [again, failsParsing] = (await pair(unparsable, 1)).map(outcome);
    assert.deepEqual(again, [{ n: marker + 1 }], `round ${round}`);
    assert.match(failsParsing as string, /no_such_table/, `round ${round}`);
  }
  const onConnection = await inRequest({ organizationId: acme }, (db) =>
    db.query<{ statement: string }>('select statement from pg_prepared_statements where statement like $1 order by statement', [`%${marker}%`]),
  );
  assert.deepEqual(onConnection.map((r) => r.statement), [answers, divides].sort());
});

/** An opening like app_open_request: applies the scope, then answers with something to check (here the tenant). */
const openingFor = (): FirstStatement => (settings) => ({
  sql: "select set_config('app.tenant_id', $1, true) as tenant, set_config('app.user_id', $2, true), set_config('app.platform', $3, true)",
  params: settings,
});

test('a request run on an assumption sends its opening with its first statements, and gets their rows once the opening confirms it', async () => {
  const { value, texts } = await roundTripsDuring(() =>
    inRequest({ organizationId: acme }, async (db) => {
      db.assume<{ tenant: string }>(openingFor(), (rows) => rows[0].tenant === acme);
      const orgs = await projectOrgs(db);
      return { orgs, confirmed: await db.confirm() };
    }),
  );
  assert.deepEqual(value, { orgs: [acme], confirmed: true });
  assert.equal(texts.length, 1, texts.join(' | '));
  assert.match(texts[0], /^begin; select set_config\('app.tenant_id'.* as tenant.*; select distinct organization_id from csr_project$/);
  // With nothing to send, confirm() sends the opening alone.
  const alone = await roundTripsDuring(() =>
    inRequest({ organizationId: acme }, async (db) => {
      db.assume<{ tenant: string }>(openingFor(), (rows) => rows[0].tenant === acme);
      return db.confirm();
    }),
  );
  assert.equal(alone.value, true);
  assert.equal(alone.texts.length, 1, alone.texts.join(' | '));
  assert.deepEqual(await leftOnConnection(), { tenant: null, inTransaction: false });
});

test('a refuted assumption: the statements sent with it get no rows, its writes are rolled back, and the request starts over', async () => {
  const [project] = await api.sql<{ id: string; title: string }>('select id, title from csr_project where organization_id = $1 order by id limit 1', [acme]);
  const db = new RequestDb(orm, { organizationId: acme });
  db.assume(openingFor(), () => false);
  const [read, write] = await Promise.allSettled([projectOrgs(db), db.query('update csr_project set title = $1 where id = $2', ['Refuted', project.id])]);
  assert.ok((read as PromiseRejectedResult).reason instanceof AssumptionRefuted);
  assert.ok((write as PromiseRejectedResult).reason instanceof AssumptionRefuted);
  assert.equal(await db.confirm(), false);
  // Everything after fails the same way, the EntityManager too, until the request starts over.
  await assert.rejects(projectOrgs(db), AssumptionRefuted);
  await assert.rejects(db.trx(), AssumptionRefuted);
  assert.deepEqual(await leftOnConnection(), { tenant: null, inTransaction: false });
  assert.deepEqual(await api.sql('select title from csr_project where id = $1', [project.id]), [{ title: project.title }]);
  await db.restart();
  assert.deepEqual(await projectOrgs(db), [acme]);
  await db.finish(true);
  await assert.rejects(db.restart(), /Only a request whose assumption was refuted/);
  assert.deepEqual(await leftOnConnection(), { tenant: null, inTransaction: false });
});

test('a page whose statement fails fails its list alone: the loads that went with it fail with it, and no rejection goes unhandled', async () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', record);
  try {
    const select = new NodeSelection(['id', 'title', 'partnerId']);
    select.loads.push({ entity: Partner, kind: 'id', property: 'partnerId', select: new Set(['id', 'name']) });
    const db = new RequestDb(orm, { organizationId: acme });
    await assert.rejects(buildConnection(db, Project, { first: 5, select, where: (qb) => qb.whereRaw('1 / (id is null)::int = 1') }), /division by zero/);
    await db.finish(true);
    // The same list without the failing condition: the page and its partners in one round trip.
    const { value, roundTrips } = await roundTripsDuring(() =>
      inRequest({ organizationId: acme }, async (page) => {
        const list = await buildConnection<{ partnerId: string | null }>(page, Project, { first: 5, select });
        return Promise.all(list.edges.map((e) => (e.node.partnerId ? page.loaders.byId<{ name: string }>(Partner, e.node.partnerId, new Set(['id', 'name'])) : null)));
      }),
    );
    assert.ok(value.some((partner) => partner?.name), JSON.stringify(value));
    assert.equal(roundTrips, 1);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', record);
  }
});
