/**
 * exceljs's streaming reader (recon's Excel files) walks the workbook's zip entries with its
 * iterateStream. unzipper's Parse emits 'end' as soon as its input is written, while entries it
 * has pushed may still wait in its buffer (the reader pauses it while it handles an entry):
 * exceljs stopped there, and the entries after (styles, relationships) were never read: in ~1 read
 * in 300 of a small workbook, dates came back as serial numbers. patches/exceljs+4.4.0.patch makes
 * it wait for the readable side's own end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { PassThrough, type Readable } from 'node:stream';

const iterateStream = createRequire(__filename)('exceljs/lib/utils/iterate-stream') as (stream: Readable) => AsyncGenerator<unknown>;

test('the entries a zip parser pushed before its early end are all read', async () => {
  const zip = new PassThrough({ objectMode: true });
  zip.write('xl/worksheets/sheet1.xml');
  const seen: unknown[] = [];
  for await (const entry of iterateStream(zip)) {
    seen.push(entry);
    if (entry === 'xl/worksheets/sheet1.xml') {
      // While the sheet is handled (the stream paused): the parser pushes the rest, then its
      // input is written and it says 'end' (unzipper's Parse on 'finish'); its readable side ends after.
      zip.write('xl/styles.xml');
      zip.write('xl/_rels/workbook.xml.rels');
      zip.emit('end');
      zip.end();
    }
  }
  assert.deepEqual(seen, ['xl/worksheets/sheet1.xml', 'xl/styles.xml', 'xl/_rels/workbook.xml.rels']);
});
