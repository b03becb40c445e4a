/**
 * A real graphql-ws client (graphql-transport-ws over the `ws` package) against a test server,
 * and a subscription recorder that waits for events, errors and completion.
 */
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface WsConnection {
  client: Client;
  /** Resolves with the close code once the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

/** Connects to `httpUrl`'s /graphql over WebSocket, with `authorization: Bearer <token>` unless token is null. */
export function connectWs(httpUrl: string, token: string | null, params?: Record<string, unknown>): WsConnection {
  let onClosed!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: params ?? (token === null ? {} : { authorization: `Bearer ${token}` }),
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: { closed: (event) => onClosed({ code: (event as { code: number }).code, reason: String((event as { reason?: string }).reason ?? '') }) },
  });
  return {
    client,
    closed,
    async dispose() {
      await client.dispose();
    },
  };
}

export interface Recorded<T> {
  events: T[];
  errors: { message: string; extensions?: { code?: string } }[];
  completed: boolean;
  /** Waits until `count` events arrived (or fails after `timeoutMs`). */
  waitForEvents(count: number, timeoutMs?: number): Promise<T[]>;
  /** Waits until the subscription errored or completed. */
  waitForEnd(timeoutMs?: number): Promise<void>;
  unsubscribe(): void;
}

export function record<T, V>(conn: WsConnection, doc: TypedDocumentNode<T, V>, variables?: V): Recorded<T>;
export function record<T>(conn: WsConnection, query: string): Recorded<T>;
export function record<T>(conn: WsConnection, doc: TypedDocumentNode<T, unknown> | string, variables?: unknown): Recorded<T> {
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  const rec: Recorded<T> = {
    events: [],
    errors: [],
    completed: false,
    waitForEvents(count, timeoutMs = 5000) {
      return waitFor(() => rec.events.length >= count, timeoutMs, () => `${rec.events.length}/${count} events, errors ${JSON.stringify(rec.errors)}`).then(() => rec.events);
    },
    waitForEnd(timeoutMs = 5000) {
      return waitFor(() => rec.completed || rec.errors.length > 0, timeoutMs, () => 'subscription still open');
    },
    unsubscribe: () => undefined,
  };
  function waitFor(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out: ${describe()}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  }
  rec.unsubscribe = conn.client.subscribe<T>(
    { query: typeof doc === 'string' ? doc : print(doc), variables: variables as Record<string, unknown> | undefined },
    {
      next: (result) => {
        if (result.errors) rec.errors.push(...(result.errors as Recorded<T>['errors']));
        if (result.data) rec.events.push(result.data as T);
        changed();
      },
      error: (err) => {
        if (Array.isArray(err)) rec.errors.push(...err);
        else rec.errors.push({ message: String((err as { reason?: string; message?: string }).reason ?? (err as Error).message ?? err), extensions: { code: `CLOSE_${(err as { code?: number }).code ?? ''}` } });
        changed();
      },
      complete: () => {
        rec.completed = true;
        changed();
      },
    },
  );
  return rec;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The close code of `conn`'s socket, or a failure if it is still open after `timeoutMs`. */
export async function closeCode(conn: WsConnection, timeoutMs = 5000): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('socket still open')), timeoutMs)));
  try {
    return (await Promise.race([conn.closed, timeout])).code;
  } finally {
    clearTimeout(timer);
  }
}
