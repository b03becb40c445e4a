/**
 * `npm run bench:export [N]`: exports N leads (default 100,000) as CSV through the API and the
 * job worker, in one process. An embedded PostgreSQL (under .tmp/bench-pg) with the demo data;
 * the leads are inserted with one set-based statement; then exportLeads is called and the job
 * awaited. Prints the process RSS before the export, its peak during it (sampled every 20 ms),
 * the rows/s and the CSV size. Memory must stay bounded: rows are read in keyset batches and
 * streamed into the stored file, never held together.
 */
import { join } from 'node:path';
import { Client } from 'pg';
import { print } from 'graphql';
import { loadConfig } from '../src/config';
import { connectApp } from '../src/app';
import { generateSigningJwk } from '../src/core/auth/access-tokens';
import { DEMO_PASSWORD, demoEmail, seedDemo } from '../src/seed';
import { startServer } from '../src/server';
import { freshBenchDatabase } from './support/bench-database';
import { BackgroundJobDocument, ExportLeadsDocument, FileDocument, LoginDocument } from '../test/__generated__/graphql';

const N = Number(process.argv[2] ?? 100_000);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  const db = await freshBenchDatabase({ database: `tessera_bench_export_${process.pid}` });
  const owner = new Client({ connectionString: db.ownerUrl });
  try {
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      DATA_DIR: join(process.cwd(), '.tmp', 'bench-data'),
      JWT_SIGNING_KEYS: JSON.stringify([await generateSigningJwk()]),
    });
    const app = await connectApp(config, { ownerUrl: db.ownerUrl, appUrl: db.appUrl }, { workers: true });
    await seedDemo(app);
    await app.startWorkers();
    const server = await startServer(app, { port: 0, host: '127.0.0.1' });

    await owner.connect();
    let t = performance.now();
    await owner.query(
      `insert into crm_lead (id, created_at, updated_at, organization_id, name, company, job_title, email, phone, source, status, score, estimated_value, currency)
       select gen_random_uuid(), now(), now(), o.id, 'Bench Lead ' || g, 'Company ' || (g % 5000), 'Buyer', 'lead' || g || '@bench.test', '+1 555 ' || lpad((g % 10000)::text, 4, '0'),
              (array['website','referral','social_media','email_campaign','cold_call','event','partner'])[1 + g % 7]::crm_lead_source,
              (array['new','contacted','qualified','unqualified','lost'])[1 + g % 5]::crm_lead_status, g % 101, (g % 100000) + 0.5, 'USD'
         from generate_series(1, $1::int) g, tenancy_organization o where o.slug = 'acme'`,
      [N],
    );
    // The CSV of 100,000 leads is larger than the default 25 MB per-file quota.
    await owner.query(`update tenancy_organization set quotas = quotas || '{"maxFileSizeMb": 500}' where slug = 'acme'`);
    console.log(`inserted ${N} leads in ${((performance.now() - t) / 1000).toFixed(1)} s (one statement)`);

    const gql = async (query: string, variables: unknown, token?: string) => {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const json = (await res.json()) as { data: any; errors?: unknown };
      if (json.errors) throw new Error(JSON.stringify(json.errors));
      return json.data;
    };
    const token = (await gql(print(LoginDocument), { input: { email: demoEmail('admin', 'acme'), password: DEMO_PASSWORD } })).login.accessToken as string;

    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    t = performance.now();
    const job = (await gql(print(ExportLeadsDocument), {}, token)).exportLeads;
    let status = job.status as string;
    let result: { fileId: string; rows: number } | null = null;
    while (status !== 'COMPLETED' && status !== 'FAILED') {
      await new Promise((r) => setTimeout(r, 100));
      // Polled in the database: the API's per-user rate limit would refuse a tight polling loop.
      const { rows } = await owner.query<{ status: string; result: { fileId: string; rows: number } | null }>('select status, result from background_job where id = $1', [job.id]);
      status = rows[0]?.status.toUpperCase() ?? 'QUEUED';
      result = rows[0]?.result ?? null;
    }
    const seconds = (performance.now() - t) / 1000;
    clearInterval(sampler);
    if (status !== 'COMPLETED' || !result) throw new Error(`export ${status}`);
    const check = (await gql(print(BackgroundJobDocument), { id: job.id }, token)).backgroundJob;
    if (check.status !== 'COMPLETED') throw new Error(`backgroundJob says ${check.status}`);
    const file = (await gql(print(FileDocument), { id: result.fileId }, token)).file;
    console.log(`exportLeads: ${result.rows} rows in ${seconds.toFixed(1)} s = ${(result.rows / seconds).toFixed(0)} rows/s, CSV ${mb(file.size)}`);
    console.log(`RSS before the export ${mb(before)}, peak during it ${mb(peak)} (+${mb(peak - before)}); API and worker in this one process`);

    await server.close();
    await app.close();
  } finally {
    await owner.end().catch(() => undefined);
    await db.close();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
