/**
 * Mappings: suggestMapping proposes a target field for every column from its name and sampled
 * values; saveMapping stores the (confirmed or edited) mapping and queues the normalization,
 * which streams the file into recon_row with COPY.
 */
import { once } from 'node:events';
import type { Knex } from '@mikro-orm/postgresql';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireTenantScope, requireViewer } from '../../core/context/request-context';
import { badInput, DomainError, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { enqueueJob } from '../../core/jobs';
import { normalizeReconciliationFileJob } from '../../jobs';
import { ColumnMapping, DataMapping, MappingTransformation } from '../../entities/recon/data-mapping.entity';
import { MappingDataType, ReconFileStatus, TargetField } from '../../entities/recon/enums';
import { ReconciliationFile } from '../../entities/recon/reconciliation-file.entity';
import { RowDirection } from '../../entities/recon/recon-row.entity';
import { recordAudit } from '../audit';
import { readFileContent } from '../files';
import { DATE_FORMATS, parseAmount, parseDate, readRowBatches, UnreadableFile, type NumberFormat } from './parsing';
import { jobAuditScope, trimText } from './shared';
import { getReconciliationFile } from './files.service';

export interface MappingSuggestion {
  columns: ColumnMapping[];
  transformation: MappingTransformation;
}

const NAME_HINTS: [TargetField, RegExp][] = [
  [TargetField.VALUE_DATE, /value.?date|val.?dt|effective/i],
  [TargetField.DATE, /(^|[^a-z])(date|txn.?dt|trans.*date|posting|booking|tran.?date|dt)([^a-z]|$)|date/i],
  [TargetField.DEBIT_CREDIT, /^(dr.?\/?.?cr|d\/?c|debit.?credit|cr.?dr|direction|sign|type.?dr)$|dr\/cr|debit\/credit/i],
  [TargetField.AMOUNT, /amount|amt|value|sum|total|debit|credit/i],
  [TargetField.REFERENCE, /ref|rrn|stan|trace|txn.?id|transaction.?id|receipt|document|doc.?no|id$/i],
  [TargetField.DESCRIPTION, /desc|narration|narrative|details|memo|remark|particulars|text/i],
  [TargetField.CURRENCY, /^(ccy|cur|currency|curr)$|currency/i],
  [TargetField.CHANNEL, /channel|source|terminal|merchant|pos|atm|scheme/i],
];

const DEFAULT_TRANSFORMATION: MappingTransformation = {
  dateFormat: 'YYYY-MM-DD',
  decimalSeparator: '.',
  thousandsSeparator: ',',
  debitValues: ['D', 'DR', 'DEBIT'],
  referencePattern: null,
  defaultCurrency: null,
};

const SAMPLE_ROWS = 200;

/** The first rows of a file (header excluded). */
async function sampleRows(ctx: RequestContext, file: ReconciliationFile): Promise<string[][]> {
  if (!file.fileId) throw new DomainError('CONFLICT', 'The uploaded file was deleted', { field: 'id' });
  const { body } = await readFileContent(ctx, file.fileId);
  const rows: string[][] = [];
  try {
    sample: for await (const batch of readRowBatches(body, file.format)) {
      for (const row of batch) {
        if (row.rowNumber === 1) continue;
        rows.push(row.cells);
        if (rows.length >= SAMPLE_ROWS) break sample;
      }
    }
  } finally {
    body.destroy();
  }
  return rows;
}

function detectNumberFormat(values: string[]): NumberFormat {
  // "1.234,56" / "12,50": comma decimals; otherwise dot decimals.
  const commaDecimal = values.filter((v) => /,\d{1,2}$/.test(v) && !/\.\d{1,2}$/.test(v)).length;
  const dotDecimal = values.filter((v) => /\.\d{1,2}$/.test(v)).length;
  return commaDecimal > dotDecimal ? { decimalSeparator: ',', thousandsSeparator: '.' } : { decimalSeparator: '.', thousandsSeparator: ',' };
}

function detectDateFormat(values: string[]): string | null {
  let best: string | null = null;
  let bestHits = 0;
  for (const f of DATE_FORMATS) {
    const hits = values.filter((v) => parseDate(v, f) !== null).length;
    if (hits > bestHits) {
      best = f;
      bestHits = hits;
    }
  }
  return best && bestHits >= Math.max(1, values.length * 0.8) ? best : null;
}

/** Proposes a mapping for a file from its header names and sampled values; nothing is saved. */
export async function suggestMapping(ctx: RequestContext, id: string): Promise<MappingSuggestion> {
  const file = await getReconciliationFile(ctx, id);
  if (!file.headers.length) throw new DomainError('CONFLICT', 'The file has no header row to map', { field: 'id' });
  const rows = await sampleRows(ctx, file);
  const columnValues = file.headers.map((_, i) => rows.map((r) => r[i] ?? '').filter((v) => v !== ''));
  const numberFormat = detectNumberFormat(columnValues.flat());
  const transformation: MappingTransformation = { ...DEFAULT_TRANSFORMATION, ...numberFormat };
  const taken = new Set<TargetField>();
  const columns: ColumnMapping[] = [];
  const candidates = file.headers.map((header, i) => {
    const values = columnValues[i];
    const numeric = values.length > 0 && values.every((v) => parseAmount(v, numberFormat) !== null);
    const dateFormat = values.length ? detectDateFormat(values) : null;
    const byName = NAME_HINTS.find(([, re]) => re.test(header))?.[0] ?? null;
    const dc = values.length > 0 && values.every((v) => /^(d|c|dr|cr|debit|credit)$/i.test(v));
    const currency = values.length > 0 && values.every((v) => /^[A-Z]{3}$/.test(v));
    let target: TargetField = TargetField.IGNORE;
    let confidence = 0.2;
    let dataType = MappingDataType.STRING;
    if (dc) {
      target = TargetField.DEBIT_CREDIT;
      confidence = byName === TargetField.DEBIT_CREDIT ? 0.95 : 0.7;
    } else if (dateFormat) {
      target = byName === TargetField.VALUE_DATE ? TargetField.VALUE_DATE : TargetField.DATE;
      dataType = MappingDataType.DATE;
      confidence = byName === TargetField.DATE || byName === TargetField.VALUE_DATE ? 0.95 : 0.6;
      if (!taken.has(TargetField.DATE) && target === TargetField.DATE) transformation.dateFormat = dateFormat;
    } else if (currency) {
      target = TargetField.CURRENCY;
      dataType = MappingDataType.CURRENCY;
      confidence = byName === TargetField.CURRENCY ? 0.95 : 0.7;
    } else if (numeric && byName === TargetField.AMOUNT) {
      target = TargetField.AMOUNT;
      dataType = MappingDataType.NUMBER;
      confidence = 0.95;
    } else if (byName && byName !== TargetField.AMOUNT && byName !== TargetField.DATE && byName !== TargetField.VALUE_DATE) {
      target = byName;
      confidence = 0.8;
    } else if (numeric) {
      target = TargetField.AMOUNT;
      dataType = MappingDataType.NUMBER;
      confidence = 0.5;
    }
    return { header, target, confidence, dataType };
  });
  // One column per target field: the most confident wins, the others are ignored.
  const order = [...candidates.keys()].sort((a, b) => candidates[b].confidence - candidates[a].confidence);
  const chosen = new Map<number, TargetField>();
  for (const i of order) {
    const t = candidates[i].target;
    if (t !== TargetField.IGNORE && taken.has(t)) continue;
    taken.add(t);
    chosen.set(i, t);
  }
  candidates.forEach((c, i) => {
    const target = chosen.get(i) ?? TargetField.IGNORE;
    columns.push({
      sourceColumn: c.header,
      targetField: target,
      dataType: target === TargetField.IGNORE ? MappingDataType.STRING : c.dataType,
      autoDetected: true,
      confidence: target === c.target ? c.confidence : 0.2,
    });
  });
  return { columns, transformation };
}

export interface ColumnMappingInput {
  sourceColumn: string;
  targetField: TargetField;
  dataType?: MappingDataType | null;
  autoDetected?: boolean | null;
  confidence?: number | null;
}

export interface SaveMappingInput {
  reconciliationFileId: string;
  columns: ColumnMappingInput[];
  transformation?: Partial<MappingTransformation> | null;
}

const DEFAULT_TYPE: Record<TargetField, MappingDataType> = {
  [TargetField.AMOUNT]: MappingDataType.NUMBER,
  [TargetField.DATE]: MappingDataType.DATE,
  [TargetField.VALUE_DATE]: MappingDataType.DATE,
  [TargetField.REFERENCE]: MappingDataType.STRING,
  [TargetField.DESCRIPTION]: MappingDataType.STRING,
  [TargetField.CURRENCY]: MappingDataType.CURRENCY,
  [TargetField.CHANNEL]: MappingDataType.STRING,
  [TargetField.DEBIT_CREDIT]: MappingDataType.STRING,
  [TargetField.IGNORE]: MappingDataType.STRING,
};

function validateTransformation(input: Partial<MappingTransformation> | null | undefined): MappingTransformation {
  const t: MappingTransformation = { ...DEFAULT_TRANSFORMATION, ...(input ?? {}) };
  if (!(DATE_FORMATS as readonly string[]).includes(t.dateFormat)) {
    throw badInput('transformation.dateFormat', `dateFormat must be one of ${DATE_FORMATS.join(', ')}`);
  }
  if (!['.', ','].includes(t.decimalSeparator)) throw badInput('transformation.decimalSeparator', 'decimalSeparator must be . or ,');
  if (!['', ',', '.', ' ', "'"].includes(t.thousandsSeparator) || t.thousandsSeparator === t.decimalSeparator) {
    throw badInput('transformation.thousandsSeparator', 'thousandsSeparator must be one of , . space \' or empty, and differ from the decimal separator');
  }
  t.debitValues = (t.debitValues ?? []).map((v) => v.trim().toUpperCase()).filter(Boolean).slice(0, 20);
  if (t.referencePattern) {
    if (t.referencePattern.length > 200) throw badInput('transformation.referencePattern', 'referencePattern must be at most 200 characters');
    try {
      new RegExp(t.referencePattern);
    } catch {
      throw badInput('transformation.referencePattern', 'referencePattern is not a valid regular expression');
    }
  } else {
    t.referencePattern = null;
  }
  if (t.defaultCurrency && !/^[A-Z]{3}$/.test(t.defaultCurrency)) throw badInput('transformation.defaultCurrency', 'defaultCurrency must be an ISO 4217 code');
  t.defaultCurrency = t.defaultCurrency ?? null;
  return t;
}

/** Payload of the normalize-reconciliation-file job. */
export interface NormalizePayload {
  reconciliationFileId: string;
}

/**
 * Saves the mapping of a file (replacing any earlier one), marks the file mapped and queues its
 * normalization. Each target field (but ignore) takes one column; amount is required.
 */
export async function saveMapping(ctx: RequestContext, input: SaveMappingInput): Promise<ReconciliationFile> {
  requireTenant(ctx);
  const viewer = requireViewer(ctx);
  const id = assertId('reconciliationFileId', input.reconciliationFileId);
  const transformation = validateTransformation(input.transformation);
  return ctx.db.transactional(async (em) => {
    const file = await em.findOne(ReconciliationFile, { id }, { lockMode: 4 /* pessimistic write */ });
    if (!file) throw notFound('ReconciliationFile', 'reconciliationFileId');
    if (!file.headers.length) throw new DomainError('CONFLICT', `The file cannot be mapped: ${file.errorMessage ?? 'it has no header row'}`, { field: 'reconciliationFileId' });
    if (file.status === ReconFileStatus.PROCESSED) throw new DomainError('CONFLICT', 'The file was reconciled already; register it again to remap it', { field: 'reconciliationFileId' });
    const headers = new Set(file.headers);
    const targets = new Set<TargetField>();
    const columns: ColumnMapping[] = input.columns.map((c, i) => {
      if (!headers.has(c.sourceColumn)) throw badInput(`columns.${i}.sourceColumn`, `The file has no column "${c.sourceColumn}"`);
      if (c.targetField !== TargetField.IGNORE) {
        if (targets.has(c.targetField)) throw badInput(`columns.${i}.targetField`, `Two columns map to ${c.targetField}`);
        targets.add(c.targetField);
      }
      const confidence = c.confidence ?? 1;
      if (!(confidence >= 0 && confidence <= 1)) throw badInput(`columns.${i}.confidence`, 'confidence must be between 0 and 1');
      return {
        sourceColumn: c.sourceColumn,
        targetField: c.targetField,
        dataType: c.dataType ?? DEFAULT_TYPE[c.targetField],
        autoDetected: c.autoDetected ?? false,
        confidence,
      };
    });
    if (!targets.has(TargetField.AMOUNT)) throw badInput('columns', 'One column must map to amount');
    if (!targets.has(TargetField.REFERENCE) && !targets.has(TargetField.DATE) && !transformation.referencePattern) {
      throw badInput('columns', 'Map a reference or a date column (or extract the reference with transformation.referencePattern)');
    }
    let mapping = await em.findOne(DataMapping, { reconciliationFileId: id });
    const before = mapping ? { columns: mapping.columns, transformation: mapping.transformation } : null;
    if (!mapping) {
      mapping = em.create(DataMapping, { reconciliationFileId: id, columns, transformation } as DataMapping);
    } else {
      mapping.columns = columns;
      mapping.transformation = transformation;
    }
    mapping.confirmedBy = viewer.userId;
    mapping.confirmedAt = new Date();
    file.status = ReconFileStatus.MAPPED;
    file.errorMessage = null;
    await em.flush();
    const job = enqueueJob(ctx, normalizeReconciliationFileJob, { reconciliationFileId: id }, { key: `${id}:${mapping.confirmedAt.toISOString()}` });
    file.normalizationJobId = job.id;
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'recon.mapping.save',
      resourceType: 'ReconciliationFile',
      resourceId: id,
      changes: { before, after: { columns, transformation } },
    });
    return file;
  });
}

