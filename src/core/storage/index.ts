/**
 * File storage for the whole server: `createStorage(config)` picks S3 when S3_BUCKET is set and
 * local disk under DATA_DIR/files otherwise; `checkStorage` is the readiness probe.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Config } from '../../config';
import { localSecret } from '../db/secrets';
import { LocalDiskStorage } from './local-storage';
import type { ObjectStorage } from './object-storage';
import { S3Storage } from './s3-storage';

export * from './object-storage';
export { LocalDiskStorage } from './local-storage';
export { S3Storage } from './s3-storage';
export { signQuery, verifySignedQuery, type SignatureCheck, type SignedParts } from './signed-urls';

export function createStorage(config: Pick<Config, 's3' | 'dataDir'>): ObjectStorage {
  return config.s3 ? new S3Storage(config.s3) : new LocalDiskStorage(join(config.dataDir, 'files'));
}

/** FILE_URL_SECRET, or outside production one generated once into DATA_DIR (loadConfig requires it in production). */
export function fileUrlSecret(config: Pick<Config, 'fileUrlSecret' | 'dataDir'>): string {
  return config.fileUrlSecret ?? localSecret(config.dataDir, 'file-url-secret', () => randomBytes(32).toString('base64url'));
}

/** Writes, reads back and deletes a small probe object; throws naming the step that failed. */
export async function checkStorage(storage: ObjectStorage): Promise<void> {
  const key = `health/probe-${Date.now()}-${randomBytes(4).toString('hex')}`;
  const probe = randomBytes(32);
  let step = 'write';
  try {
    await storage.put(key, Readable.from([probe]), { size: probe.length, contentType: 'application/octet-stream' });
    step = 'read';
    const chunks: Buffer[] = [];
    for await (const chunk of await storage.get(key)) chunks.push(chunk as Buffer);
    if (!Buffer.concat(chunks).equals(probe)) throw new Error('read back different bytes');
    step = 'delete';
    await storage.delete(key);
    if (await storage.head(key)) throw new Error('object still present');
  } catch (err) {
    if (step !== 'delete') await storage.delete(key).catch(() => undefined);
    throw new Error(`${storage.kind} storage ${step} failed: ${(err as Error).message}`);
  }
}
export { MeteredStream, TooFewBytesError, TooManyBytesError } from './metered-stream';
