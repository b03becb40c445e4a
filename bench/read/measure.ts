/**
 * What bench:read measures with: wrk (a load generator costing ≈30 µs a request, from Debian's
 * packages) for throughput and latency, /proc for the CPU time of a participant's Node process
 * and of every PostgreSQL backend, and pg_stat_statements for the statements PostgreSQL ran.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** utime + stime of a process, in seconds. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields from the closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** utime + stime + cutime + cstime: the process and its children that have exited, in seconds. */
function processAndReapedCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/**
 * CPU seconds of the PostgreSQL server: the postmaster, its live children (backends, writers),
 * and the children that have exited (a pool closing idle connections), which it has reaped.
 */
export function postgresCpuSeconds(postmasterPid: number): number {
  let total = processAndReapedCpuSeconds(postmasterPid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmasterPid) total += processCpuSeconds(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return total;
}

export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** Statements PostgreSQL has executed (pg_stat_statements, utility statements included). */
export async function statementsExecuted(adminUrl: string): Promise<number> {
  const db = new Client({ connectionString: adminUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ calls: string }>('select coalesce(sum(calls), 0)::bigint as calls from pg_stat_statements');
    return Number(rows[0].calls);
  } finally {
    await db.end();
  }
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) throw new Error(`wrk latency not understood: ${value}`);
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

export function parseWrk(output: string): LoadResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const total = /(\d+) requests in/.exec(output);
  const p50 = /\n\s+50%\s+(\S+)/.exec(output);
  const p99 = /\n\s+99%\s+(\S+)/.exec(output);
  if (!rps || !total || !p50 || !p99) throw new Error(`wrk output not understood:\n${output}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const failures = Number(non2xx?.[1] ?? 0) + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { requestsPerSecond: Number(rps[1]), requests: Number(total[1]), p50Ms: toMs(p50[1]), p99Ms: toMs(p99[1]), failures };
}

/** POSTs a GraphQL body and returns its `data`; any error (HTTP or GraphQL) throws. */
export async function post(url: string, body: string, headers: Record<string, string>): Promise<any> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const json = (await res.json()) as { data?: unknown; errors?: unknown };
  if (!res.ok || json.errors) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(json).slice(0, 500)}`);
  return json.data;
}

export interface HttpRequestSpec {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** A wrk Lua script that POSTs the same body with the same headers. */
export function wrkScript(dir: string, name: string, spec: HttpRequestSpec): string {
  const lua = (s: string) => JSON.stringify(s); // JSON string literals are valid Lua strings for this ASCII content
  const lines = ['wrk.method = "POST"', `wrk.body = ${lua(spec.body)}`];
  for (const [k, v] of Object.entries({ 'Content-Type': 'application/json', ...spec.headers })) lines.push(`wrk.headers[${lua(k)}] = ${lua(v)}`);
  const path = join(dir, `${name}.lua`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

export function runWrk(opts: { script: string; url: string; connections: number; seconds: number }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--latency', '--timeout', '10s', '-s', opts.script, opts.url]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`wrk exited ${code}:\n${out}`));
      else {
        try {
          resolve(parseWrk(out));
        } catch (err) {
          reject(err);
        }
      }
    });
  });
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
