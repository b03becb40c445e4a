/**
 * Objects as files under one root folder (DATA_DIR/files by default). A put writes a temporary
 * file beside the target and renames it, so readers never see half an object and a failed upload
 * leaves nothing behind.
 */
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertObjectKey, ObjectNotFoundError, type ObjectInfo, type ObjectStorage } from './object-storage';

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

export class LocalDiskStorage implements ObjectStorage {
  readonly kind = 'local' as const;
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    return join(this.root, ...assertObjectKey(key).split('/'));
  }

  async put(key: string, body: Readable): Promise<void> {
    const target = this.path(key);
    // Synchronous so the pipeline listens to the body at once: it may fail before any await ends.
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.partial`;
    const out = createWriteStream(temporary, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(body, out);
      await rename(temporary, target);
    } catch (err) {
      // A body that fails early can beat the file's own opening: remove it once the stream is closed.
      if (!out.closed) await new Promise<void>((closed) => out.once('close', () => closed()));
      await rm(temporary, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    // Opened before returning, so a missing object is an error here and not on the first read.
    const stream = createReadStream(path);
    await new Promise<void>((ok, fail) => {
      stream.once('open', () => ok());
      stream.once('error', (err) => fail(isMissing(err) ? new ObjectNotFoundError(key) : err));
    });
    return stream;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const s = await stat(this.path(key));
      return s.isFile() ? { size: s.size } : null;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
