/**
 * Results of a run: matches with both sides' rows (one batched statement per page of matches),
 * unmatched rows per side, per-rule statistics, and the summary report (CSV or Excel) written
 * by a background job.
 */
import { PassThrough, Readable } from 'node:stream';
import DataLoader from 'dataloader';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireTenantScope } from '../../core/context/request-context';
import { badInput } from '../../core/errors';
import { enqueueJob, type EnqueuedJob } from '../../core/jobs';
import { applyFilter, buildConnection, connectionOf, decodeCursor, encodeCursor, pageSize, type ListArgs } from '../../core/orm/connection';
import { scopedSelect } from '../../core/orm/rows';
import { sqlBuilder } from '../../core/orm/request-db';
import { type MatchType, ReconSide } from '../../entities/recon/enums';
import { MatchSet } from '../../entities/recon/match.entity';
import { ReconRow } from '../../entities/recon/recon-row.entity';
import { ReconciliationJob } from '../../entities/recon/reconciliation-job.entity';
import { generateReconciliationReportJob } from '../../jobs';
import { recordAudit } from '../audit';
import { storeGeneratedFile } from '../files';
import { matchRowIds, SET_SIZE } from './matching-sql';
import { getReconciliationJob } from './run.service';
import { jobAuditScope } from './shared';

export interface MatchedRow extends ReconRow {
  side: ReconSide;
}

/** A match as the API shows it, read out of its set (recon_match_set). */
export interface MatchRecord {
  id: string;
  jobId: string;
  ruleId: string | null;
  type: MatchType;
  confidence: number;
  amountDifference: string;
  sourceRowIds: string[];
  targetRowIds: string[];
}

const rowLoaders = new WeakMap<RequestContext, DataLoader<string, ReconRow | null>>();

/** The rows of a match, source side first: one statement for the rows of every match of the page. */
export async function matchRows(ctx: RequestContext, match: MatchRecord): Promise<MatchedRow[]> {
  let loader = rowLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, ReconRow | null>(async (ids) => {
      await ctx.db.trx();
      const rows = await ctx.db.em.execute<Record<string, any>[]>(
        `select r.id, r.file_id, r.row_number, r.amount, to_char(r.date, 'YYYY-MM-DD') as date,
                to_char(r.value_date, 'YYYY-MM-DD') as value_date, r.reference, r.description, r.currency, r.channel, r.direction
           from recon_row r where r.id = any(?::bigint[])`,
        [`{${ids.join(',')}}`],
      );
      const byId = new Map(rows.map((r) => [String(r.id), rowShape(r)]));
      return ids.map((id) => byId.get(id) ?? null);
    }, { maxBatchSize: 5000 });
    rowLoaders.set(ctx, loader);
  }
  const sideRows = async (ids: string[], side: ReconSide) =>
    (await loader.loadMany(ids)).flatMap((r) => {
      if (r instanceof Error) throw r;
      return r ? [{ ...r, side }] : [];
    });
  const [source, target] = await Promise.all([sideRows(match.sourceRowIds, ReconSide.SOURCE), sideRows(match.targetRowIds, ReconSide.TARGET)]);
  return [...source, ...target];
}

function rowShape(r: Record<string, any>): ReconRow {
  return {
    id: String(r.id),
    organizationId: r.organization_id,
    fileId: r.file_id,
    rowNumber: r.row_number,
    amount: String(r.amount),
    date: r.date ?? null,
    valueDate: r.value_date ?? null,
    reference: r.reference,
    description: r.description,
    currency: r.currency,
    channel: r.channel,
    direction: r.direction,
  };
}

export interface MatchListArgs extends ListArgs {
  jobId: string;
}

/**
 * The matches of a run in id order (set after set), keyset-paged: only the sets of the run (on
 * the key, between its first and last set) and, past a cursor, only from the cursor's set on.
 */
