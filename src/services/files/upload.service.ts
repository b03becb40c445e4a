/**
 * The two signed-URL endpoints behind files: receiving an upload's bytes and serving a
 * download. Nothing here trusts the caller: the organization and file come from the URL path and
 * count only once the signature over (purpose, organization, file, expiry) checks out; the file
 * is then looked up inside that organization (row-level security applies).
 *
 * An upload never holds a database transaction open while bytes flow: the file is read, the body
 * streamed to storage (counted, hashed, stopped beyond the declared size), the content type
 * checked from the stored bytes, and only then is the row updated, if it is still pending.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AppDeps, RequestContext, RequestInfo } from '../../core/context/request-context';
import { createScopedContext } from '../../core/context/request-context';
import { isUuid } from '../../core/ids';
import {
  MeteredStream,
  ObjectNotFoundError,
  TooFewBytesError,
  TooManyBytesError,
  tenantObjectKey,
  verifySignedQuery,
} from '../../core/storage';
import { File, FileStatus } from '../../entities/files/file.entity';
import { recordAudit } from '../audit';
import { detectMimeType, judgeContent } from './content-types';
import { DOWNLOAD_PURPOSE, UPLOAD_PURPOSE } from './file.service';

/** A refusal with the HTTP status the endpoint answers with. */
export class FileRequestRefused extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SignedFileTarget {
  organizationId: string;
  fileId: string;
}

/** The organization and file a signed URL names, or FORBIDDEN when the signature is wrong or expired. */
export function verifyFileUrl(
  app: AppDeps,
  kind: 'upload' | 'download',
  params: { organizationId?: string; fileId?: string },
  query: { expires?: unknown; signature?: unknown },
): SignedFileTarget {
  const { organizationId, fileId } = params;
  const purpose = kind === 'upload' ? UPLOAD_PURPOSE : DOWNLOAD_PURPOSE;
  const check =
    organizationId && fileId && isUuid(organizationId) && isUuid(fileId)
      ? verifySignedQuery(app.fileUrlSecret, { purpose, parts: [organizationId, fileId] }, query)
      : 'invalid';
  if (check === 'expired') throw new FileRequestRefused(403, 'FORBIDDEN', `This ${kind} link has expired`);
  if (check !== 'valid') throw new FileRequestRefused(403, 'FORBIDDEN', `This ${kind} link is not valid`);
  return { organizationId: organizationId!, fileId: fileId! };
}

/** Runs `fn` in its own transaction inside the organization, committed when it returns. */
async function inTenant<T>(app: AppDeps, organizationId: string, info: RequestInfo, fn: (ctx: RequestContext) => Promise<T>): Promise<T> {
  const ctx = createScopedContext(app, { organizationId }, info);
  let committed = false;
  try {
    const value = await fn(ctx);
    committed = true;
    return value;
  } finally {
    await ctx.db.finish(committed);
  }
}

async function findFile(app: AppDeps, target: SignedFileTarget, info: RequestInfo): Promise<File> {
  const file = await inTenant(app, target.organizationId, info, async (ctx) => ctx.loaders.byId<File>(File, target.fileId));
  if (!file) throw new FileRequestRefused(404, 'NOT_FOUND', 'File not found');
  return file;
}

/** Marks a pending file rejected (audited); nothing happens when it is no longer pending. */
async function reject(app: AppDeps, file: File, info: RequestInfo, reason: string): Promise<void> {
  await inTenant(app, file.organizationId, info, (ctx) =>
    ctx.db.transactional(async (em) => {
      const changed = await em.nativeUpdate(
        File,
        { id: file.id, status: FileStatus.PENDING },
        { status: FileStatus.REJECTED, rejectionReason: reason, expiresAt: null, updatedAt: new Date() },
      );
      if (changed) {
        await recordAudit(ctx, em, {
          organizationId: file.organizationId,
          userId: file.uploadedBy ?? null,
          action: 'file.reject',
          resourceType: 'File',
          resourceId: file.id,
          changes: { reason },
        });
      }
    }),
  );
}

export interface UploadRequest {
  body: Readable;
  /** The Content-Length header, when the client sent one. */
  contentLength?: number;
  info: RequestInfo;
}

