/**
 * Test harness: a real Tessera server on a fresh copy of the seeded template database
 * (two organizations, a user for every role), driven through GraphQL over HTTP.
 */
import { randomBytes } from 'node:crypto';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { connectApp, type App } from '../../src/app';
import { APP_ROLE, withCredentials } from '../../src/core/db/database';
import type { DestinationStream } from '../../src/core/observability/logger';
import { startServer, type RunningServer } from '../../src/server';
import { DEMO_PASSWORD, demoEmail } from '../../src/seed';
import { LoginDocument } from '../__generated__/graphql';

export { DEMO_PASSWORD, demoEmail };

export interface GqlError {
  message: string;
  path?: string[];
  extensions?: { code?: string; field?: string; [k: string]: unknown };
}
export interface GqlResult<T> {
  data?: T | null;
  errors?: GqlError[];
  status: number;
}

export interface TestApi {
  app: App;
  /** Name of this test's private database (a copy of the seeded template). */
  dbName: string;
  server: RunningServer;
  /** Superuser URL of this test's database (for raw checks only). */
  ownerUrl: string;
  appUrl: string;
  /** Raw SQL as the database owner, for setting up and checking what the API cannot show. */
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  gql<T, V>(doc: TypedDocumentNode<T, V>, variables?: V, token?: string, headers?: Record<string, string>): Promise<GqlResult<T>>;
  /** Runs `fn` and counts the SQL statements the server's database connection ran meanwhile (knex 'query' events), with their texts. */
  statementsDuring<T>(fn: () => Promise<T>): Promise<{ value: T; statements: number; texts: string[] }>;
  /** Raw POST body (for malformed requests). */
  post(body: unknown, token?: string, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  /** Resolves once no job is waiting, delayed or running (e.g. before reading a recorded message). */
  drainJobs(timeoutMs?: number): Promise<void>;
  /** Signs in a seeded user, e.g. `login('sales', 'acme')`, returning the access token. */
  login(role: string, org?: 'acme' | 'globex'): Promise<string>;
  /** A second server (own App, same database and configuration): another process, as far as clients can tell. */
  startPeer(): Promise<{ app: App; server: RunningServer }>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** Environment overrides for this server's configuration (limits, REDIS_URL...). */
  env?: Record<string, string>;
  /** Collects the server's log lines (LOG_LEVEL still applies: set it in `env`). */
  logDestination?: DestinationStream;
  /** Run the application's job workers (default: no; files that need sent messages or job runs opt in). */
  workers?: boolean;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests with npm test`);
  return v;
}

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const adminUrl = env('TESSERA_TEST_ADMIN_URL');
  const dbName = `tessera_t_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName} template ${env('TESSERA_TEST_TEMPLATE')}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const ownerUrl = url.toString();
  const appUrl = withCredentials(ownerUrl, APP_ROLE, env('TESSERA_TEST_APP_PASSWORD'));
  const config = loadConfig({ ...process.env, ...options.env });
  const app = await connectApp(config, { ownerUrl, appUrl }, { logDestination: options.logDestination, workers: options.workers ?? false });
  const server = await startServer(app, { port: 0, host: '127.0.0.1' });
  const tokens = new Map<string, string>();
  const peers: { app: App; server: RunningServer }[] = [];

  const post = async (body: unknown, token?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };

  let owner: Promise<Client> | undefined;
  const api: TestApi = {
    async sql<T>(text: string, params: unknown[] = []) {
      owner ??= (async () => {
        const client = new Client({ connectionString: ownerUrl });
        await client.connect();
        return client;
      })();
      return (await (await owner).query(text, params)).rows as T[];
    },
    app,
    dbName,
    server,
    ownerUrl,
    appUrl,
    post,
    async gql<T, V>(doc: TypedDocumentNode<T, V>, variables?: V, token?: string, headers?: Record<string, string>): Promise<GqlResult<T>> {
      const { status, json } = await post({ query: print(doc), variables }, token, headers);
      return { ...(json as object), status };
    },
    async statementsDuring(fn) {
      const texts: string[] = [];
      const count = (query: { sql: string }) => texts.push(query.sql);
      const knex = app.orm.em.getConnection().getKnex();
      knex.on('query', count);
      try {
        const value = await fn();
        return { value, statements: texts.length, texts };
      } finally {
        knex.off('query', count);
      }
    },
    async drainJobs(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await app.jobs.queue.getJobCounts('waiting', 'active', 'prioritized');
        // A scheduler's next run (cleanup-expired) is always delayed: only retries count as pending.
        const retries = (await app.jobs.queue.getDelayed()).filter((j) => !j.repeatJobKey).length;
        if (Object.values(counts).every((n) => n === 0) && retries === 0) return;
        if (Date.now() > deadline) throw new Error(`jobs still pending after ${timeoutMs} ms: ${JSON.stringify({ ...counts, retries })}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async login(role, org = 'acme') {
      const key = `${role}@${org}`;
      if (!tokens.has(key)) {
        const res = await api.gql(LoginDocument, { input: { email: demoEmail(role, org), password: DEMO_PASSWORD } });
        if (!res.data) throw new Error(`login ${key} failed: ${JSON.stringify(res.errors)}`);
        tokens.set(key, res.data.login.accessToken);
      }
      return tokens.get(key)!;
    },
    async startPeer() {
      const peerApp = await connectApp(config, { ownerUrl, appUrl });
      const peer = { app: peerApp, server: await startServer(peerApp, { port: 0, host: '127.0.0.1' }) };
      peers.push(peer);
      return peer;
    },
    async close() {
      for (const peer of peers) {
        await peer.server.close();
        await peer.app.close();
      }
      await server.close();
      await app.close();
      if (owner) await (await owner).end();
      const a = new Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${dbName} with (force)`);
      await a.end();
    },
  };
  return api;
}

/** The `extensions.code` of the first error, for terse assertions. */
export const errorCode = (res: GqlResult<unknown>) => res.errors?.[0]?.extensions?.code;
