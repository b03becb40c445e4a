/**
 * Core storage without the server: the local-disk store on a real folder, key rules, the health
 * probe, the upload meter, signed queries, and the choice of S3 from configuration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../../src/config';
import {
  checkStorage,
  createStorage,
  LocalDiskStorage,
  MeteredStream,
  ObjectNotFoundError,
  S3Storage,
  signQuery,
  tenantObjectKey,
  TooFewBytesError,
  TooManyBytesError,
  verifySignedQuery,
} from '../../src/core/storage';

const ORG = '0190a0a0-0000-7000-8000-000000000001';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('local disk: put, get, head and delete an object under the organization’s folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'storage-'));
  const storage = new LocalDiskStorage(root);
  const key = tenantObjectKey(ORG, 'files', 'a');
  assert.equal(key, `orgs/${ORG}/files/a`);
  await storage.put(key, Readable.from([Buffer.from('hello '), Buffer.from('world')]));
  assert.deepEqual(readdirSync(join(root, 'orgs', ORG, 'files')), ['a']);
  assert.equal((await readAll(await storage.get(key))).toString(), 'hello world');
  assert.deepEqual(await storage.head(key), { size: 11 });
  await storage.delete(key);
  assert.equal(await storage.head(key), null);
  await assert.rejects(storage.get(key), ObjectNotFoundError);
  await storage.delete(key); // deleting twice is fine
});

test('local disk: a failing stream leaves no object and no partial file behind', async () => {
  const root = mkdtempSync(join(tmpdir(), 'storage-'));
  const storage = new LocalDiskStorage(root);
  const key = tenantObjectKey(ORG, 'broken');
  const body = new Readable({ read() {} });
  body.push(Buffer.alloc(1000, 1));
  setImmediate(() => body.destroy(new Error('connection lost')));
  await assert.rejects(storage.put(key, body), /connection lost/);
  assert.deepEqual(readdirSync(join(root, 'orgs', ORG)), []);
});

test('object keys cannot climb out of the root or contain odd characters', async () => {
  const storage = new LocalDiskStorage(mkdtempSync(join(tmpdir(), 'storage-')));
  for (const key of ['../etc/passwd', 'orgs/../../x', '/abs', 'a//b', 'a/./b', 'a b', 'a\\b', '', '.hidden']) {
    await assert.rejects(storage.head(key), /Invalid object key/, key);
  }
  assert.throws(() => tenantObjectKey('..', 'x'), /Invalid object key/);
});

test('checkStorage writes, reads back and deletes a probe; a broken store fails naming the step', async () => {
  const root = mkdtempSync(join(tmpdir(), 'storage-'));
  await checkStorage(new LocalDiskStorage(root));
  assert.deepEqual(readdirSync(join(root, 'health')), [], 'the probe is gone');

  const file = join(root, 'not-a-folder');
  writeFileSync(file, 'x');
  await assert.rejects(checkStorage(new LocalDiskStorage(file)), /^Error: local storage write failed/);
});

/** Runs chunks through the meter into a sink that discards them. */
const drain = (chunks: Buffer[], meter: MeteredStream) =>
  pipeline(Readable.from(chunks), meter, new Writable({ write: (_chunk, _encoding, done) => done() }));

test('the meter counts, hashes, stops past the limit and spots short bodies and non-text content', async () => {
  const ok = new MeteredStream({ maxBytes: 6, expectedBytes: 6 });
  await drain([Buffer.from('ab'), Buffer.from([0xc3]), Buffer.from([0xa9]), Buffer.from('cd')], ok);
  assert.equal(ok.bytes, 6);
  assert.equal(ok.textual, true, 'a UTF-8 character split across chunks is still text');
  assert.equal(ok.sha256(), createHash('sha256').update('abécd').digest('hex'));

  const over = new MeteredStream({ maxBytes: 4 });
  await assert.rejects(drain([Buffer.from('abc'), Buffer.from('de')], over), TooManyBytesError);
  assert.equal(over.bytes, 5);

  const short = new MeteredStream({ maxBytes: 10, expectedBytes: 10 });
  await assert.rejects(drain([Buffer.from('abc')], short), TooFewBytesError);

  for (const bytes of [Buffer.from([0x61, 0x00]), Buffer.from([0xff, 0xfe]), Buffer.from([0x61, 0xc3])]) {
    const meter = new MeteredStream({ maxBytes: 10 });
    await drain([bytes], meter);
    assert.equal(meter.textual, false, bytes.toString('hex'));
  }
});

test('signed queries: valid until expiry, bound to purpose and parts', () => {
  const secret = 'x'.repeat(40);
  const now = Date.now();
  const expires = Math.floor(now / 1000) + 60;
  const query = Object.fromEntries(new URLSearchParams(signQuery(secret, { purpose: 'p', parts: ['a', 'b'], expires })));
  assert.equal(verifySignedQuery(secret, { purpose: 'p', parts: ['a', 'b'] }, query, now), 'valid');
  assert.equal(verifySignedQuery(secret, { purpose: 'p', parts: ['a', 'b'] }, query, now + 61_000), 'expired');
  assert.equal(verifySignedQuery(secret, { purpose: 'q', parts: ['a', 'b'] }, query, now), 'invalid');
  assert.equal(verifySignedQuery(secret, { purpose: 'p', parts: ['a', 'c'] }, query, now), 'invalid');
  assert.equal(verifySignedQuery(`${secret}y`, { purpose: 'p', parts: ['a', 'b'] }, query, now), 'invalid');
  assert.equal(verifySignedQuery(secret, { purpose: 'p', parts: ['a', 'b'] }, { ...query, expires: `${expires}0` }, now), 'invalid');
  assert.equal(verifySignedQuery(secret, { purpose: 'p', parts: ['a', 'b'] }, { expires: query.expires }, now), 'invalid');
});

test('configuration: S3 when S3_BUCKET is set, local disk otherwise; S3 settings are checked', () => {
  const local = loadConfig({ DATA_DIR: '/tmp/tessera-x' });
  assert.equal(local.s3, undefined);
  const disk = createStorage(local);
  assert.ok(disk instanceof LocalDiskStorage);
  assert.equal(disk.root, '/tmp/tessera-x/files');

  const s3Config = loadConfig({
    S3_BUCKET: 'tessera',
    S3_ENDPOINT: 'http://127.0.0.1:9000',
    S3_ACCESS_KEY_ID: 'key',
    S3_SECRET_ACCESS_KEY: 'secret',
    S3_FORCE_PATH_STYLE: 'true',
  });
  assert.deepEqual(s3Config.s3, {
    bucket: 'tessera',
    endpoint: 'http://127.0.0.1:9000',
    region: 'us-east-1',
    accessKeyId: 'key',
    secretAccessKey: 'secret',
    forcePathStyle: true,
  });
  const s3 = createStorage(s3Config);
  assert.ok(s3 instanceof S3Storage);
  (s3 as S3Storage).destroy();

  assert.throws(() => loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000' }), /S3_BUCKET: required when S3_ENDPOINT is set/);
  assert.throws(() => loadConfig({ S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k' }), /go together/);
  assert.throws(() => loadConfig({ S3_BUCKET: 'b', S3_ENDPOINT: 'ftp://x' }), /S3_ENDPOINT/);
  assert.throws(() => loadConfig({ FILE_URL_SECRET: 'short' }), /FILE_URL_SECRET/);
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', JWT_SIGNING_KEYS: '[]', ENCRYPTION_KEY: 'a'.repeat(43) }),
    /FILE_URL_SECRET: required in production/,
  );
});
