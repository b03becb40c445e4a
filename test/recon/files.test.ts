/**
 * Reconciliation files through GraphQL: upload (createUpload + PUT), registration with header
 * check and row count, duplicate detection, suggested mapping, normalization into rows, and the
 * malformed files users send (no header, bad encoding, an amount that is not a number).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { startTestApi, errorCode, type TestApi } from '../support/api';
import {
  CreateReconciliationFileDocument,
  DeleteReconciliationFileDocument,
  ReconciliationFilesDocument,
  SaveMappingDocument,
  SuggestMappingDocument,
} from '../__generated__/graphql';
import { BANK_COLUMNS, bankCsv, mapAndNormalize, registerFile, SETTLEMENT_COLUMNS, settlementCsv, XLSX_MIME } from './support';

let api: TestApi;
let analyst: string;
before(async () => {
  api = await startTestApi({ workers: true });
  analyst = await api.login('analyst', 'acme');
});
after(() => api.close());

async function xlsx(rows: (string | number | Date)[][]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out });
  const sheet = wb.addWorksheet('Statement');
  for (const r of rows) sheet.addRow(r).commit();
  sheet.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

describe('registering files', () => {
  test('a CSV file: header, row count, checksum, then a suggested mapping and normalized rows', async () => {
    const content = bankCsv();
    const res = await registerFile(api, analyst, 'bank.csv', content, 'BANK');
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const file = res.data!.createReconciliationFile;
    assert.equal(file.status, 'UPLOADED');
    assert.equal(file.format, 'CSV');
    assert.equal(file.rowCount, 10);
    assert.equal(file.sha256, createHash('sha256').update(content).digest('hex'));
    assert.deepEqual(file.headers, ['Txn Date', 'Reference', 'Narration', 'Amount', 'DR/CR', 'Currency']);

    const suggestion = (await api.gql(SuggestMappingDocument, { fileId: file.id }, analyst)).data!.suggestMapping;
    const target = Object.fromEntries(suggestion.columns.map((c) => [c.sourceColumn, c.targetField]));
    assert.deepEqual(target, { 'Txn Date': 'DATE', Reference: 'REFERENCE', Narration: 'DESCRIPTION', Amount: 'AMOUNT', 'DR/CR': 'DEBIT_CREDIT', Currency: 'CURRENCY' });
    for (const c of suggestion.columns) assert.ok(c.confidence > 0.5 && c.confidence <= 1 && c.autoDetected);
    assert.equal(suggestion.transformation.dateFormat, 'YYYY-MM-DD');
    assert.equal(suggestion.transformation.decimalSeparator, '.');

    const normalized = await mapAndNormalize(api, analyst, file.id, BANK_COLUMNS);
    assert.equal(normalized.status, 'NORMALIZED', normalized.errorMessage ?? '');
    assert.equal(normalized.rowCount, 10);
    assert.equal(normalized.mapping!.columns.length, 6);
    const rows = await api.sql<{ row_number: number; amount: string; reference: string; currency: string; direction: string }>(
      'select row_number, amount::text, reference, currency, direction from recon_row where file_id = $1 order by row_number',
      [file.id],
    );
    assert.equal(rows.length, 10);
    assert.deepEqual(rows[0], { row_number: 2, amount: '100.00', reference: 'REF001', currency: 'NGN', direction: 'credit' });
    // "500,000.00" with the thousands separator.
    assert.equal(rows.find((r) => r.reference === 'REF007')!.amount, '500000.00');
  });

  test('the same content twice is CONFLICT with duplicateOf, unless allowDuplicate', async () => {
    const content = Buffer.from('Date,Ref,Amount\n2026-01-02,X1,5.00\n');
    const first = (await registerFile(api, analyst, 'one.csv', content, 'GL')).data!.createReconciliationFile;
    const again = await registerFile(api, analyst, 'one-again.csv', content, 'GL');
    assert.equal(errorCode(again), 'CONFLICT');
    assert.equal(again.errors![0].extensions!.duplicateOf, first.id);
    assert.equal(again.errors![0].extensions!.field, 'fileId');
    const forced = await registerFile(api, analyst, 'one-again.csv', content, 'GL', { allowDuplicate: true });
    assert.equal(forced.data!.createReconciliationFile.duplicateOf, first.id);
  });

  test('comma decimals, debit/credit signs, a reference extracted from the narrative, DD.MM.YYYY dates', async () => {
    // Commas separate the fields here, so the amounts are quoted.
    const csv = Buffer.from('Datum,Text,Betrag,S/H\n02.01.2026,Zahlung RRN:77881 Lieferant,"1.234,50",D\n03.01.2026,Gutschrift RRN:77882,"10,00",C\n');
    const file = (await registerFile(api, analyst, 'de.csv', csv, 'BANK')).data!.createReconciliationFile;
    const normalized = await mapAndNormalize(
      api,
      analyst,
      file.id,
      [
        { sourceColumn: 'Datum', targetField: 'DATE' },
        { sourceColumn: 'Text', targetField: 'DESCRIPTION' },
        { sourceColumn: 'Betrag', targetField: 'AMOUNT' },
        { sourceColumn: 'S/H', targetField: 'DEBIT_CREDIT' },
      ],
      { dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', thousandsSeparator: '.', debitValues: ['D'], referencePattern: 'RRN:([0-9]+)', defaultCurrency: 'EUR' },
    );
    assert.equal(normalized.status, 'NORMALIZED', normalized.errorMessage ?? '');
    const rows = await api.sql('select amount::text, to_char(date, \'YYYY-MM-DD\') as date, reference, currency, direction from recon_row where file_id = $1 order by row_number', [file.id]);
    assert.deepEqual(rows, [
      { amount: '-1234.50', date: '2026-01-02', reference: '77881', currency: 'EUR', direction: 'debit' },
      { amount: '10.00', date: '2026-01-03', reference: '77882', currency: 'EUR', direction: 'credit' },
    ]);
  });

  test('an Excel workbook is read with the streaming reader', async () => {
    const content = await xlsx([
      ['Value Date', 'RRN', 'Amount'],
      [new Date(Date.UTC(2026, 0, 5)), 'X-1', 12.5],
      [new Date(Date.UTC(2026, 0, 6)), 'X-2', 7],
    ]);
    const res = await registerFile(api, analyst, 'switch.xlsx', content, 'SWITCH', { mimeType: XLSX_MIME });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const file = res.data!.createReconciliationFile;
    assert.equal(file.format, 'XLSX');
    assert.equal(file.rowCount, 2);
    const suggestion = (await api.gql(SuggestMappingDocument, { fileId: file.id }, analyst)).data!.suggestMapping;
    assert.deepEqual(suggestion.columns.map((c) => c.targetField), ['VALUE_DATE', 'REFERENCE', 'AMOUNT']);
    const normalized = await mapAndNormalize(api, analyst, file.id, [
      { sourceColumn: 'Value Date', targetField: 'DATE' },
      { sourceColumn: 'RRN', targetField: 'REFERENCE' },
      { sourceColumn: 'Amount', targetField: 'AMOUNT' },
    ]);
    assert.equal(normalized.status, 'NORMALIZED', normalized.errorMessage ?? '');
    const rows = await api.sql('select amount::text, to_char(date, \'YYYY-MM-DD\') as date, reference from recon_row where file_id = $1 order by row_number', [file.id]);
    assert.deepEqual(rows, [
      { amount: '12.50', date: '2026-01-05', reference: 'X-1' },
      { amount: '7.00', date: '2026-01-06', reference: 'X-2' },
    ]);
  });

  test('settlement file with DD/MM/YYYY dates is suggested and normalized', async () => {
    const file = (await registerFile(api, analyst, 'settlement.csv', settlementCsv(), 'SETTLEMENT')).data!.createReconciliationFile;
    const suggestion = (await api.gql(SuggestMappingDocument, { fileId: file.id }, analyst)).data!.suggestMapping;
    assert.equal(suggestion.transformation.dateFormat, 'DD/MM/YYYY');
    const normalized = await mapAndNormalize(api, analyst, file.id, SETTLEMENT_COLUMNS, { dateFormat: 'DD/MM/YYYY' });
    assert.equal(normalized.status, 'NORMALIZED');
    assert.equal(normalized.rowCount, 8);
  });
});

describe('malformed files', () => {
  test('no header row: registered in error with the reason', async () => {
    const res = await registerFile(api, analyst, 'noheader.csv', Buffer.from('2026-01-01,REF1,10.00\n2026-01-02,REF2,11.00\n'), 'BANK');
    const file = res.data!.createReconciliationFile;
    assert.equal(file.status, 'ERROR');
    assert.match(file.errorMessage!, /^No header row: the first row looks like data \("2026-01-01", "10.00"\)/);
    assert.equal(file.rowCount, null);
  });

  test('bad encoding (not UTF-8): BAD_USER_INPUT on fileId saying so', async () => {
    const latin1 = Buffer.from('Date,Ref,Amount\n2026-01-01,Caf\xe9,1.00\n', 'latin1');
    const res = await registerFile(api, analyst, 'latin1.csv', latin1, 'BANK');
    assert.equal(errorCode(res), 'BAD_USER_INPUT');
    assert.equal(res.errors![0].extensions!.field, 'fileId');
    assert.match(res.errors![0].message, /^Bad encoding: .*UTF-8/);
  });

  test('an amount that is not a number: the file goes to error naming the row, no rows kept', async () => {
    const csv = Buffer.from('Date,Ref,Amount\n2026-01-01,A1,10.00\n2026-01-02,A2,12.x4\n2026-01-03,A3,1.00\n');
    const file = (await registerFile(api, analyst, 'badamount.csv', csv, 'BANK')).data!.createReconciliationFile;
    const after = await mapAndNormalize(api, analyst, file.id, [
      { sourceColumn: 'Date', targetField: 'DATE' },
      { sourceColumn: 'Ref', targetField: 'REFERENCE' },
      { sourceColumn: 'Amount', targetField: 'AMOUNT' },
    ]);
    assert.equal(after.status, 'ERROR');
    assert.equal(after.errorMessage, 'Row 3: amount "12.x4" is not a number');
    assert.deepEqual(await api.sql('select id from recon_row where file_id = $1', [file.id]), []);
  });

  test('a date that does not match the declared format names the row', async () => {
    const csv = Buffer.from('Date,Ref,Amount\n01/02/2026,A1,10.00\n31/02/2026,A2,12.00\n');
    const file = (await registerFile(api, analyst, 'baddate.csv', csv, 'BANK')).data!.createReconciliationFile;
    const after = await mapAndNormalize(api, analyst, file.id, [
      { sourceColumn: 'Date', targetField: 'DATE' },
      { sourceColumn: 'Ref', targetField: 'REFERENCE' },
      { sourceColumn: 'Amount', targetField: 'AMOUNT' },
    ], { dateFormat: 'DD/MM/YYYY' });
    assert.equal(after.status, 'ERROR');
    assert.equal(after.errorMessage, 'Row 3: date "31/02/2026" does not match DD/MM/YYYY');
  });

  test('mapping refusals: unknown column, two columns on one field, no amount', async () => {
    const file = (await registerFile(api, analyst, 'm.csv', Buffer.from('D,R,A\n2026-01-01,x,1\n'), 'GL')).data!.createReconciliationFile;
    const save = (columns: { sourceColumn: string; targetField: 'DATE' | 'REFERENCE' | 'AMOUNT' }[]) =>
      api.gql(SaveMappingDocument, { input: { reconciliationFileId: file.id, columns } }, analyst);
    let res = await save([{ sourceColumn: 'Nope', targetField: 'AMOUNT' }]);
    assert.equal(errorCode(res), 'BAD_USER_INPUT');
    assert.equal(res.errors![0].extensions!.field, 'columns.0.sourceColumn');
    res = await save([{ sourceColumn: 'A', targetField: 'AMOUNT' }, { sourceColumn: 'R', targetField: 'AMOUNT' }]);
    assert.equal(res.errors![0].extensions!.field, 'columns.1.targetField');
    res = await save([{ sourceColumn: 'R', targetField: 'REFERENCE' }]);
    assert.equal(res.errors![0].extensions!.field, 'columns');
  });
});

describe('access', () => {
  test('the auditor reads files but cannot register, map or delete them', async () => {
    const auditor = await api.login('auditor', 'acme');
    const listed = await api.gql(ReconciliationFilesDocument, { first: 50 }, auditor);
    assert.ok(listed.data!.reconciliationFiles.totalCount > 0);
    const res = await registerFile(api, analyst, 'aud.csv', Buffer.from('D,R,A\n2026-01-01,y,1\n'), 'GL');
    const id = res.data!.createReconciliationFile.id;
    assert.equal(errorCode(await api.gql(CreateReconciliationFileDocument, { input: { fileId: res.data!.createReconciliationFile.fileId!, type: 'GL', allowDuplicate: true } }, auditor)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(SuggestMappingDocument, { fileId: id }, auditor)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(DeleteReconciliationFileDocument, { id }, auditor)), 'FORBIDDEN');
    // Delete is admin only (the source matrix), not analyst.
    assert.equal(errorCode(await api.gql(DeleteReconciliationFileDocument, { id }, analyst)), 'FORBIDDEN');
    const admin = await api.login('admin', 'acme');
    assert.equal((await api.gql(DeleteReconciliationFileDocument, { id }, admin)).data!.deleteReconciliationFile, true);
  });
});
