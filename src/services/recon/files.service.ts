/**
 * Reconciliation files: an uploaded File (createUpload + PUT) registered with a type, its
 * content inspected by streaming (header, row count), duplicates detected by SHA-256.
 */
import type { Readable } from 'node:stream';
import { parse as parseSync } from 'csv-parse/sync';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { badInput, DomainError, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { File } from '../../entities/files/file.entity';
import { ReconciliationFile } from '../../entities/recon/reconciliation-file.entity';
import { ReconFileFormat, ReconFileStatus, ReconFileType } from '../../entities/recon/enums';
import { recordAudit } from '../audit';
import { readFileContent } from '../files';
import { looksLikeData, readRowBatches } from './parsing';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface NewReconciliationFile {
  fileId: string;
  type: ReconFileType;
  name?: string | null;
  /** Register a file whose content was registered before (duplicateOf records the first). */
  allowDuplicate?: boolean | null;
}

interface Inspection {
  headers: string[];
  rowCount: number;
  error: string | null;
}

/** CSV: the header from the first lines, the row count from the line breaks (one pass over the bytes). */
async function inspectCsv(body: Readable): Promise<Inspection> {
  const head: Buffer[] = [];
  let headBytes = 0;
  let newlines = 0;
  let lastByte = 0x0a;
  let nonEmpty = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (headBytes < 65536) {
      head.push(chunk);
      headBytes += chunk.length;
    }
    let i = -1;
    while ((i = chunk.indexOf(0x0a, i + 1)) !== -1) newlines++;
    if (chunk.length) {
      lastByte = chunk[chunk.length - 1];
      nonEmpty = true;
    }
  }
  if (!nonEmpty) return { headers: [], rowCount: 0, error: 'The file is empty: no header row' };
  const lines = newlines + (lastByte === 0x0a ? 0 : 1);
  let text = Buffer.concat(head).toString('utf8');
  const cut = text.lastIndexOf('\n');
  if (headBytes >= 65536 && cut > 0) text = text.slice(0, cut);
  let records: string[][];
  try {
    records = parseSync(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, to: 5 });
  } catch (err) {
    return { headers: [], rowCount: 0, error: `The file is not readable as CSV: ${(err as Error).message}` };
  }
  const headers = records[0] ?? [];
  return { headers, rowCount: Math.max(0, lines - 1), error: headerProblem(headers) };
}

async function inspectXlsx(body: Readable): Promise<Inspection> {
  let headers: string[] | null = null;
  let rows = 0;
  try {
    for await (const batch of readRowBatches(body, ReconFileFormat.XLSX)) {
      for (const row of batch) {
        if (!headers) headers = row.cells;
        else if (row.cells.some((c) => c !== '')) rows++;
      }
    }
  } catch (err) {
    return { headers: [], rowCount: 0, error: `The file is not a readable Excel workbook: ${(err as Error).message}` };
  }
  if (!headers) return { headers: [], rowCount: 0, error: 'The workbook is empty: no header row' };
  return { headers, rowCount: rows, error: headerProblem(headers) };
}

function headerProblem(headers: string[]): string | null {
  if (!headers.length || headers.every((h) => !h)) return 'No header row: the first row is blank; it must name the columns';
  const data = headers.filter(looksLikeData);
  if (data.length) {
    return `No header row: the first row looks like data (${data.slice(0, 3).map((d) => `"${d}"`).join(', ')}); it must name the columns`;
  }
  const seen = new Set<string>();
  for (const h of headers) {
    const key = h.toLowerCase();
    if (h && seen.has(key)) return `The header names column "${h}" twice; column names must be unique`;
    seen.add(key);
  }
  return null;
}

/**
 * Registers an uploaded file for reconciliation. The content is read once, streaming; a file
 * without a usable header is registered in status `error` with the reason. Content already
 * registered in this organization is CONFLICT (extensions.duplicateOf) unless allowDuplicate.
 */
