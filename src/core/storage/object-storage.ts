/**
 * Where file bytes live: one interface over local disk and S3-compatible services. Keys are
 * `/`-separated segments of safe characters; every tenant's objects sit under `orgs/<orgId>/`
 * (tenantObjectKey), so a bucket or folder can be listed, copied or wiped per organization.
 */
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  size: number;
}

export interface PutOptions {
  /** Exact byte count when known (S3 needs it to stream without buffering). */
  size?: number;
  contentType?: string;
}

export interface ObjectStorage {
  /** `local` or `s3`, for logs and the health check. */
  readonly kind: 'local' | 's3';
  /**
   * Stores the stream under `key`, replacing any object there; a failed stream leaves nothing
   * behind. Implementations listen to the body's errors before their first await.
   */
  put(key: string, body: Readable, options?: PutOptions): Promise<void>;
  /** The object's bytes; rejects with ObjectNotFoundError when there is none. */
  get(key: string): Promise<Readable>;
  /** Size of the object, or null when there is none. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Removes the object; no error when there is none. */
  delete(key: string): Promise<void>;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored object ${key}`);
  }
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/** Refuses keys that could escape a folder or mean different things on disk and in S3. */
export function assertObjectKey(key: string): string {
  const segments = key.split('/');
  if (!segments.length || segments.some((s) => !SEGMENT.test(s) || s === '.' || s === '..')) {
    throw new Error(`Invalid object key: ${JSON.stringify(key)}`);
  }
  return key;
}

/** `orgs/<organizationId>/<...parts>`: the only way domains should name tenant objects. */
export function tenantObjectKey(organizationId: string, ...parts: string[]): string {
  return assertObjectKey(['orgs', organizationId, ...parts].join('/'));
}