export async function listMatches(ctx: RequestContext, args: MatchListArgs) {
  requireTenant(ctx);
  const job = await getReconciliationJob(ctx, args.jobId);
  const first = pageSize(args);
  let after: bigint | null = null;
  if (args.after) {
    const [value] = decodeCursor(args.after, 1);
    if (typeof value !== 'string' || !/^\d{1,18}$/.test(value)) throw badInput('after', 'Invalid cursor');
    after = BigInt(value);
  }
  const sets = scopedSelect(ctx.db, sqlBuilder, MatchSet, 's').clearSelect().where('s.job_id', job.id);
  if (job.firstMatchSetId) sets.whereBetween('s.id', [job.firstMatchSetId, job.lastMatchSetId!]);
  else sets.whereRaw('false');
  if (args.filter) applyFilter(sets, args.filter, { ruleId: 'rule_id', type: 'type' }, 's.');
  const page = sets
    .clone()
    .joinRaw('cross join lateral unnest(s.confidences, s.amount_differences) with ordinality as u(confidence, difference, i)')
    .select(
      sqlBuilder.raw(`(s.id * ${SET_SIZE} + u.i - 1)::text as id, s.job_id, s.rule_id, s.type, u.confidence, u.difference,
        ${matchRowIds('source')} as source_row_ids, ${matchRowIds('target')} as target_row_ids`),
    )
    .orderBy([{ column: 's.id' }, { column: 'u.i' }])
    .limit(first + 1, { skipBinding: true });
  if (after !== null) page.where('s.id', '>=', String(after / BigInt(SET_SIZE))).whereRaw(`s.id * ${SET_SIZE} + u.i - 1 > ?`, [String(after)]);
  const rows: Record<string, any>[] = await ctx.db.read(page);
  const nodes: MatchRecord[] = rows.map((r) => ({
    id: r.id,
    jobId: r.job_id,
    ruleId: r.rule_id,
    type: r.type,
    confidence: r.confidence,
    amountDifference: String(r.difference),
    sourceRowIds: r.source_row_ids,
    targetRowIds: r.target_row_ids,
  }));
  return connectionOf(nodes, {
    first,
    after: args.after,
    cursorOf: (m) => encodeCursor([m.id]),
    count: () => ctx.db.read<{ n: string | null }>(sets.clone().sum({ n: 's.match_count' })).then((r) => Number(r[0].n ?? 0)),
  });
}

/**
 * Rows of one side of a run that no match holds, in file order: the run's leftovers once its
 * first pass is done, every row of the side's files before.
 */
export async function listUnmatchedRows(ctx: RequestContext, args: ListArgs & { jobId: string; side: ReconSide }) {
  requireTenant(ctx);
  const job = await getReconciliationJob(ctx, args.jobId);
  const files = args.side === ReconSide.SOURCE ? job.sourceFileIds : job.targetFileIds;
  const rows = await buildConnection<Record<string, any>>(ctx.db, ReconRow, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'id', direction: 'ASC' }],
    first: args.first,
    after: args.after,
    where: (qb) => {
      qb.whereIn('file_id', files);
      if (job.completedPasses.length) qb.whereRaw('recon_row.id in (select row_id from recon_leftover where job_id = ? and side = ?)', [job.id, args.side]);
    },
  });
  for (const e of rows.edges) {
    const n = e.node;
    n.id = String(n.id);
    for (const key of ['date', 'valueDate']) if (n[key] instanceof Date) n[key] = (n[key] as Date).toISOString().slice(0, 10);
  }
  return rows as unknown as Awaited<ReturnType<typeof buildConnection<ReconRow>>>;
}

export interface RuleStatistic {
  ruleId: string | null;
  ruleName: string;
  pass: string;
  matches: number;
  rows: number;
  averageConfidence: number;
  amountDifference: string;
}

/** Matches and rows per rule and pass of a run. */
export async function ruleStatistics(ctx: RequestContext, jobId: string): Promise<RuleStatistic[]> {
  return statisticsOf(ctx, await getReconciliationJob(ctx, jobId));
}

async function statisticsOf(ctx: RequestContext, job: ReconciliationJob): Promise<RuleStatistic[]> {
  if (!job.firstMatchSetId) return [];
  await ctx.db.trx();
  const rows = await ctx.db.em.execute<Record<string, any>[]>(
    `select s.rule_id, s.type, sum(s.match_count) as matches, sum(cardinality(s.source_row_ids) + cardinality(s.target_row_ids)) as rows,
            sum((select sum(c) from unnest(s.confidences) c)) / sum(s.match_count) as confidence,
            sum((select sum(d) from unnest(s.amount_differences) d)) as diff
       from recon_match_set s
      where s.job_id = ? and s.id between ? and ? group by s.rule_id, s.type order by min(s.id)`,
    [job.id, job.firstMatchSetId, job.lastMatchSetId],
  );
  const names = new Map(job.rules.map((r) => [r.id, r.name]));
  return rows.map((r) => ({
    ruleId: r.rule_id,
    ruleName: names.get(r.rule_id) ?? '(deleted rule)',
    pass: r.type === 'one_to_one' ? 'pairs' : r.type,
    matches: Number(r.matches),
    rows: Number(r.rows),
    averageConfidence: Math.round(Number(r.confidence) * 10000) / 10000,
    amountDifference: Number(r.diff ?? 0).toFixed(2),
  }));
}

