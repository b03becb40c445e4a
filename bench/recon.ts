/**
 * `npm run bench:recon [rows]`: reconciles two synthetic files of `rows` (default 1,000,000)
 * transactions each — a bank statement and a settlement file with noise: 2 % amount differences
 * within tolerance, 1 % date shifts, 0.5 % missing on one side, 0.2 % duplicated bank lines, 1 %
 * settlement lines split into 2–3 bank lines — through the API of a server and a separate worker
 * process (embedded PostgreSQL under .tmp/bench-recon, or DATABASE_URL). Prints rows/s end to end,
 * the peak RSS of the server and the worker, precision and recall against the generator's truth,
 * each phase's time, and beside the match phase the floor measured in the same run: the exact hash
 * join and the tolerance join on its leftovers, as plain set-based SQL over the same rows.
 * BENCH_PROFILE=1: CPU profiles of the server and the worker under .tmp/bench-recon/profiles.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Client } from 'pg';
import { prepareDatabase } from '../src/core/db/database';
import { matchRowIds } from '../src/services/recon/matching-sql';

const N = Number(process.argv[2] ?? 1_000_000);
const ROOT = join(process.cwd(), '.tmp', 'bench-recon');
const PASSWORD = 'Tessera!2026';

// ---- generator ----

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Truth {
  /** Transaction of each bank data row (index = row number - 2). */
  bank: Int32Array;
  settlement: Int32Array;
  bankRows: number;
  settlementRows: number;
  /** Pairs a perfect matcher finds: one per transaction on both sides, one per bank part of a split. */
  pairs: number;
}

async function writeLines(path: string, produce: (push: (line: string) => void) => void): Promise<void> {
  const out = createWriteStream(path);
  let buffer: string[] = [];
  let pending = 0;
  const flush = async () => {
    if (!out.write(buffer.join(''))) await once(out, 'drain');
    buffer = [];
    pending = 0;
  };
  const lines: string[] = [];
  produce((line) => lines.push(line));
  for (const line of lines) {
    buffer.push(line);
    if (++pending >= 10_000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
}

async function generate(): Promise<Truth> {
  const rnd = mulberry32(20261121);
  const base = Date.UTC(2026, 9, 1);
  const iso = (d: number) => new Date(base + d * 86_400_000).toISOString().slice(0, 10);
  const uk = (d: number) => iso(d).split('-').reverse().join('/');
  const bank: number[] = [];
  const settlement: number[] = [];
  const bankLines: string[] = [];
  const settlementLines: string[] = [];
  let pairs = 0;
  for (let t = 0; t < N; t++) {
    const cents = 100 + Math.floor(rnd() * 10_000_000);
    const day = Math.floor(rnd() * 28);
    const ref = `TX${String(t).padStart(9, '0')}`;
    const r = rnd();
    const missing = r < 0.005;
    const split = !missing && r < 0.015;
    const amountNoise = !missing && !split && r >= 0.015 && r < 0.035;
    const dateShift = rnd() < 0.01;
    const duplicate = rnd() < 0.002;
    const money = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
    let settleCents = cents;
    if (amountNoise) {
      // Within the 1 % tolerance, at least one cent.
      const delta = Math.max(1, Math.floor(cents * 0.005 * rnd()));
      settleCents = rnd() < 0.5 ? cents + delta : cents - delta;
    }
    const settleDay = dateShift ? day + 1 + Math.floor(rnd() * 2) : day;
    const inBank = !(missing && rnd() < 0.5);
    const inSettlement = !missing || !inBank;
    if (inBank) {
      if (split) {
        const parts = 2 + Math.floor(rnd() * 2);
        let left = cents;
        for (let p = 0; p < parts; p++) {
          const part = p === parts - 1 ? left : Math.max(1, Math.floor((left / (parts - p)) * (0.6 + rnd() * 0.8)));
          left -= part;
          bankLines.push(`${iso(day)},${ref},POS ${ref} part ${p + 1},${money(part)},CR\n`);
          bank.push(t);
        }
        if (inSettlement) pairs += parts;
      } else {
        bankLines.push(`${iso(day)},${ref},POS ${ref},${money(cents)},CR\n`);
        bank.push(t);
        if (inSettlement) pairs += 1;
        if (duplicate) {
          bankLines.push(`${iso(day)},${ref},POS ${ref},${money(cents)},CR\n`);
          bank.push(t);
        }
      }
    }
    if (inSettlement) {
      settlementLines.push(`${uk(settleDay)},${ref},${money(settleCents)},MERCHANT ${t % 997}\n`);
      settlement.push(t);
    }
  }
  mkdirSync(ROOT, { recursive: true });
  await writeLines(join(ROOT, 'bank.csv'), (push) => {
    push('Txn Date,Reference,Narration,Amount,DR/CR\n');
    for (const l of bankLines) push(l);
  });
  await writeLines(join(ROOT, 'settlement.csv'), (push) => {
    push('Settlement Date,RRN,Amount,Merchant\n');
    for (const l of settlementLines) push(l);
  });
  return { bank: Int32Array.from(bank), settlement: Int32Array.from(settlement), bankRows: bank.length, settlementRows: settlement.length, pairs };
}

// ---- processes ----

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

function start(script: string, env: Record<string, string>, name: string): ChildProcess {
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'profiles')}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profile, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${name}] ${d}`));
  child.stdout!.on('data', () => undefined);
  return child;
}

/** Peak resident set (VmHWM) of a process, in MiB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

// ---- API ----

let url = '';
async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as { data?: T; errors?: unknown[] };
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return json.data!;
}

const login = async (email: string) =>
  (await gql<{ login: { accessToken: string } }>('mutation($i: LoginInput!) { login(input: $i) { accessToken } }', { i: { email, password: PASSWORD } })).login.accessToken;

function put(target: string, path: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: 'PUT', headers: { 'content-length': String(size) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    createReadStream(path).pipe(req);
  });
}

async function upload(token: string, port: number, path: string, name: string, type: string): Promise<string> {
  const size = statSync(path).size;
  const created = await gql('mutation($i: CreateUploadInput!) { createUpload(input: $i) { file { id } uploadUrl } }', { i: { name, mimeType: 'text/csv', size } }, token);
  const u = new URL(created.createUpload.uploadUrl);
  const status = await put(`http://127.0.0.1:${port}${u.pathname}${u.search}`, path, size);
  if (status !== 200) throw new Error(`upload of ${name} answered ${status}`);
  const registered = await gql('mutation($i: CreateReconciliationFileInput!) { createReconciliationFile(input: $i) { id status errorMessage rowCount } }', { i: { fileId: created.createUpload.file.id, type, allowDuplicate: true } }, token);
  return registered.createReconciliationFile.id;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Synchronous, so nothing is lost when the process exits. */
