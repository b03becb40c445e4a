/**
 * A pass-through stream for incoming uploads: counts bytes and fails as soon as the count goes
 * past the limit (before the extra bytes reach storage), or at the end when fewer bytes came than
 * expected; computes the SHA-256; and tells whether the whole content is UTF-8 text without NUL
 * bytes (text formats such as CSV have no magic number to detect).
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export class TooManyBytesError extends Error {
  constructor(readonly limit: number) {
    super(`The body is larger than ${limit} bytes`);
  }
}

export class TooFewBytesError extends Error {
  constructor(readonly expected: number, readonly received: number) {
    super(`The body has ${received} bytes, ${expected} were declared`);
  }
}

export class MeteredStream extends Transform {
  bytes = 0;
  /** Whether everything so far is valid UTF-8 without NUL bytes. */
  textual = true;
  /** The error this stream failed with (limit or shortfall), when it was its own. */
  failure?: TooManyBytesError | TooFewBytesError;
  private readonly hash: Hash = createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly limits: { maxBytes: number; expectedBytes?: number }) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxBytes) {
      this.failure = new TooManyBytesError(this.limits.maxBytes);
      callback(this.failure);
      return;
    }
    this.hash.update(chunk);
    if (this.textual) this.checkText(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const expected = this.limits.expectedBytes;
    if (expected !== undefined && this.bytes !== expected) {
      this.failure = new TooFewBytesError(expected, this.bytes);
      callback(this.failure);
      return;
    }
    if (this.textual) this.checkText(undefined);
    callback();
  }

  /** Hex SHA-256 of every byte that passed (call after the stream ended). */
  sha256(): string {
    return this.hash.digest('hex');
  }

  private checkText(chunk: Buffer | undefined): void {
    if (chunk?.includes(0)) {
      this.textual = false;
      return;
    }
    try {
      // `stream: true` keeps a multi-byte character split across chunks; the final call checks none is left open.
      if (chunk) this.decoder.decode(chunk, { stream: true });
      else this.decoder.decode();
    } catch {
      this.textual = false;
    }
  }
}