/**
 * Receives the bytes of a pending file. Refusals: 404 unknown file, 409 not pending any more,
 * 413 more bytes than declared, 400 fewer, 415 content not of the declared type (the last three
 * reject the file). A broken connection or a storage failure leaves the file pending.
 */
export async function receiveUpload(app: AppDeps, target: SignedFileTarget, request: UploadRequest): Promise<File> {
  const { info } = request;
  const file = await findFile(app, target, info);
  if (file.status !== FileStatus.PENDING) {
    throw new FileRequestRefused(409, 'CONFLICT', `The file is ${file.status}; create a new upload`);
  }
  /** Rejects the file and returns the refusal to throw. */
  const refusal = async (status: 400 | 413 | 415, message: string): Promise<FileRequestRefused> => {
    await reject(app, file, info, message);
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
    return new FileRequestRefused(status, code, message);
  };
  if (request.contentLength !== undefined && request.contentLength > file.size) {
    throw await refusal(413, `The body is ${request.contentLength} bytes, more than the ${file.size} declared`);
  }
  if (request.contentLength !== undefined && request.contentLength < file.size) {
    throw await refusal(400, `The body is ${request.contentLength} bytes, ${file.size} were declared`);
  }

  // A fresh key per attempt: two concurrent PUTs of the same URL never write the same object.
  const key = tenantObjectKey(file.organizationId, 'files', file.id, randomBytes(8).toString('hex'));
  const meter = new MeteredStream({ maxBytes: file.size, expectedBytes: file.size });
  const { body } = request;
  body.once('error', (err) => meter.destroy(err));
  body.once('close', () => {
    if (!body.readableEnded) meter.destroy(new Error('The upload was interrupted'));
  });
  body.pipe(meter);
  try {
    await app.storage.put(key, meter, { size: file.size, contentType: file.declaredMimeType });
  } catch (err) {
    await app.storage.delete(key).catch(() => undefined);
    if (meter.failure instanceof TooManyBytesError) throw await refusal(413, `The body is larger than the ${file.size} bytes declared`);
    if (meter.failure instanceof TooFewBytesError) throw await refusal(400, meter.failure.message);
    throw err;
  }
  const sha256 = meter.sha256();

  const verdict = judgeContent(file.declaredMimeType, { detected: await detectMimeType(await app.storage.get(key)), textual: meter.textual });
  if (!verdict.accepted) {
    await app.storage.delete(key);
    throw await refusal(415, verdict.reason);
  }
  const { mimeType } = verdict;

  const ready = await inTenant(app, file.organizationId, info, (ctx) =>
    ctx.db.transactional(async (em) => {
      const changed = await em.nativeUpdate(
        File,
        { id: file.id, status: FileStatus.PENDING },
        { status: FileStatus.READY, mimeType, size: meter.bytes, sha256, storageKey: key, expiresAt: null, updatedAt: new Date() },
      );
      if (!changed) return false;
      await recordAudit(ctx, em, {
        organizationId: file.organizationId,
        userId: file.uploadedBy ?? null,
        action: 'file.upload',
        resourceType: 'File',
        resourceId: file.id,
        changes: { mimeType, size: meter.bytes, sha256 },
      });
      return true;
    }),
  );
  if (!ready) {
    // Deleted, or completed by a concurrent PUT, while these bytes were flowing.
    await app.storage.delete(key);
    throw new FileRequestRefused(409, 'CONFLICT', 'The file was completed or deleted meanwhile');
  }
  return { ...file, status: FileStatus.READY, mimeType, size: meter.bytes, sha256, storageKey: key, expiresAt: null };
}

/** A ready file and its bytes, for the download endpoint. */
export async function openDownload(app: AppDeps, target: SignedFileTarget, info: RequestInfo): Promise<{ file: File; body: Readable }> {
  const file = await findFile(app, target, info);
  if (file.status !== FileStatus.READY || !file.storageKey) throw new FileRequestRefused(404, 'NOT_FOUND', 'File not found');
  try {
    return { file, body: await app.storage.get(file.storageKey) };
  } catch (err) {
    if (err instanceof ObjectNotFoundError) throw new FileRequestRefused(404, 'NOT_FOUND', 'The file’s content is missing');
    throw err;
  }
}