export async function createReconciliationFile(ctx: RequestContext, input: NewReconciliationFile): Promise<ReconciliationFile> {
  const organizationId = requireTenant(ctx);
  const viewer = requireViewer(ctx);
  const fileId = assertId('fileId', input.fileId);
  if (!Object.values(ReconFileType).includes(input.type)) throw badInput('type', 'Unknown file type');
  const file = await ctx.loaders.byId<File>(File, fileId);
  if (!file) throw notFound('File', 'fileId');
  if (file.status === 'rejected') {
    const encoding = /UTF-8/i.test(file.rejectionReason ?? '') ? 'Bad encoding: ' : '';
    throw badInput('fileId', `${encoding}the upload was rejected (${file.rejectionReason ?? 'unknown reason'}); save the file as UTF-8 CSV or .xlsx and upload it again`);
  }
  if (file.status !== 'ready' || !file.sha256) throw badInput('fileId', 'The file’s content has not been uploaded yet');
  const format = file.mimeType === XLSX_MIME ? ReconFileFormat.XLSX : file.mimeType === 'text/csv' || file.mimeType === 'text/plain' ? ReconFileFormat.CSV : null;
  if (!format) throw badInput('fileId', `Files of type ${file.mimeType} cannot be reconciled: upload CSV (text/csv) or Excel (.xlsx)`);
  const name = (input.name ?? file.name).trim().slice(0, 255);
  if (!name) throw badInput('name', 'name must not be blank');

  await ctx.db.trx();
  const [earlier] = await ctx.db.em.execute<{ id: string; name: string }[]>(
    'select id, name from recon_file where organization_id = ? and sha256 = ? order by created_at limit 1',
    [organizationId, file.sha256],
  );
  if (earlier && !input.allowDuplicate) {
    throw new DomainError('CONFLICT', `This content was already registered as "${earlier.name}"; pass allowDuplicate to register it again`, {
      field: 'fileId',
      duplicateOf: earlier.id,
    });
  }

  const { body } = await readFileContent(ctx, fileId);
  const inspection = format === ReconFileFormat.CSV ? await inspectCsv(body) : await inspectXlsx(body);

  return ctx.db.transactional(async (em) => {
    const recon = em.create(ReconciliationFile, {
      fileId,
      name,
      type: input.type,
      format,
      size: file.size,
      sha256: file.sha256!,
      duplicateOf: earlier?.id ?? null,
      headers: inspection.headers,
      rowCount: inspection.error ? null : inspection.rowCount,
      status: inspection.error ? ReconFileStatus.ERROR : ReconFileStatus.UPLOADED,
      errorMessage: inspection.error,
      uploadedBy: viewer.userId,
    } as ReconciliationFile);
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'recon.file.create',
      resourceType: 'ReconciliationFile',
      resourceId: recon.id,
      changes: { fileId, name, type: input.type, format, sha256: file.sha256, duplicateOf: earlier?.id ?? null, status: recon.status, error: inspection.error },
    });
    return recon;
  });
}

export async function getReconciliationFile(ctx: RequestContext, id: string): Promise<ReconciliationFile> {
  requireTenant(ctx);
  const file = await ctx.loaders.byId<ReconciliationFile>(ReconciliationFile, assertId('id', id));
  if (!file) throw notFound('ReconciliationFile', 'id');
  return file;
}

export function listReconciliationFiles(ctx: RequestContext, args: ListArgs) {
  requireTenant(ctx);
  return buildConnection<ReconciliationFile>(ctx.db, ReconciliationFile, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
  });
}

/** Deletes a file registration with its normalized rows (not the uploaded File); refused while a run uses it. */
export async function deleteReconciliationFile(ctx: RequestContext, id: string): Promise<boolean> {
  requireTenant(ctx);
  assertId('id', id);
  return ctx.db.transactional(async (em) => {
    const file = await em.findOne(ReconciliationFile, { id });
    if (!file) throw notFound('ReconciliationFile', 'id');
    const [busy] = await em.execute<{ id: string }[]>(
      `select id from recon_job where status in ('pending', 'processing')
         and (source_file_ids @> jsonb_build_array(?::text) or target_file_ids @> jsonb_build_array(?::text)) limit 1`,
      [id, id],
    );
    if (busy) throw new DomainError('CONFLICT', 'A running reconciliation uses this file; cancel it first', { field: 'id' });
    await em.remove(file).flush();
    await recordAudit(ctx, em, { action: 'recon.file.delete', resourceType: 'ReconciliationFile', resourceId: id, changes: { name: file.name } });
    return true;
  });
}
