/**
 * Files end to end: createUpload through GraphQL, the bytes PUT on the signed URL of this very
 * server, stored on local disk (DATA_DIR/files), downloaded through the signed download URL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { Client } from 'pg';
import { startTestApi, errorCode, DEMO_PASSWORD, type TestApi } from '../support/api';
import { LocalDiskStorage, signQuery } from '../../src/core/storage';
import { createScopedContext } from '../../src/core/context/request-context';
import { deleteExpiredUploads } from '../../src/services/files';
import {
  CreateUploadDocument,
  CurrentOrganizationDocument,
  DeleteFileDocument,
  FileDocument,
  FilesDocument,
  LoginDocument,
  UpdateOrganizationDocument,
} from '../__generated__/graphql';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

// ---- fixtures: real content of each type ----

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 2x2 RGB PNG. */
function png(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
);
const CSV = Buffer.from('name,amount,city\nÅsa Öberg,12.50,Malmö\n"Lee, J.",7.00,Zürich\n', 'utf8');
/** The start of an x86-64 ELF executable (what an .exe/binary renamed to .pdf looks like). */
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(120, 0x01)]);

/** A zip archive of uncompressed entries (enough for an Office Open XML package). */
function zip(entries: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(text);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const officePackage = (part: string, contentType: string, xml: string) =>
  zip([
    [
      '[Content_Types].xml',
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        `<Default Extension="xml" ContentType="application/xml"/><Override PartName="/${part}" ContentType="${contentType}"/></Types>`,
    ],
    [part, xml],
  ]);
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = officePackage('xl/workbook.xml', `${XLSX_MIME}.main+xml`, '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>');
const DOCX = officePackage('word/document.xml', `${DOCX_MIME}.main+xml`, '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>');

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// ---- HTTP helpers ----

/** The signed URL's path and query against this test's server (PUBLIC_URL is not the test port). */
const onTestServer = (url: string) => {
  const u = new URL(url);
  return `http://127.0.0.1:${api.server.port}${u.pathname}${u.search}`;
};

interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json: () => any;
}

interface SendOptions {
  /** Send without Content-Length, in chunks of chunkSize (default 16) bytes. */
  chunked?: boolean;
  chunkSize?: number;
}

function request(method: string, url: string, body?: Buffer, opts: SendOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (body && !opts.chunked) headers['content-length'] = String(body.length);
    const req = http.request(onTestServer(url), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: res.headers, body: all, json: () => JSON.parse(all.toString('utf8')) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body && opts.chunked) {
      // Several chunks with no Content-Length: the server can only count while streaming.
      const size = opts.chunkSize ?? 16;
      for (let i = 0; i < body.length; i += size) req.write(body.subarray(i, i + size));
    } else if (body) {
      req.write(body);
    }
    req.end();
  });
}

const put = (url: string, body: Buffer, opts?: SendOptions) => request('PUT', url, body, opts);
const get = (url: string) => request('GET', url);

async function createUpload(token: string, name: string, mimeType: string, size: number) {
  const res = await api.gql(CreateUploadDocument, { input: { name, mimeType, size } }, token);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.createUpload;
}

async function fileOf(token: string, id: string) {
  const res = await api.gql(FileDocument, { id }, token);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.file;
}