// ---- summary report ----

export enum ReportFormat {
  CSV = 'csv',
  XLSX = 'xlsx',
}

export interface ReportPayload {
  jobId: string;
  format: ReportFormat;
}

/** Queues the summary report of a run; the background job's result holds the produced file id. */
export async function generateReconciliationReport(ctx: RequestContext, jobId: string, format: ReportFormat): Promise<EnqueuedJob> {
  const job = await getReconciliationJob(ctx, jobId);
  if (!Object.values(ReportFormat).includes(format)) throw badInput('format', 'format must be csv or xlsx');
  return ctx.db.transactional(async (em) => {
    const queued = enqueueJob(ctx, generateReconciliationReportJob, { jobId: job.id, format }, { key: `${job.id}:${format}:${Date.now()}` });
    await recordAudit(ctx, em, { action: 'recon.report.request', resourceType: 'ReconciliationJob', resourceId: job.id, changes: { format, backgroundJobId: queued.id } });
    return queued;
  });
}

/** Report lines: summary, per-rule statistics, then every exception (read in keyset pages). */
async function* reportLines(ctx: RequestContext, job: ReconciliationJob): AsyncGenerator<(string | number | null)[]> {
  yield ['Reconciliation summary'];
  yield ['Name', job.name];
  yield ['Status', job.status];
  yield ['Total rows', job.totalRows];
  yield ['Matched rows', job.matchedRows];
  yield ['Exception rows', job.exceptionRows];
  yield ['Match rate %', job.matchRate ?? null];
  yield ['Processing seconds', job.processingSeconds ?? null];
  yield [];
  yield ['Rule', 'Pass', 'Matches', 'Rows', 'Average confidence', 'Amount difference'];
  for (const s of await statisticsOf(ctx, job)) yield [s.ruleName, s.pass, s.matches, s.rows, s.averageConfidence, s.amountDifference];
  yield [];
  yield ['Exception id', 'Type', 'Severity', 'Status', 'Side', 'Amount', 'Difference', 'Currency', 'Date', 'Reference', 'Description', 'Suggested action'];
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await ctx.db.em.execute<Record<string, any>[]>(
      `select id, type, severity, status, side, amount, amount_difference, currency, to_char(transaction_date, 'YYYY-MM-DD') as date, reference, description, suggested_action
         from recon_exception where job_id = ? and id > ? order by id limit 2000`,
      [job.id, after],
    );
    for (const e of page) yield [e.id, e.type, e.severity, e.status, e.side, e.amount, e.amount_difference, e.currency, e.date, e.reference, e.description, e.suggested_action];
    if (page.length < 2000) break;
    after = page[page.length - 1].id;
  }
}

/** The report job's work: streams the lines into CSV or an Excel workbook, stored as a file. */
export async function writeReconciliationReport(ctx: RequestContext, payload: ReportPayload): Promise<{ fileId: string }> {
  requireTenantScope(ctx);
  await ctx.db.trx();
  const job = await ctx.db.em.findOne(ReconciliationJob, { id: payload.jobId });
  if (!job) throw badInput('jobId', 'The run no longer exists');
  const base = `reconciliation-${job.id.slice(0, 8)}-${new Date().toISOString().slice(0, 10)}`;
  let body: Readable;
  let done: Promise<void>;
  if (payload.format === ReportFormat.CSV) {
    const csv = stringify();
    body = csv;
    done = (async () => {
      for await (const line of reportLines(ctx, job)) if (!csv.write(line)) await new Promise((r) => csv.once('drain', r));
      csv.end();
    })();
  } else {
    const out = new PassThrough();
    body = out;
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const sheet = workbook.addWorksheet('Reconciliation');
    done = (async () => {
      for await (const line of reportLines(ctx, job)) sheet.addRow(line).commit();
      sheet.commit();
      await workbook.commit();
    })();
  }
  const stored = storeGeneratedFile(ctx, {
    name: `${base}.${payload.format}`,
    mimeType: payload.format === ReportFormat.CSV ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body,
    createdBy: ctx.db.userId ?? null,
  });
  const [file] = await Promise.all([stored, done.catch((err) => { body.destroy(err); throw err; })]);
  await ctx.db.transactional((em) =>
    recordAudit(ctx, em, { ...jobAuditScope(ctx), action: 'recon.report.generate', resourceType: 'ReconciliationJob', resourceId: job.id, changes: { fileId: file.id, format: payload.format } }),
  );
  return { fileId: file.id };
}