export async function getMapping(ctx: RequestContext, reconciliationFileId: string): Promise<DataMapping | null> {
  requireTenant(ctx);
  const rows = await ctx.loaders.manyBy<DataMapping>(DataMapping, 'reconciliationFileId', reconciliationFileId);
  return rows[0] ?? null;
}

// ---- normalization (the job's work) ----

class RowProblem extends Error {}

/**
 * COPY FROM is refused on tables under row-level security, so rows are copied into a temporary
 * table of the transaction (text format, streamed from the parser), then moved into recon_row in
 * one insert ... select that the tenant policy checks.
 */
const LOAD_TABLE_SQL = `create temp table recon_row_load (row_number int, amount numeric(18,2), date date, value_date date, reference text,
  description text, currency text, channel text, direction recon_row_direction) on commit drop`;
const COPY_SQL = 'copy recon_row_load from stdin';
const MOVE_SQL = `insert into recon_row (organization_id, file_id, row_number, amount, date, value_date, reference, description, currency, channel, direction)
  select ?::uuid, ?::uuid, * from recon_row_load`;
/** Bytes of COPY text handed to the stream at a time. */
const CHUNK = 256 * 1024;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
/** A value in COPY text format (null as \N; backslash, tab and line breaks escaped). */
function copyText(v: string | null): string {
  if (v === null) return '\\N';
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * Streams the file through its mapping into recon_row: COPY into a temporary table while the file
 * is parsed (backpressure keeps memory flat), then one insert ... select. All or nothing: a bad value stops it, leaves no rows and puts the
 * file in error with the row number. Running it again (a retried job) replaces the rows.
 */
export async function normalizeReconciliationFile(ctx: RequestContext, payload: NormalizePayload, progress?: (pct: number) => Promise<void>): Promise<{ rows: number; status: string }> {
  const organizationId = requireTenantScope(ctx);
  const id = payload.reconciliationFileId;
  await ctx.db.trx();
  const em0 = ctx.db.em;
  const file = await em0.findOne(ReconciliationFile, { id });
  if (!file) return { rows: 0, status: 'gone' };
  if (file.status !== ReconFileStatus.MAPPED) return { rows: file.rowCount ?? 0, status: file.status };
  const mapping = await em0.findOne(DataMapping, { reconciliationFileId: id });
  if (!mapping || !file.fileId) return { rows: 0, status: 'unmapped' };
  const t = mapping.transformation;
  const index = (target: TargetField) => {
    const col = mapping.columns.find((c) => c.targetField === target);
    return col ? file.headers.indexOf(col.sourceColumn) : -1;
  };
  const [iAmount, iDate, iValueDate, iRef, iDesc, iCcy, iChannel, iDc] = [
    TargetField.AMOUNT, TargetField.DATE, TargetField.VALUE_DATE, TargetField.REFERENCE, TargetField.DESCRIPTION, TargetField.CURRENCY, TargetField.CHANNEL, TargetField.DEBIT_CREDIT,
  ].map(index);
  const debit = new Set(t.debitValues.map((v) => v.toUpperCase()));
  const refPattern = t.referencePattern ? new RegExp(t.referencePattern) : null;
  const fmt: NumberFormat = { decimalSeparator: t.decimalSeparator, thousandsSeparator: t.thousandsSeparator };
  const expected = file.rowCount ?? 0;

  let count = 0;
  try {
    count = await ctx.db.transactional(async (em) => {
      await em.execute('delete from recon_row where file_id = ?', [id]);
      await em.execute('drop table if exists pg_temp.recon_row_load');
      await em.execute(LOAD_TABLE_SQL);
      const trx = em.getTransactionContext<Knex.Transaction>()!;
      const conn = (await trx.client.acquireConnection()) as PoolClient;
      const { body } = await readFileContent(ctx, file.fileId!);
      const copy = conn.query(copyFrom(COPY_SQL));
      let copyError: Error | null = null;
      copy.on('error', (err: Error) => {
        copyError ??= err;
      });
      let buffer = '';
      let n = 0;
      let lastReport = 0;
      const flush = async () => {
        if (copyError) throw copyError;
        const chunk = buffer;
        buffer = '';
        if (!copy.write(chunk)) await Promise.race([once(copy, 'drain'), once(copy, 'error')]);
        if (progress && expected && n - lastReport >= expected / 20) {
          lastReport = n;
          await progress(Math.min(99, (n / expected) * 100));
        }
      };
      try {
        for await (const batch of readRowBatches(body, file.format)) for (const row of batch) {
          if (row.rowNumber === 1) continue;
          const c = row.cells;
          if (c.every((v) => v === '')) continue;
          const rawAmount = c[iAmount] ?? '';
          let amount = parseAmount(rawAmount, fmt);
          if (amount === null) throw new RowProblem(`Row ${row.rowNumber}: amount "${rawAmount.slice(0, 40)}" is not a number`);
          let direction: RowDirection | null = null;
          if (iDc >= 0) {
            const dc = (c[iDc] ?? '').toUpperCase();
            direction = debit.has(dc) ? RowDirection.DEBIT : RowDirection.CREDIT;
            if (direction === RowDirection.DEBIT && !amount.startsWith('-')) amount = `-${amount}`;
          }
          let date: string | null = null;
          if (iDate >= 0 && c[iDate]) {
            date = parseDate(c[iDate], t.dateFormat);
            if (!date) throw new RowProblem(`Row ${row.rowNumber}: date "${c[iDate].slice(0, 40)}" does not match ${t.dateFormat}`);
          }
          let valueDate: string | null = null;
          if (iValueDate >= 0 && c[iValueDate]) {
            valueDate = parseDate(c[iValueDate], t.dateFormat);
            if (!valueDate) throw new RowProblem(`Row ${row.rowNumber}: value date "${c[iValueDate].slice(0, 40)}" does not match ${t.dateFormat}`);
          }
          const description = iDesc >= 0 ? trimText(c[iDesc], 1000) : null;
          let reference = iRef >= 0 ? trimText(c[iRef], 200) : null;
          if (!reference && refPattern && description) {
            const m = refPattern.exec(description);
            if (m) reference = trimText(m[1] ?? m[0], 200);
          }
          const currency = iCcy >= 0 ? trimText(c[iCcy], 3)?.toUpperCase() ?? t.defaultCurrency ?? null : t.defaultCurrency ?? null;
          const channel = iChannel >= 0 ? trimText(c[iChannel], 100) : null;
          buffer += `${row.rowNumber}\t${amount}\t${copyText(date)}\t${copyText(valueDate)}\t${copyText(reference)}\t${copyText(description)}\t${copyText(currency)}\t${copyText(channel)}\t${copyText(direction)}\n`;
          n++;
          if (buffer.length >= CHUNK) await flush();
        }
        if (buffer.length) await flush();
        const finished = once(copy, 'finish');
        copy.end();
        await Promise.race([finished, once(copy, 'error').then(([err]) => Promise.reject(err as Error))]);
        if (copyError) throw copyError;
      } catch (err) {
        // CopyFail: the server ends the COPY, the savepoint rolls back, the connection stays usable.
        if (!copy.destroyed) {
          const closed = once(copy, 'close').catch(() => undefined);
          copy.destroy(err as Error);
          await closed;
        }
        throw err;
      } finally {
        body.destroy();
      }
      if (n > 0) {
        await em.execute(MOVE_SQL, [organizationId, id]);
        // Planner statistics that count these rows (ours, uncommitted, are sampled as live): runs
        // over fresh files are then planned with hash joins (see the recon_analyze_rows migration).
        await em.execute('select recon_analyze_rows()');
      }
      await em.execute('drop table if exists pg_temp.recon_row_load');
      if (n === 0) throw new RowProblem('The file has a header but no data rows');
      await em.execute(
        `update recon_file set status = 'normalized', row_count = ?, normalized_at = now(), error_message = null, updated_at = now() where id = ?`,
        [n, id],
      );
      await recordAudit(ctx, em, { ...jobAuditScope(ctx), action: 'recon.file.normalize', resourceType: 'ReconciliationFile', resourceId: id, changes: { rows: n } });
      return n;
    });
  } catch (err) {
    if (!(err instanceof RowProblem) && !(err instanceof UnreadableFile)) throw err;
    const message = err.message;
    await ctx.db.transactional(async (em) => {
      await em.execute(`update recon_file set status = 'error', error_message = ?, updated_at = now() where id = ?`, [message, id]);
      await recordAudit(ctx, em, { ...jobAuditScope(ctx), action: 'recon.file.normalize_failed', resourceType: 'ReconciliationFile', resourceId: id, changes: { error: message } });
    });
    return { rows: 0, status: 'error' };
  }
  return { rows: count, status: 'normalized' };
}
