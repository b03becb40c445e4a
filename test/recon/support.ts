/** Reconciliation test helpers: upload through createUpload + PUT, register, map and normalize. */
import assert from 'node:assert/strict';
import type { TestApi } from '../support/api';
import {
  CreateReconciliationFileDocument,
  CreateUploadDocument,
  ReconciliationFileDocument,
  SaveMappingDocument,
  type ColumnMappingInput,
  type MappingTransformationInput,
  type ReconciliationFileType,
} from '../__generated__/graphql';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A ready File of the token's organization with `content` (createUpload, then PUT on the signed URL). */
export async function uploadFile(api: TestApi, token: string, name: string, content: Buffer, mimeType = 'text/csv'): Promise<{ fileId: string; putStatus: number }> {
  const res = await api.gql(CreateUploadDocument, { input: { name, mimeType, size: content.length } }, token);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const url = new URL(res.data!.createUpload.uploadUrl);
  const put = await fetch(`http://127.0.0.1:${api.server.port}${url.pathname}${url.search}`, { method: 'PUT', body: content });
  await put.arrayBuffer();
  return { fileId: res.data!.createUpload.file.id, putStatus: put.status };
}

export async function registerFile(api: TestApi, token: string, name: string, content: Buffer, type: ReconciliationFileType, opts: { mimeType?: string; allowDuplicate?: boolean } = {}) {
  const { fileId } = await uploadFile(api, token, name, content, opts.mimeType);
  return api.gql(CreateReconciliationFileDocument, { input: { fileId, type, allowDuplicate: opts.allowDuplicate } }, token);
}

/** Saves the mapping, runs the normalization job, returns the file as it then is. */
export async function mapAndNormalize(api: TestApi, token: string, id: string, columns: ColumnMappingInput[], transformation?: MappingTransformationInput) {
  const saved = await api.gql(SaveMappingDocument, { input: { reconciliationFileId: id, columns, transformation } }, token);
  assert.equal(saved.errors, undefined, JSON.stringify(saved.errors));
  await api.drainJobs();
  return (await api.gql(ReconciliationFileDocument, { id }, token)).data!.reconciliationFile;
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000);
export const isoDay = (offset: number) => day(offset).toISOString().slice(0, 10);
/** DD/MM/YYYY */
export const ukDay = (offset: number) => isoDay(offset).split('-').reverse().join('/');

/**
 * The bank statement and settlement file every flow test uses (dates relative to today, D = 3 days ago).
 * Expected with rules exact(reference, amount, date) then range(reference; 1 %, 3 days; groups):
 *  exact: REF001, REF002, REF006 (first copy) -> 3 pairs; range: REF003 (75.00 vs 75.40), REF004 (2 days apart) -> 2 pairs;
 *  many to one: REF005 30 + 70 = 100 -> 1 group of 3 rows. 13 of 18 rows matched.
 *  exceptions: REF006 copy duplicate; REF007 500000 non_settlement (high); REF008 amount_mismatch on both sides (-15 / 15);
 *  REF009 missing_entry (target).
 */
export function bankCsv(): Buffer {
  const D = isoDay(-3);
  return Buffer.from(
    [
      'Txn Date,Reference,Narration,Amount,DR/CR,Currency',
      `${D},REF001,POS purchase REF001,100.00,CR,NGN`,
      `${D},REF002,Transfer REF002,250.50,CR,NGN`,
      `${D},REF003,ATM REF003,75.00,CR,NGN`,
      `${D},REF004,Card REF004,40.00,CR,NGN`,
      `${D},REF005,Split part 1,30.00,CR,NGN`,
      `${D},REF005,Split part 2,70.00,CR,NGN`,
      `${D},REF006,Duplicate,55.00,CR,NGN`,
      `${D},REF006,Duplicate,55.00,CR,NGN`,
      `${D},REF007,Never settled,"500,000.00",CR,NGN`,
      `${D},REF008,Amount off,20.00,CR,NGN`,
    ].join('\n') + '\n',
  );
}

export function settlementCsv(): Buffer {
  const D = ukDay(-3);
  return Buffer.from(
    [
      'Settlement Date,RRN,Amount,Description',
      `${D},REF001,100.00,Settled`,
      `${D},REF002,250.50,Settled`,
      `${D},REF003,75.40,Settled`,
      `${ukDay(-1)},REF004,40.00,Settled`,
      `${D},REF005,100.00,Settled`,
      `${D},REF006,55.00,Settled`,
      `${D},REF008,35.00,Settled`,
      `${ukDay(-1)},REF009,12.00,Unknown`,
    ].join('\n') + '\n',
  );
}

export const BANK_COLUMNS: ColumnMappingInput[] = [
  { sourceColumn: 'Txn Date', targetField: 'DATE' },
  { sourceColumn: 'Reference', targetField: 'REFERENCE' },
  { sourceColumn: 'Narration', targetField: 'DESCRIPTION' },
  { sourceColumn: 'Amount', targetField: 'AMOUNT' },
  { sourceColumn: 'DR/CR', targetField: 'DEBIT_CREDIT' },
  { sourceColumn: 'Currency', targetField: 'CURRENCY' },
];

export const SETTLEMENT_COLUMNS: ColumnMappingInput[] = [
  { sourceColumn: 'Settlement Date', targetField: 'DATE' },
  { sourceColumn: 'RRN', targetField: 'REFERENCE' },
  { sourceColumn: 'Amount', targetField: 'AMOUNT' },
  { sourceColumn: 'Description', targetField: 'DESCRIPTION' },
];