/** Stored objects of one file on disk (every upload attempt gets its own object). */
function storedObjects(orgId: string, fileId: string): string[] {
  const dir = join((api.app.storage as LocalDiskStorage).root, 'orgs', orgId, 'files', fileId);
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function organizationId(token: string): Promise<string> {
  const res = await api.gql(CurrentOrganizationDocument, {}, token);
  return res.data!.organization.id;
}

// ---- tests ----

describe('upload and download through signed URLs', () => {
  const samples: [string, string, Buffer, string][] = [
    ['pixel.png', 'image/png', png(), 'image/png'],
    ['report.pdf', 'application/pdf', PDF, 'application/pdf'],
    ['payouts.csv', 'text/csv', CSV, 'text/csv; charset=utf-8'],
    ['budget.xlsx', XLSX_MIME, XLSX, XLSX_MIME],
    ['letter.docx', DOCX_MIME, DOCX, DOCX_MIME],
    ['settings.json', 'application/json', Buffer.from('{"currency":"EUR","limit":12.5}\n'), 'application/json; charset=utf-8'],
  ];
  for (const [name, mimeType, bytes, contentType] of samples) {
    test(`${mimeType}: stored with its sha256 and size, downloaded byte for byte`, async () => {
      const sales = await api.login('sales', 'acme');
      const created = await createUpload(sales, name, mimeType, bytes.length);
      assert.equal(created.file.status, 'PENDING');
      assert.equal(created.file.downloadUrl, null, 'nothing to download before the bytes arrive');
      assert.ok(created.uploadUrl.includes(`/files/upload/${await organizationId(sales)}/${created.file.id}?expires=`));
      const expiresIn = new Date(created.expiresAt).getTime() - Date.now();
      assert.ok(expiresIn > 14 * 60_000 && expiresIn <= 15 * 60_000, `upload URL lives ~15 min (${expiresIn} ms)`);

      const uploaded = await put(created.uploadUrl, bytes);
      assert.equal(uploaded.status, 200, uploaded.body.toString());
      assert.equal(uploaded.json().file.sha256, sha256(bytes));

      const file = await fileOf(sales, created.file.id);
      assert.equal(file.status, 'READY');
      assert.equal(file.size, bytes.length);
      assert.equal(file.sha256, sha256(bytes));
      assert.equal(file.mimeType, mimeType);
      assert.equal(file.expiresAt, null);
      assert.ok(file.downloadUrl);
      const linkExpires = Number(new URL(file.downloadUrl).searchParams.get('expires')) * 1000 - Date.now();
      assert.ok(linkExpires > 59 * 60_000 && linkExpires <= 60 * 60_000, 'download URL lives one hour');

      const download = await get(file.downloadUrl);
      assert.equal(download.status, 200);
      assert.ok(download.body.equals(bytes), 'downloaded bytes match the upload');
      assert.equal(download.headers['content-type'], contentType);
      assert.equal(download.headers['x-content-type-options'], 'nosniff');
      assert.match(download.headers['content-disposition']!, new RegExp(`^attachment; filename="${name.replace('.', '\\.')}"`));
      assert.equal(download.headers['content-length'], String(bytes.length));
    });
  }

  test('a non-ASCII name is kept and sent both as an ASCII fallback and in UTF-8', async () => {
    const editor = await api.login('editor', 'acme');
    const created = await createUpload(editor, 'C:\\Users\\x\\Übersicht "Q3".csv', 'text/csv', CSV.length);
    assert.equal(created.file.name, 'Übersicht "Q3".csv', 'the path is dropped');
    assert.equal((await put(created.uploadUrl, CSV)).status, 200);
    const download = await get((await fileOf(editor, created.file.id)).downloadUrl!);
    assert.equal(
      download.headers['content-disposition'],
      `attachment; filename="_bersicht _Q3_.csv"; filename*=UTF-8''%C3%9Cbersicht%20%22Q3%22.csv`,
    );
  });

  test('a used upload URL cannot replace the bytes (409)', async () => {
    const sales = await api.login('sales', 'acme');
    const created = await createUpload(sales, 'once.pdf', 'application/pdf', PDF.length);
    assert.equal((await put(created.uploadUrl, PDF)).status, 200);
    const again = await put(created.uploadUrl, PDF);
    assert.equal(again.status, 409);
    assert.equal(again.json().error.code, 'CONFLICT');
  });

  test('the files connection lists the organization’s files and filters by status', async () => {
    const sales = await api.login('sales', 'acme');
    const created = await createUpload(sales, 'listed.pdf', 'application/pdf', PDF.length);
    const pending = await api.gql(FilesDocument, { filter: { status: { eq: 'PENDING' } }, first: 100 }, sales);
    assert.equal(pending.errors, undefined);
    assert.ok(pending.data!.files.edges.some((e) => e.node.id === created.file.id));
    assert.ok(pending.data!.files.edges.every((e) => e.node.status === 'PENDING'));
    await put(created.uploadUrl, PDF);
    const ready = await api.gql(FilesDocument, { filter: { status: { eq: 'READY' } }, first: 100 }, sales);
    assert.ok(ready.data!.files.edges.some((e) => e.node.id === created.file.id));
    assert.equal(ready.data!.files.totalCount, ready.data!.files.edges.length);
    const globex = await api.gql(FilesDocument, { first: 100 }, await api.login('admin', 'globex'));
    assert.ok(!globex.data!.files.edges.some((e) => e.node.id === created.file.id), 'another tenant does not list it');
  });
});

/** The same signature with its first character changed. */
const flipFirst = (signature: string) => `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;

describe('signatures', () => {
  test('an expired or tampered signature is refused with 403', async () => {
    const sales = await api.login('sales', 'acme');
    const created = await createUpload(sales, 'signed.png', 'image/png', png().length);
    const url = new URL(created.uploadUrl);
    const orgId = await organizationId(sales);
    const fileId = created.file.id;

    const past = Math.floor(Date.now() / 1000) - 5;
    const expired = `${url.origin}/files/upload/${orgId}/${fileId}?${signQuery(api.app.fileUrlSecret, { purpose: 'file-upload', parts: [orgId, fileId], expires: past })}`;
    const expiredAnswer = await put(expired, png());
    assert.equal(expiredAnswer.status, 403);
    assert.match(expiredAnswer.json().error.message, /expired/);

    const signature = url.searchParams.get('signature')!;
    const flipped = flipFirst(signature);
    const tampered: string[] = [
      created.uploadUrl.replace(signature, flipped),
      created.uploadUrl.replace(`expires=${url.searchParams.get('expires')}`, `expires=${Number(url.searchParams.get('expires')) + 3600}`),
      created.uploadUrl.replace(`/${orgId}/`, `/${await organizationId(await api.login('admin', 'globex'))}/`),
      created.uploadUrl.replace(fileId, '0190a0a0-0000-7000-8000-000000000000'),
      created.uploadUrl.replace(/&signature=.*/, ''),
      created.uploadUrl.replace('/files/upload/', '/files/download/'),
    ];
    for (const attempt of tampered) {
      const answer = await request(attempt.includes('/download/') ? 'GET' : 'PUT', attempt, attempt.includes('/download/') ? undefined : png());
      assert.equal(answer.status, 403, attempt);
      assert.equal(answer.json().error.code, 'FORBIDDEN');
    }
    assert.equal((await fileOf(sales, fileId)).status, 'PENDING', 'refused requests leave the file untouched');
    assert.equal((await put(created.uploadUrl, png())).status, 200, 'the genuine URL still works');

    const downloadUrl = (await fileOf(sales, fileId)).downloadUrl!;
    const downloadExpired = `${url.origin}/files/download/${orgId}/${fileId}?${signQuery(api.app.fileUrlSecret, { purpose: 'file-download', parts: [orgId, fileId], expires: past })}`;
    assert.equal((await get(downloadExpired)).status, 403);
    const downloadSignature = new URL(downloadUrl).searchParams.get('signature')!;
    assert.equal((await get(downloadUrl.replace(downloadSignature, flipFirst(downloadSignature)))).status, 403);
    assert.equal((await put(downloadUrl.replace('/files/download/', '/files/upload/'), png())).status, 403, 'a download signature does not allow an upload');
  });
});

describe('sizes and quotas', () => {
  test('a file over the per-file quota is refused at createUpload', async () => {
    const sales = await api.login('sales', 'acme');
    const res = await api.gql(CreateUploadDocument, { input: { name: 'big.pdf', mimeType: 'application/pdf', size: 25 * 1024 * 1024 + 1 } }, sales);
    assert.equal(errorCode(res), 'BAD_USER_INPUT');
    assert.equal(res.errors![0].extensions!.field, 'size');
    assert.match(res.errors![0].message, /up to 25 MB/);
    const zero = await api.gql(CreateUploadDocument, { input: { name: 'empty.pdf', mimeType: 'application/pdf', size: 0 } }, sales);
    assert.equal(errorCode(zero), 'BAD_USER_INPUT');
  });

  test('a body larger than declared is refused with 413 (by Content-Length, and while streaming) and the file rejected', async () => {
    const sales = await api.login('sales', 'acme');
    const orgId = await organizationId(sales);
    const bytes = png();
    for (const chunked of [false, true]) {
      const created = await createUpload(sales, 'small.png', 'image/png', bytes.length - 10);
      const answer = await put(created.uploadUrl, bytes, { chunked });
      assert.equal(answer.status, 413, `chunked=${chunked}`);
      assert.equal(answer.json().error.code, 'PAYLOAD_TOO_LARGE');
      const file = await fileOf(sales, created.file.id);
      assert.equal(file.status, 'REJECTED');
      assert.match(file.rejectionReason!, /declared/);
      assert.deepEqual(storedObjects(orgId, created.file.id), [], 'nothing is left in storage');
    }
  });

  test('a streamed body far past the declared size is cut off: 413, nothing stored', async () => {
    const sales = await api.login('sales', 'acme');
    const orgId = await organizationId(sales);
    const created = await createUpload(sales, 'huge.pdf', 'application/pdf', 1000);
    const body = Buffer.concat([PDF, Buffer.alloc(4 * 1024 * 1024, 0x20)]);
    const answer = await put(created.uploadUrl, body, { chunked: true, chunkSize: 64 * 1024 });
    assert.equal(answer.status, 413);
    assert.equal((await fileOf(sales, created.file.id)).status, 'REJECTED');
    assert.deepEqual(storedObjects(orgId, created.file.id), []);
  });

  test('a body shorter than declared is refused with 400', async () => {
    const sales = await api.login('sales', 'acme');
    for (const chunked of [false, true]) {
      const created = await createUpload(sales, 'short.pdf', 'application/pdf', PDF.length + 5);
      const answer = await put(created.uploadUrl, PDF, { chunked });
      assert.equal(answer.status, 400, `chunked=${chunked}`);
      assert.equal((await fileOf(sales, created.file.id)).status, 'REJECTED');
    }
  });

  test('the storage quota counts ready files and reserved uploads; exhausted means CONFLICT with a clear message', async () => {
    const operatorLogin = await api.gql(LoginDocument, { input: { email: 'operator@tessera.test', password: DEMO_PASSWORD } });
    const operator = operatorLogin.data!.login.accessToken;
    const admin = await api.login('admin', 'globex');
    const orgId = await organizationId(admin);
    const quota = await api.gql(UpdateOrganizationDocument, { id: orgId, input: { quotas: { maxStorageGb: 1 } } }, operator);
    assert.equal(quota.errors, undefined, JSON.stringify(quota.errors));

    // 1000 bytes short of 1 GB already stored (a ready row written directly).
    const owner = new Client({ connectionString: api.ownerUrl });
    await owner.connect();
    const { rows } = await owner.query<{ id: string }>("select id from identity_user where email = 'admin@globex.test'");
    await owner.query(
      `insert into files_file (id, created_at, updated_at, organization_id, name, mime_type, declared_mime_type, size, sha256, storage_key, status, uploaded_by_id)
       values (gen_random_uuid(), now(), now(), $1, 'archive.pdf', 'application/pdf', 'application/pdf', $2, $3, 'orgs/x/files/y/z', 'ready', $4)`,
      [orgId, 1024 ** 3 - 1000, '0'.repeat(64), rows[0].id],
    );
    await owner.end();

    const reserved = await createUpload(admin, 'fits.pdf', 'application/pdf', 600);
    const refused = await api.gql(CreateUploadDocument, { input: { name: 'too-much.pdf', mimeType: 'application/pdf', size: 600 } }, admin);
    assert.equal(errorCode(refused), 'CONFLICT');
    assert.equal(refused.errors![0].extensions!.field, 'size');
    assert.match(refused.errors![0].message, /Storage quota exhausted: .* of 1 GB in use/);

    // Deleting the pending reservation frees its room.
    assert.equal((await api.gql(DeleteFileDocument, { id: reserved.file.id }, admin)).data?.deleteFile, true);
    await createUpload(admin, 'now-fits.pdf', 'application/pdf', 600);
  });
});

describe('content checks', () => {
  test('an executable declared as a PDF is rejected with 415', async () => {
    const sales = await api.login('sales', 'acme');
    const orgId = await organizationId(sales);
    const created = await createUpload(sales, 'invoice.pdf', 'application/pdf', ELF.length);
    const answer = await put(created.uploadUrl, ELF);
    assert.equal(answer.status, 415);
    assert.equal(answer.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
    const file = await fileOf(sales, created.file.id);
    assert.equal(file.status, 'REJECTED');
    assert.match(file.rejectionReason!, /application\/x-elf, not application\/pdf/);
    assert.equal(file.downloadUrl, null);
    assert.deepEqual(storedObjects(orgId, created.file.id), []);
  });

  test('a PNG declared as a PDF, binary bytes or invalid UTF-8 declared as CSV are rejected', async () => {
    const sales = await api.login('sales', 'acme');
    const cases: [string, Buffer][] = [
      ['application/pdf', png()],
      [DOCX_MIME, XLSX],
      ['text/csv', Buffer.from('a,b\n1,\u0000\n')],
      ['text/csv', Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xc3, 0x28, 0x0a])],
      ['text/plain', png()],
      ['application/json', ELF],
    ];
    for (const [mimeType, bytes] of cases) {
      const created = await createUpload(sales, 'x', mimeType, bytes.length);
      const answer = await put(created.uploadUrl, bytes);
      assert.equal(answer.status, 415, `${mimeType}: ${answer.body.toString()}`);
    }
  });

  test('only accepted types may be declared', async () => {
    const sales = await api.login('sales', 'acme');
    for (const mimeType of ['application/x-msdownload', 'text/html', 'image/svg+xml', '']) {
      const res = await api.gql(CreateUploadDocument, { input: { name: 'a', mimeType, size: 10 } }, sales);
      assert.equal(errorCode(res), 'BAD_USER_INPUT', mimeType);
    }
    const created = await createUpload(sales, 'a.csv', 'Text/CSV; charset=utf-8', 10);
    assert.equal(created.file.declaredMimeType, 'text/csv', 'declared types are normalised');
  });
});

describe('access', () => {
  test('another tenant’s file id is NOT_FOUND, for reading and deleting', async () => {
    const sales = await api.login('sales', 'acme');
    const created = await createUpload(sales, 'private.pdf', 'application/pdf', PDF.length);
    await put(created.uploadUrl, PDF);
    const globex = await api.login('admin', 'globex');
    const read = await api.gql(FileDocument, { id: created.file.id }, globex);
    assert.equal(errorCode(read), 'NOT_FOUND');
    const del = await api.gql(DeleteFileDocument, { id: created.file.id }, globex);
    assert.equal(errorCode(del), 'NOT_FOUND');
    assert.equal((await fileOf(sales, created.file.id)).status, 'READY');
    assert.equal(errorCode(await api.gql(FileDocument, { id: 'not-an-id' }, sales)), 'BAD_USER_INPUT');
  });

  test('a role without file:write cannot create uploads but reads files; anonymous callers cannot do either', async () => {
    const member = await api.login('member', 'acme');
    const res = await api.gql(CreateUploadDocument, { input: { name: 'a.pdf', mimeType: 'application/pdf', size: 10 } }, member);
    assert.equal(errorCode(res), 'FORBIDDEN');
    const created = await createUpload(await api.login('sales', 'acme'), 'shared.pdf', 'application/pdf', PDF.length);
    assert.equal((await fileOf(member, created.file.id)).name, 'shared.pdf');
    assert.equal(errorCode(await api.gql(DeleteFileDocument, { id: created.file.id }, member)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(FileDocument, { id: created.file.id })), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(CreateUploadDocument, { input: { name: 'a.pdf', mimeType: 'application/pdf', size: 10 } })), 'UNAUTHENTICATED');
    const supervisor = await api.login('supervisor', 'acme');
    assert.equal(errorCode(await api.gql(FileDocument, { id: created.file.id }, supervisor)), 'FORBIDDEN', 'supervisor has no file:read');
  });

  test('deleteFile removes the row and, after commit, the stored bytes; its download URL stops working', async () => {
    const sales = await api.login('sales', 'acme');
    const orgId = await organizationId(sales);
    const created = await createUpload(sales, 'gone.png', 'image/png', png().length);
    await put(created.uploadUrl, png());
    const downloadUrl = (await fileOf(sales, created.file.id)).downloadUrl!;
    assert.equal(storedObjects(orgId, created.file.id).length, 1);
    const admin = await api.login('admin', 'acme');
    const del = await api.gql(DeleteFileDocument, { id: created.file.id }, admin);
    assert.equal(del.data?.deleteFile, true);
    assert.deepEqual(storedObjects(orgId, created.file.id), []);
    assert.equal(errorCode(await api.gql(FileDocument, { id: created.file.id }, sales)), 'NOT_FOUND');
    const answer = await get(downloadUrl);
    assert.equal(answer.status, 404);
  });
});

describe('cleanup', () => {
  test('pending uploads expired past the grace period are deleted per organization, nothing else', async () => {
    const sales = await api.login('sales', 'acme');
    const orgId = await organizationId(sales);
    const stale = await createUpload(sales, 'stale.pdf', 'application/pdf', PDF.length);
    const recent = await createUpload(sales, 'recent.pdf', 'application/pdf', PDF.length);
    const ready = await createUpload(sales, 'kept.pdf', 'application/pdf', PDF.length);
    await put(ready.uploadUrl, PDF);
    const owner = new Client({ connectionString: api.ownerUrl });
    await owner.connect();
    await owner.query(`update files_file set expires_at = now() - interval '2 hours' where id = $1`, [stale.file.id]);
    await owner.query(`update files_file set expires_at = now() - interval '5 minutes' where id = $1`, [recent.file.id]);
    await owner.end();

    const globexCtx = createScopedContext(api.app, { organizationId: await organizationId(await api.login('admin', 'globex')) });
    assert.equal(await deleteExpiredUploads(globexCtx), 0, 'another organization’s run touches nothing here');
    await globexCtx.db.finish(true);
    const ctx = createScopedContext(api.app, { organizationId: orgId });
    assert.equal(await deleteExpiredUploads(ctx), 1);
    await ctx.db.finish(true);

    assert.equal(errorCode(await api.gql(FileDocument, { id: stale.file.id }, sales)), 'NOT_FOUND');
    assert.equal((await fileOf(sales, recent.file.id)).status, 'PENDING', 'still within the grace period');
    assert.equal((await fileOf(sales, ready.file.id)).status, 'READY');
  });
});
