/**
 * The read path asks PostgreSQL for its uuid and date columns in binary (16 bytes rather than 36
 * characters, 4 rather than 10); node-postgres' parser, patched in patches/ (applied by npm ci),
 * reads them as the text PostgreSQL would have sent. Other columns of the same rows stay text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { BufferReader } from 'pg-protocol/dist/buffer-reader';
import { sendPipelined, type PipelineClient } from '../../src/core/orm/pipeline';
import { startTestApi } from '../support/api';
import { CsrProjectsNestedDocument } from '../__generated__/graphql';

type Patched = BufferReader & { uuid?: () => string; date?: () => string };

function readPipelined(client: Client, text: string, values: unknown[], resultFormats: number[]): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) =>
    sendPipelined(client as unknown as PipelineClient, [{ text, values, resultFormats, settle: (err, result) => (err ? reject(err) : resolve(result!)) }]),
  );
}

async function withAdminClient(run: (client: Client) => Promise<void>): Promise<void> {
  // Values as the parser reads them (MikroORM, too, keeps dates as text).
  const client = new Client({ connectionString: process.env.TESSERA_TEST_ADMIN_URL, types: { getTypeParser: () => (value: string) => value } });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}

test('uuids asked for in binary arrive as their text, beside text columns and nulls', async (t) => {
  const reader = BufferReader.prototype as Patched;
  assert.equal(typeof reader.uuid, 'function', 'pg-protocol is not patched: run npm ci');
  const read = t.mock.method(reader as Required<Patched>, 'uuid');
  await withAdminClient(async (client) => {
    const ids = [randomUUID(), '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
    const rows = await readPipelined(client, 'select id, id::text as "asText", null::uuid as "none", 7 as "seven" from unnest($1::uuid[]) as id', [ids], [1, 0, 1, 0]);
    assert.deepEqual(
      rows,
      ids.map((id) => ({ id, asText: id, none: null, seven: '7' })),
    );
    assert.equal(read.mock.callCount(), ids.length);
    // A statement that asks for nothing in binary reads as before.
    const { rows: plain } = await client.query<{ id: string }>('select $1::uuid as id', [ids[0]]);
    assert.deepEqual(plain, [{ id: ids[0] }]);
    assert.equal(read.mock.callCount(), ids.length);
  });
});

test('dates asked for in binary arrive as the text PostgreSQL writes, from 4714 BC to year 5874897 and ±infinity', async (t) => {
  const reader = BufferReader.prototype as Patched;
  assert.equal(typeof reader.date, 'function', 'pg-protocol is not patched: run npm ci');
  const read = t.mock.method(reader as Required<Patched>, 'date');
  await withAdminClient(async (client) => {
    await client.query(`set datestyle = 'ISO, MDY'`);
    // Every day of two centuries (leap years, 1900 and 2100 not leap, 2000 leap), a day about
    // every 2,700 years over the whole range, and the edges of the type and of the era.
    const rows = await readPipelined(
      client,
      `select d, d::text as "asText" from (
         select d::date from generate_series(date '1890-01-01', date '2110-12-31', interval '1 day') as d
         union all select date '4714-11-24 BC' + n from generate_series(0, 2147000000, 999983) as n
         union all select unnest(array['4714-11-24 BC', '0001-12-31 BC', '0001-01-01', '0999-03-01', '9999-12-31', '10000-01-01', '5874897-12-31', 'infinity', '-infinity']::date[])
         union all select null) as dates`,
      [],
      [1, 0],
    );
    assert.ok(rows.length > 80_000);
    const wrong = rows.filter((r) => r.d !== r.asText);
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} dates read otherwise than PostgreSQL writes them`);
    assert.equal(read.mock.callCount(), rows.length - 1);
  });
});

test('a list page and its relations read their dates in binary, as the text stored', async (t) => {
  const api = await startTestApi();
  t.after(() => api.close());
  const token = await api.login('csr_manager', 'acme');
  const read = t.mock.method(BufferReader.prototype as unknown as Required<Patched>, 'date');
  const res = await api.gql(CsrProjectsNestedDocument, { first: 10 }, token);
  assert.equal(res.errors, undefined);
  const milestones = res.data!.projects.edges.flatMap((e) => e.node.milestones);
  const dated = milestones.filter((m) => m.dueDate !== null);
  assert.ok(dated.length > 0, 'the seeded projects have milestones with due dates');
  const stored = await api.sql<{ id: string; due: string | null }>('select id, due_date::text as due from csr_milestone where id = any($1)', [milestones.map((m) => m.id)]);
  assert.deepEqual(
    Object.fromEntries(milestones.map((m) => [m.id, m.dueDate])),
    Object.fromEntries(stored.map((r) => [r.id, r.due])),
  );
  assert.ok(read.mock.callCount() >= dated.length, `${read.mock.callCount()} dates read in binary, ${dated.length} shown`);
});
