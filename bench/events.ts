/**
 * `npm run bench:events`: event latency from a mutation to its subscribers. An embedded
 * PostgreSQL (under .tmp/bench-pg) with the demo data, one server, BENCH_SUBSCRIBERS sockets
 * (default 50) subscribed to auditLogAdded, then BENCH_MUTATIONS (default 200) profile updates
 * one after another; latency = subscriber receipt - moment the mutation was sent.
 * Set REDIS_URL to measure the Redis backend. Prints p50/p99; asserts nothing.
 */
import { join } from 'node:path';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../src/config';
import { connectApp } from '../src/app';
import { generateSigningJwk } from '../src/core/auth/access-tokens';
import { DEMO_PASSWORD, demoEmail, seedDemo } from '../src/seed';
import { startServer } from '../src/server';
import { freshBenchDatabase } from './support/bench-database';
import { AuditLogAddedDocument, LoginDocument, UpdateProfileDocument } from '../test/__generated__/graphql';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 50);
const MUTATIONS = Number(process.env.BENCH_MUTATIONS ?? 200);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const db = await freshBenchDatabase({ database: `tessera_bench_${process.pid}` });
  try {
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      DATA_DIR: join(process.cwd(), '.tmp', 'bench-data'),
      JWT_SIGNING_KEYS: JSON.stringify([await generateSigningJwk()]),
      // One user sends every mutation: the limiter runs, its ceiling above the load.
      RATE_LIMIT_GENERAL: '1000000000',
    });
    const app = await connectApp(config, { ownerUrl: db.ownerUrl, appUrl: db.appUrl });
    await seedDemo(app);
    const server = await startServer(app, { port: 0, host: '127.0.0.1' });
    const gql = async (query: string, variables: unknown, token?: string) => {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data: any; errors?: unknown };
    };
    const login = async (role: string) =>
      (await gql(print(LoginDocument), { input: { email: demoEmail(role, 'acme'), password: DEMO_PASSWORD } })).data.login.accessToken as string;
    const auditor = await login('auditor');
    const sales = await login('sales');

    let expected = 0;
    let received = 0;
    let sentAt = 0;
    let onAll: () => void = () => undefined;
    const latencies: number[] = [];
    const clients = Array.from({ length: SUBSCRIBERS }, () =>
      createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${auditor}` }, lazy: false }),
    );
    for (const client of clients) {
      client.subscribe(
        { query: print(AuditLogAddedDocument) },
        {
          next: () => {
            latencies.push(performance.now() - sentAt);
            if (++received === expected) onAll();
          },
          error: (err) => console.error('subscription error', err),
          complete: () => undefined,
        },
      );
    }
    while (server.subscriptions.connectionCount() < SUBSCRIBERS) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1000));

    const roundTrips: number[] = [];
    const started = performance.now();
    for (let i = 0; i < MUTATIONS; i++) {
      expected += SUBSCRIBERS;
      const all = new Promise<void>((resolve) => (onAll = resolve));
      sentAt = performance.now();
      const res = await gql(print(UpdateProfileDocument), { input: { firstName: `Bench ${i}` } }, sales);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      roundTrips.push(performance.now() - sentAt);
      await all;
    }
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    roundTrips.sort((a, b) => a - b);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    console.log(`event latency, mutation sent -> subscriber received (${app.pubsub.backend} pub/sub, ${SUBSCRIBERS} subscribers, ${MUTATIONS} mutations, ${latencies.length} deliveries):`);
    console.log(`  p50 ${ms(percentile(latencies, 50))}   p99 ${ms(percentile(latencies, 99))}   max ${ms(latencies.at(-1)!)}`);
    console.log(`  mutation round trip alone: p50 ${ms(percentile(roundTrips, 50))}   p99 ${ms(percentile(roundTrips, 99))}`);
    console.log(`  ${(latencies.length / elapsed).toFixed(0)} deliveries/s`);

    await Promise.all(clients.map((c) => c.dispose()));
    await server.close();
    await app.close();
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
