/**
 * `npm run bench:read`: Tessera's read path against PostGraphile 5 and a raw-SQL floor, on one
 * database, in one interleaved run.
 *
 * 1. An embedded PostgreSQL (with pg_stat_statements) under .tmp/bench-read-pg, a fresh database
 *    migrated and seeded (the demo organizations and users), then bench/read/dataset.ts.
 * 2. Three HTTP servers, one Node process each: Tessera as in production (NODE_ENV=production,
 *    shield, tenant filter and RLS as the app role, query limits, rate limiting with a ceiling
 *    high enough not to refuse the load, workers in another process), PostGraphile 5 (bench/peers),
 *    and the floor (bench/read/floor-server.ts), all three on the Node that runs this script (the
 *    project's pinned one under `npm run`) with the V8 flags `npm start` gives Tessera, so the
 *    runtime is the same for every participant.
 * 3. Each workload's responses are compared (the same rows, the same values), then measured with
 *    wrk at a fixed concurrency, A B C A B C …, after a warm-up (BENCH_WARMUP seconds each, long
 *    enough for V8's optimizing tier); per round: req/s, p50/p99 latency, Node and PostgreSQL CPU
 *    per request, statements per request.
 * 4. Writes: createMilestone + approveMilestone through Tessera, req/s and statements each.
 *
 * Env: BENCH_SECONDS (per round, 8), BENCH_ROUNDS (5), BENCH_WARMUP (per participant, 20),
 * BENCH_CONNECTIONS (8), BENCH_PROJECTS (per tenant, 5000), BENCH_MUTATIONS (of each kind, 300),
 * BENCH_PROFILE (1: CPU profile of Tessera),
 * BENCH_TOP_STATEMENTS (1: PostgreSQL's most expensive statements at the end), BENCH_WORKLOADS
 * (e.g. deals,writes: only those).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { generateSigningJwk } from '../../src/core/auth/access-tokens';
import { SecretBox } from '../../src/core/auth/secret-box';
import { loadConfig } from '../../src/config';
import { connectApp } from '../../src/app';
import { DEMO_PASSWORD, demoEmail, seedDemo } from '../../src/seed';
import { writeDataset } from './dataset';
import { freshBenchDatabase } from '../support/bench-database';
import { startFlags } from '../../scripts/start-flags';
import { median, post, postgresCpuSeconds, postmasterPid, processCpuSeconds, runWrk, statementsExecuted, wrkScript, type HttpRequestSpec, type LoadResult } from './measure';
import { WORKLOADS, type Workload } from './workloads';
import { measureWrites } from './writes';

const ROOT = resolve(__dirname, '../../..');
const PEERS = join(ROOT, 'bench/peers');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 5000);
const MUTATIONS = Number(process.env.BENCH_MUTATIONS ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

function ensureTools(): void {
  // PostGraphile 5 needs Node 22 or later; `npm run bench:read` runs on the project's pinned Node.
  if (Number(process.versions.node.split('.')[0]) < 22) throw new Error(`Node ${process.versions.node}: run the benchmark with npm run bench:read (the project's Node)`);
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    // wrk prints its version and exits 1; only a missing binary is a problem.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
        console.log('Installing wrk (Debian package)…');
        execFileSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'inherit' });
      } else {
        throw new Error('wrk is not installed: apt-get install wrk (or your system’s package)');
      }
    }
  }
  if (!existsSync(join(PEERS, 'node_modules/postgraphile'))) {
    console.log('Installing the benchmark peer (PostGraphile 5) under bench/peers…');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: PEERS, stdio: 'inherit' });
  }
}

interface Server {
  name: string;
  child: ChildProcess;
  port: number;
}

function startProcess(name: string, command: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<Server & { match: RegExpExecArray }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const match = ready.exec(out);
      if (match) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolvePromise({ name, child, port: Number(env.PORT), match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${out.slice(-3000)}`)));
  });
}

interface Participant {
  name: string;
  pid: number;
  spec: HttpRequestSpec;
  normalize(data: unknown): unknown;
}

interface Sample extends LoadResult {
  nodeCpuMsPerRequest: number;
  pgCpuMsPerRequest: number;
  statementsPerRequest: number;
}

async function measure(p: Participant, script: string, seconds: number, pg: { adminUrl: string; pid: number }): Promise<Sample> {
  const statements0 = await statementsExecuted(pg.adminUrl);
  const node0 = processCpuSeconds(p.pid);
  const pg0 = postgresCpuSeconds(pg.pid);
  const load = await runWrk({ script, url: p.spec.url, connections: CONNECTIONS, seconds });
  const node1 = processCpuSeconds(p.pid);
  const pg1 = postgresCpuSeconds(pg.pid);
  // The statistics query itself counts once.
  const statements = (await statementsExecuted(pg.adminUrl)) - statements0 - 1;
  return {
    ...load,
    nodeCpuMsPerRequest: ((node1 - node0) * 1000) / load.requests,
    pgCpuMsPerRequest: ((pg1 - pg0) * 1000) / load.requests,
    statementsPerRequest: statements / load.requests,
  };
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
const spread = (xs: number[], digits = 0) => `${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)}`;

function report(workload: Workload, names: string[], samples: Map<string, Sample[]>): void {
  console.log(`\n${workload.title} — ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections (median, spread across rounds)`);
  console.log('participant       req/s (spread)        p50 ms   p99 ms   Node CPU ms/req   PG CPU ms/req   statements/req');
  for (const name of names) {
    const s = samples.get(name)!;
    const col = (f: (x: Sample) => number, d: number) => fmt(median(s.map(f)), d);
    console.log(
      `${name.padEnd(17)} ${`${col((x) => x.requestsPerSecond, 0)} (${spread(s.map((x) => x.requestsPerSecond))})`.padEnd(21)} ` +
        `${col((x) => x.p50Ms, 2).padStart(6)}   ${col((x) => x.p99Ms, 2).padStart(6)}   ${col((x) => x.nodeCpuMsPerRequest, 3).padStart(15)}   ` +
        `${col((x) => x.pgCpuMsPerRequest, 3).padStart(13)}   ${col((x) => x.statementsPerRequest, 2).padStart(14)}`,
    );
  }
  const ratio = (a: string, b: string) => {
    const rs = samples.get(a)!.map((x, i) => x.requestsPerSecond / samples.get(b)![i].requestsPerSecond);
    return `${fmt(median(rs), 2)}× (rounds ${spread(rs, 2)})`;
  };
  console.log(`Tessera / PostGraphile 5: ${ratio('Tessera', 'PostGraphile 5')}`);
  console.log(`Tessera / floor:          ${ratio('Tessera', 'floor (raw SQL)')}`);
}

/** BENCH_TOP_STATEMENTS=1: where PostgreSQL's time went, statement by statement, over the whole run. */
async function printTopStatements(url: string): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  const { rows } = await db.query<{ calls: string; ms: string; mean: string; query: string }>(
    `select calls, round(total_exec_time::numeric, 1) as ms, round((total_exec_time / calls)::numeric, 4) as mean, left(regexp_replace(query, '\\s+', ' ', 'g'), 150) as query
     from pg_stat_statements order by total_exec_time desc limit 20`,
  );
  await db.end();
  console.log('\nTop statements by total execution time (calls, total ms, mean ms, statement):');
  for (const r of rows) console.log(`${r.calls.padStart(8)} ${r.ms.padStart(9)} ${r.mean.padStart(8)}  ${r.query}`);
}

