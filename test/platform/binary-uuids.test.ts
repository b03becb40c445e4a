/**
 * The read path asks PostgreSQL for its uuid columns in binary (16 bytes rather than 36
 * characters); node-postgres' parser, patched in patches/ (applied by npm ci), reads them as the
 * text PostgreSQL would have sent. Other columns of the same rows stay text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { BufferReader } from 'pg-protocol/dist/buffer-reader';
import { sendPipelined, type PipelineClient } from '../../src/core/orm/pipeline';

test('uuids asked for in binary arrive as their text, beside text columns and nulls', async (t) => {
  const reader = BufferReader.prototype as BufferReader & { uuid?: () => string };
  assert.equal(typeof reader.uuid, 'function', 'pg-protocol is not patched: run npm ci');
  const read = t.mock.method(reader as Required<typeof reader>, 'uuid');
  const client = new Client({ connectionString: process.env.TESSERA_TEST_ADMIN_URL });
  await client.connect();
  try {
    const ids = [randomUUID(), '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
    const rows = await new Promise<Record<string, unknown>[]>((resolve, reject) =>
      sendPipelined(client as unknown as PipelineClient, [
        {
          text: 'select id, id::text as "asText", null::uuid as "none", 7 as "seven" from unnest($1::uuid[]) as id',
          values: [ids],
          resultFormats: [1, 0, 1, 0],
          settle: (err, result) => (err ? reject(err) : resolve(result!)),
        },
      ]),
    );
    assert.deepEqual(
      rows,
      ids.map((id) => ({ id, asText: id, none: null, seven: 7 })),
    );
    assert.equal(read.mock.callCount(), ids.length);
    // A statement that asks for nothing in binary reads as before.
    const { rows: plain } = await client.query<{ id: string }>('select $1::uuid as id', [ids[0]]);
    assert.deepEqual(plain, [{ id: ids[0] }]);
    assert.equal(read.mock.callCount(), ids.length);
  } finally {
    await client.end();
  }
});