const say = (line: string) => writeSync(1, `${line}\n`);

async function main() {
  const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;
  say(`Generating ${N.toLocaleString('en')} transactions...`);
  const truth = await generate();
  say(`  bank.csv ${truth.bankRows.toLocaleString('en')} rows (${(statSync(join(ROOT, 'bank.csv')).size / 1e6).toFixed(1)} MB), settlement.csv ${truth.settlementRows.toLocaleString('en')} rows (${(statSync(join(ROOT, 'settlement.csv')).size / 1e6).toFixed(1)} MB)`);

  const dataDir = join(ROOT, 'data');
  rmSync(join(dataDir, 'files'), { recursive: true, force: true });
  // A fresh embedded database each run (the same tables, no earlier runs' rows).
  if (!process.env.DATABASE_URL) rmSync(join(ROOT, 'pg'), { recursive: true, force: true });
  const db = await prepareDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: join(ROOT, 'pg') });
  const port = await freePort();
  url = `http://127.0.0.1:${port}/graphql`;
  const env = {
    DATABASE_URL: db.ownerUrl,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SEED_DEMO: 'true',
    WORKERS_IN_PROCESS: 'false',
    WORKER_CONCURRENCY: '2',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_GENERAL: '100000',
    RATE_LIMIT_UPLOADS: '1000',
    RATE_LIMIT_AUTH: '1000',
    CLEANUP_SCHEDULE: 'off',
  };
  const server = start('dist/src/main.js', env, 'server');
  let worker: ChildProcess | undefined;
  const owner = new Client({ connectionString: db.ownerUrl });
  try {
    for (let i = 0; ; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/health`);
        break;
      } catch {
        if (i > 600) throw new Error('server did not start');
        await sleep(100);
      }
    }
    worker = start('dist/src/worker.js', env, 'worker');
    await owner.connect();
    const analyst = await login('analyst@acme.test');
    const supervisor = await login('supervisor@acme.test');
    const operator = await login('operator@tessera.test');
    const org = (await gql('{ organization { id } }', {}, analyst)).organization.id as string;
    await gql('mutation($id: ID!, $i: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $i) { id } }', { id: org, i: { quotas: { maxFileSizeMb: 1024 } } }, operator);
    // Rules (maker: analyst, checker: supervisor), once.
    const existing = await gql('{ matchingRules(first: 10) { edges { node { id status } } } }', {}, analyst);
    if (!existing.matchingRules.edges.length) {
      for (const input of [
        { name: 'Exact reference, amount, date', type: 'EXACT', fields: ['REFERENCE', 'AMOUNT', 'DATE'], priority: 1 },
        { name: 'Reference within 1 % and 3 days', type: 'RANGE', fields: ['REFERENCE'], amountTolerancePct: '1', amountToleranceAbs: '0.01', dateToleranceDays: 3, allowGroups: true, priority: 2 },
      ]) {
        const rule = (await gql('mutation($i: MatchingRuleInput!) { createMatchingRule(input: $i) { approvalId } }', { i: input }, analyst)).createMatchingRule;
        await gql('mutation($id: ID!) { approveRequest(id: $id) { status } }', { id: rule.approvalId }, supervisor);
      }
    }

    const t0 = process.hrtime.bigint();
    const uploads = await Promise.all([
      upload(analyst, port, join(ROOT, 'bank.csv'), `bank-${Date.now()}.csv`, 'BANK'),
      upload(analyst, port, join(ROOT, 'settlement.csv'), `settlement-${Date.now()}.csv`, 'SETTLEMENT'),
    ]);
    const [bankId, settlementId] = uploads;
    const tUpload = seconds(t0);

    const t1 = process.hrtime.bigint();
    const columns = {
      [bankId]: {
        columns: [
          { sourceColumn: 'Txn Date', targetField: 'DATE' },
          { sourceColumn: 'Reference', targetField: 'REFERENCE' },
          { sourceColumn: 'Narration', targetField: 'DESCRIPTION' },
          { sourceColumn: 'Amount', targetField: 'AMOUNT' },
          { sourceColumn: 'DR/CR', targetField: 'DEBIT_CREDIT' },
        ],
        transformation: { dateFormat: 'YYYY-MM-DD' },
      },
      [settlementId]: {
        columns: [
          { sourceColumn: 'Settlement Date', targetField: 'DATE' },
          { sourceColumn: 'RRN', targetField: 'REFERENCE' },
          { sourceColumn: 'Amount', targetField: 'AMOUNT' },
          { sourceColumn: 'Merchant', targetField: 'CHANNEL' },
        ],
        transformation: { dateFormat: 'DD/MM/YYYY' },
      },
    };
    for (const id of uploads) {
      await gql('mutation($i: SaveMappingInput!) { saveMapping(input: $i) { id status } }', { i: { reconciliationFileId: id, ...columns[id] } }, analyst);
    }
    for (;;) {
      const files = await Promise.all(uploads.map((id) => gql('query($id: ID!) { reconciliationFile(id: $id) { status errorMessage rowCount } }', { id }, analyst)));
      const states = files.map((f) => f.reconciliationFile);
      if (states.some((s) => s.status === 'ERROR')) throw new Error(`normalization failed: ${JSON.stringify(states)}`);
      if (states.every((s) => s.status === 'NORMALIZED')) break;
      if (seconds(t1) > 600) throw new Error(`normalization still running after 600 s: ${JSON.stringify(states)}`);
      await sleep(100);
    }
    const tNormalize = seconds(t1);

    const t2 = process.hrtime.bigint();
    const job = (await gql('mutation($i: StartReconciliationInput!) { startReconciliation(input: $i) { id } }', { i: { name: 'bench', sourceFileIds: [bankId], targetFileIds: [settlementId] } }, analyst)).startReconciliation;
    let done: any;
    for (;;) {
      done = (await gql('query($id: ID!) { reconciliationJob(id: $id) { status progress matchedRows exceptionRows totalRows matchRate timings errorMessage } }', { id: job.id }, analyst)).reconciliationJob;
      if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(done.status)) break;
      if (seconds(t2) > 900) throw new Error(`run still going after 900 s: ${JSON.stringify(done)}`);
      await sleep(50);
    }
    const tRun = seconds(t2);
    const total = seconds(t0);
    if (done.status !== 'COMPLETED') throw new Error(`run ${done.status}: ${done.errorMessage}`);
    const serverRss = peakRssMb(server.pid!);
    const workerRss = peakRssMb(worker.pid!);

    // ---- accuracy against the truth ----
    await owner.query(`select set_config('app.tenant_id', $1, false)`, [org]);
    await owner.query('create temp table truth (side text, row_number int, txn int)');
    for (const [side, rows] of [['bank', truth.bank], ['settlement', truth.settlement]] as const) {
      for (let i = 0; i < rows.length; i += 200_000) {
        const chunk = rows.subarray(i, i + 200_000);
        await owner.query('insert into truth select $1, $2::int + o::int + 1, t from unnest($3::int[]) with ordinality as u(t, o)', [side, i, Array.from(chunk)]);
      }
    }
    await owner.query('create index on truth (side, row_number)');
    // Statistics for the temporary table (recon_row has some since normalization analyzes it).
    await owner.query('analyze truth');
    // Not timed: whatever the statistics of the members, no nested loop over a million pairs.
    await owner.query('set enable_nestloop = off');
    const [acc] = (
      await owner.query(
        `with mm as (
           select s.id * 1000 + u.i as match_id, x.side, x.row_id
             from recon_match_set s cross join lateral generate_subscripts(s.confidences, 1) as u(i)
             cross join lateral (select 'source' as side, unnest(${matchRowIds('source')}) as row_id
                                 union all select 'target', unnest(${matchRowIds('target')})) x
            where s.job_id = $1),
         m as (
           select mm.match_id, mm.side, t.txn, r.id
             from mm join recon_row r on r.id = mm.row_id
             join truth t on t.side = (case when r.file_id = $2 then 'bank' else 'settlement' end) and t.row_number = r.row_number),
         p as (select s.id as sid, s.txn = t.txn as ok from m s join m t on t.match_id = s.match_id and t.side = 'target' where s.side = 'source')
         select count(*)::int as pairs, count(*) filter (where ok)::int as correct, count(distinct sid) filter (where ok)::int as found from p`,
        [job.id, bankId],
      )
    ).rows;
    await owner.query('reset enable_nestloop');
    const precision = acc.pairs ? acc.correct / acc.pairs : 0;
    const recall = acc.found / truth.pairs;

    // ---- the floor: plain set-based SQL over the same rows (same session settings, RLS included) ----
    const f0 = process.hrtime.bigint();
    await owner.query('begin');
    await owner.query(
      `create temp table f_exact as
       select s.id as sid, t.id as tid from recon_row s join recon_row t on t.reference = s.reference and t.amount = s.amount and t.date = s.date
        where s.file_id = $1 and t.file_id = $2`,
      [bankId, settlementId],
    );
    const floorExact = seconds(f0);
    // Statistics for the pairs just written, as the app's passes have for their rows (counted in the floor).
    await owner.query('analyze f_exact');
    await owner.query(
      `create temp table f_tol as
       select s.id as sid, t.id as tid
         from (select * from recon_row r where r.file_id = $1 and not exists (select 1 from f_exact f where f.sid = r.id)) s
         join (select * from recon_row r where r.file_id = $2 and not exists (select 1 from f_exact f where f.tid = r.id)) t on t.reference = s.reference
        where abs(s.amount - t.amount) <= greatest(0.01, abs(s.amount) * 0.01) and abs(s.date - t.date) <= 3`,
      [bankId, settlementId],
    );
    await owner.query('commit');
    const floor = seconds(f0);

    const rows = truth.bankRows + truth.settlementRows;
    const timings = done.timings as Record<string, number>;
    const fmt = (s: number) => `${s.toFixed(2)} s`;
    say(`\nReconciliation benchmark: ${rows.toLocaleString('en')} rows (${truth.bankRows.toLocaleString('en')} bank + ${truth.settlementRows.toLocaleString('en')} settlement), ${cpus().length} CPUs`);
    say(`  end to end:          ${fmt(total)}  (${Math.round(rows / total).toLocaleString('en')} rows/s)`);
    say(`  upload + register:   ${fmt(tUpload)}`);
    say(`  parse + normalize:   ${fmt(tNormalize)}`);
    say(`  run (start→done):    ${fmt(tRun)}`);
    say(`    match passes:      ${fmt((timings.match ?? 0) / 1000)}   floor ${fmt(floor)} (exact join ${fmt(floorExact)}, tolerance on leftovers ${fmt(floor - floorExact)}) → ${((timings.match ?? 0) / 1000 / floor).toFixed(2)}× the floor`);
    for (const [k, v] of Object.entries(timings).filter(([k]) => k.startsWith('pass '))) say(`      ${k.slice(5).padEnd(44)} ${fmt(v / 1000)}`);
    say(`    exceptions:        ${fmt((timings.exceptions ?? 0) / 1000)}  (${done.exceptionRows.toLocaleString('en')} exceptions)`);
    say(`  matched rows:        ${done.matchedRows.toLocaleString('en')} of ${done.totalRows.toLocaleString('en')} (${done.matchRate} %)`);
    say(`  precision:           ${(precision * 100).toFixed(3)} %  (${acc.correct.toLocaleString('en')} of ${acc.pairs.toLocaleString('en')} matched pairs right)`);
    say(`  recall:              ${(recall * 100).toFixed(3)} %  (${acc.found.toLocaleString('en')} of ${truth.pairs.toLocaleString('en')} true pairs found)`);
    say(`  peak RSS:            server ${serverRss.toFixed(0)} MiB, worker ${workerRss.toFixed(0)} MiB`);
  } finally {
    await owner.end().catch(() => undefined);
    for (const child of [worker, server]) {
      if (!child || child.exitCode !== null) continue;
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), sleep(20_000)]);
    }
    await db.stop();
  }
  process.exit(0);
}

main().catch((err) => {
  writeSync(2, `${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