async function main(): Promise<void> {
  ensureTools();
  const work = join(ROOT, '.tmp/bench-read');
  mkdirSync(work, { recursive: true });
  const db = await freshBenchDatabase({
    database: 'tessera_bench',
    cluster: 'bench-read-pg',
    serverFlags: ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track_utility=on', '-c', 'max_connections=300'],
  });
  const { ownerUrl, appUrl, appPassword } = db;
  const children: ChildProcess[] = [];
  try {
    const stats = new Client({ connectionString: ownerUrl });
    await stats.connect();
    await stats.query('create extension if not exists pg_stat_statements');
    await stats.query('select pg_stat_statements_reset()');
    await stats.end();
    const dataDir = join(work, 'data');
    rmSync(dataDir, { recursive: true, force: true });
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: ownerUrl,
      DATABASE_APP_PASSWORD: appPassword,
      DATA_DIR: dataDir,
      JWT_SIGNING_KEYS: JSON.stringify([await generateSigningJwk()]),
      ENCRYPTION_KEY: SecretBox.generateKey(),
      FILE_URL_SECRET: randomBytes(32).toString('hex'),
      WORKERS_IN_PROCESS: 'false',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      // The limiter runs (one write per request); its ceiling is above what the load sends.
      RATE_LIMIT_GENERAL: '1000000000',
    };
    const seedApp = await connectApp(loadConfig({ ...process.env, ...env }), { ownerUrl, appUrl }, { workers: false });
    await seedDemo(seedApp);
    await seedApp.close();
    console.log(`Writing the dataset: 2 tenants × (${PROJECTS} projects × 10 milestones, ${PROJECTS} deals)…`);
    await writeDataset(ownerUrl, { projectsPerTenant: PROJECTS, milestonesPerProject: 10, partnersPerTenant: 100, dealsPerTenant: PROJECTS });

    // BENCH_PROFILE=1: a CPU profile of the Tessera process under .tmp/bench-read/profiles.
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(work, 'profiles')}`] : [];
    const flags = startFlags(ROOT);
    console.log(`Every participant runs on Node ${process.versions.node}${flags.length ? ` with ${flags.join(' ')} (as npm start runs Tessera)` : ''}.`);
    const tessera = await startProcess('Tessera', process.execPath, [...flags, ...profile, join(ROOT, 'dist/src/main.js')], { ...env, PORT: String(await freePort()) }, /Tessera is ready/);
    children.push(tessera.child);
    const postgraphile = await startProcess(
      'PostGraphile 5',
      process.execPath,
      [...flags, join(PEERS, 'postgraphile-server.mjs')],
      { DATABASE_URL: appUrl, PORT: String(await freePort()), NODE_ENV: 'production' },
      /listening (\d+)/,
    );
    children.push(postgraphile.child);
    const tesseraUrl = `http://127.0.0.1:${tessera.port}/graphql`;
    const login = async (role: string) =>
      ((await post(tesseraUrl, JSON.stringify({
        query: 'mutation($input: LoginInput!) { login(input: $input) { accessToken organization { id } } }',
        variables: { input: { email: demoEmail(role, 'acme'), password: DEMO_PASSWORD } },
      }), {})) as { login: { accessToken: string; organization: { id: string } } }).login;
    const organizationId = (await login('csr_manager')).organization.id;
    const floor = await startProcess('floor', process.execPath, [...flags, join(__dirname, 'floor-server.js')], { DATABASE_URL: ownerUrl, ORGANIZATION_ID: organizationId, PORT: String(await freePort()) }, /listening (\d+)/);
    children.push(floor.child);
    const pg = { adminUrl: ownerUrl, pid: postmasterPid(db.clusterDir) };

    const only = process.env.BENCH_WORKLOADS?.split(',');
    for (const workload of WORKLOADS.filter((w) => !only || only.includes(w.key))) {
      const { accessToken } = await login(workload.role);
      const participants: Participant[] = [
        { name: 'Tessera', pid: tessera.child.pid!, spec: { url: tesseraUrl, body: JSON.stringify({ query: workload.tesseraQuery }), headers: { authorization: `Bearer ${accessToken}` } }, normalize: workload.normalizeTessera },
        { name: 'PostGraphile 5', pid: postgraphile.child.pid!, spec: { url: `http://127.0.0.1:${postgraphile.port}/graphql`, body: JSON.stringify({ query: workload.postgraphileQuery }), headers: { 'x-tenant-id': organizationId } }, normalize: workload.normalizePostgraphile },
        { name: 'floor (raw SQL)', pid: floor.child.pid!, spec: { url: `http://127.0.0.1:${floor.port}${workload.floorPath}`, body: '{}', headers: {} }, normalize: workload.normalizeFloor },
      ];
      const reference = JSON.stringify(participants[0].normalize(await post(participants[0].spec.url, participants[0].spec.body, participants[0].spec.headers)));
      for (const p of participants.slice(1)) {
        const got = JSON.stringify(p.normalize(await post(p.spec.url, p.spec.body, p.spec.headers)));
        if (got !== reference) throw new Error(`${workload.title}: ${p.name} returns other data than Tessera\nTessera: ${reference.slice(0, 600)}\n${p.name}: ${got.slice(0, 600)}`);
      }
      console.log(`\n${workload.title}: all three return the same ${workload.describe(JSON.parse(reference))}`);
      const scripts = new Map(participants.map((p) => [p.name, wrkScript(work, `${workload.key}-${p.name.replace(/\W+/g, '-')}`, p.spec)]));
      for (const p of participants) await runWrk({ script: scripts.get(p.name)!, url: p.spec.url, connections: CONNECTIONS, seconds: WARMUP });
      const samples = new Map<string, Sample[]>(participants.map((p) => [p.name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const p of participants) {
          const s = await measure(p, scripts.get(p.name)!, SECONDS, pg);
          if (s.failures) throw new Error(`${p.name}: ${s.failures} failed requests in round ${round + 1}`);
          samples.get(p.name)!.push(s);
        }
      }
      report(workload, participants.map((p) => p.name), samples);
    }
    if (!only || only.includes('writes')) {
      const { accessToken } = await login('csr_manager');
      const phases = await measureWrites({ url: tesseraUrl, token: accessToken, ownerUrl, organizationId, count: MUTATIONS, concurrency: CONNECTIONS });
      console.log(`\nWrites through Tessera as a csr_manager — ${MUTATIONS} of each, ${CONNECTIONS} in flight (each in its own transaction, audited)`);
      console.log('mutation                           per second   statements/mutation');
      for (const p of phases) console.log(`${p.name.padEnd(34)} ${p.perSecond.toFixed(0).padStart(10)}   ${p.statementsPerMutation.toFixed(2).padStart(19)}`);
    }
    if (process.env.BENCH_TOP_STATEMENTS) await printTopStatements(ownerUrl);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
