/**
 * Files through GraphQL: createUpload reserves room in the organization's quota and hands out a
 * short-lived signed URL to PUT the bytes on (see upload.service.ts); file(s) give metadata and
 * a signed download URL; deleteFile removes the row now and the bytes once that has committed.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import type { AppDeps, RequestContext } from '../../core/context/request-context';
import { requireTenant, requireTenantScope, requireViewer } from '../../core/context/request-context';
import { badInput, conflict, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { consumeUploadLimit } from '../../core/http/rate-limits';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { MeteredStream, TooManyBytesError, signQuery, tenantObjectKey } from '../../core/storage';
import { File, FileStatus } from '../../entities/files/file.entity';
import { DEFAULT_QUOTAS, Organization } from '../../entities/tenancy/organization.entity';
import { recordAudit } from '../audit';
import { currentOrganization } from '../tenancy';
import { ACCEPTED_MIME_TYPES, isAcceptedMimeType, normalizeMimeType } from './content-types';

export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
export const DOWNLOAD_URL_TTL_SECONDS = 60 * 60;
/** Signature purposes: an upload URL cannot be used to download, nor the reverse. */
export const UPLOAD_PURPOSE = 'file-upload';
export const DOWNLOAD_PURPOSE = 'file-download';
export const FILE_UPLOAD_PATH = '/files/upload/:organizationId/:fileId';
export const FILE_DOWNLOAD_PATH = '/files/download/:organizationId/:fileId';

const MB = 1024 * 1024;
const GB = 1024 * MB;
/** The GraphQL Int (and the column) holds sizes up to 2 GiB - 1. */
const MAX_REPRESENTABLE_SIZE = 2 ** 31 - 1;


function signedFileUrl(app: AppDeps, kind: 'upload' | 'download', file: Pick<File, 'id' | 'organizationId'>, expires: number): string {
  const purpose = kind === 'upload' ? UPLOAD_PURPOSE : DOWNLOAD_PURPOSE;
  const query = signQuery(app.fileUrlSecret, { purpose, parts: [file.organizationId, file.id], expires });
  return `${app.config.publicUrl.replace(/\/+$/, '')}/files/${kind}/${file.organizationId}/${file.id}?${query}`;
}

const unixSeconds = (ms: number) => Math.floor(ms / 1000);

/** A signed URL that downloads a ready file for the next hour; null while the file is not ready. */
export function downloadUrl(ctx: RequestContext, file: File): string | null {
  if (file.status !== FileStatus.READY) return null;
  return signedFileUrl(ctx.app, 'download', file, unixSeconds(Date.now()) + DOWNLOAD_URL_TTL_SECONDS);
}

/** The base name without any path, control characters or surrounding spaces. */
function cleanFileName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!base || base === '.' || base === '..') throw badInput('name', 'name must be a file name');
  if (base.length > 255) throw badInput('name', 'name must be at most 255 characters');
  return base;
}

const formatSize = (bytes: number) =>
  bytes >= GB ? `${(bytes / GB).toFixed(2)} GB` : bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${bytes} bytes`;

export interface NewUpload {
  name: string;
  mimeType: string;
  size: number;
}

export interface CreatedUpload {
  file: File;
  uploadUrl: string;
  expiresAt: Date;
}

/**
 * A pending file and the URL to PUT its bytes on. The declared size must fit the per-file quota
 * and the organization's storage quota, which counts ready files and the unexpired pending ones
 * (their room is reserved, so concurrent uploads cannot overshoot the quota together).
 */
export async function createUpload(ctx: RequestContext, input: NewUpload): Promise<CreatedUpload> {
  const organizationId = requireTenant(ctx);
  const viewer = requireViewer(ctx);
  // Each upload starts here (the signed PUT carries no user): the per-user upload limit applies now.
  await consumeUploadLimit(ctx);
  const name = cleanFileName(input.name);
  const declaredMimeType = normalizeMimeType(input.mimeType);
  if (!isAcceptedMimeType(declaredMimeType)) {
    throw badInput('mimeType', `Files of type ${declaredMimeType || '(none)'} are not accepted; accepted types: ${ACCEPTED_MIME_TYPES.join(', ')}`);
  }
  if (!Number.isInteger(input.size) || input.size < 1 || input.size > MAX_REPRESENTABLE_SIZE) {
    throw badInput('size', `size must be a number of bytes between 1 and ${MAX_REPRESENTABLE_SIZE}`);
  }
  const org = await currentOrganization(ctx);
  const quotas = { ...DEFAULT_QUOTAS, ...org.quotas };
  const maxFileSize = quotas.maxFileSizeMb * MB;
  if (input.size > maxFileSize) {
    throw badInput('size', `The file is ${formatSize(input.size)}; this organization accepts files up to ${quotas.maxFileSizeMb} MB`);
  }

  return ctx.db.transactional(async (em) => {
    // One reservation at a time per organization, so two uploads cannot both take the last room.
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`files:quota:${organizationId}`]);
    const [{ used }] = await em.execute<{ used: string }[]>(
      `select coalesce(sum(size), 0)::bigint as used from files_file
       where organization_id = ? and (status = 'ready' or (status = 'pending' and expires_at > now()))`,
      [organizationId],
    );
    const usedBytes = Number(used);
    const maxStorage = quotas.maxStorageGb * GB;
    if (usedBytes + input.size > maxStorage) {
      throw conflict(
        `Storage quota exhausted: ${formatSize(usedBytes)} of ${quotas.maxStorageGb} GB in use, ${formatSize(input.size)} more does not fit; delete files or raise the quota`,
        'size',
      );
    }
    const expiresAt = new Date((unixSeconds(Date.now()) + UPLOAD_URL_TTL_SECONDS) * 1000);
    const file = em.create(File, {
      name,
      mimeType: declaredMimeType,
      declaredMimeType,
      size: input.size,
      status: FileStatus.PENDING,
      uploadedBy: viewer.userId,
      expiresAt,
    } as File);
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'file.upload_requested',
      resourceType: 'File',
      resourceId: file.id,
      changes: { name, declaredMimeType, size: input.size },
    });
    return { file, uploadUrl: signedFileUrl(ctx.app, 'upload', file, unixSeconds(expiresAt.getTime())), expiresAt };
  });
}

/** A file of the caller's organization; another organization's id is NOT_FOUND. */
export async function getFile(ctx: RequestContext, id: string): Promise<File> {
  requireTenant(ctx);
  const file = await ctx.loaders.byId<File>(File, assertId('id', id));
  if (!file) throw notFound('File', 'id');
  return file;
}

/** The organization's files, newest first unless ordered otherwise. */
export function listFiles(ctx: RequestContext, args: ListArgs) {
  requireTenant(ctx);
  return buildConnection<File>(ctx.db, File, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
    select: args.select,
  });
}

/** Deletes the row (and its audit trail entry) now; the stored bytes go once that has committed. */
export async function deleteFile(ctx: RequestContext, id: string): Promise<boolean> {
  requireTenant(ctx);
  assertId('id', id);
  return ctx.db.transactional(async (em) => {
    const file = await em.findOne(File, { id });
    if (!file) throw notFound('File', 'id');
    const { storageKey } = file;
    await em.remove(file).flush();
    await recordAudit(ctx, em, {
      action: 'file.delete',
      resourceType: 'File',
      resourceId: id,
      changes: { name: file.name, size: file.size, sha256: file.sha256 ?? null, status: file.status },
    });
    if (storageKey) ctx.db.afterCommit(() => ctx.app.storage.delete(storageKey));
    return true;
  });
}

/** How long after its URL expired a pending file is kept (an upload that started in time may still finish). */
export const EXPIRED_UPLOAD_GRACE_SECONDS = 60 * 60;

/**
 * Deletes the pending files of the context's organization whose upload URL expired more than the
 * grace period ago (they have no stored bytes), releasing their quota reservation. For the
 * scheduled cleanup job, run once per organization; returns how many went.
 */
export async function deleteExpiredUploads(ctx: RequestContext): Promise<number> {
  const organizationId = ctx.db.organizationId;
  if (!organizationId) throw new Error('deleteExpiredUploads needs a tenant context');
  return ctx.db.transactional(async (em) => {
    const cutoff = new Date(Date.now() - EXPIRED_UPLOAD_GRACE_SECONDS * 1000);
    const expired = await em.find(File, { status: FileStatus.PENDING, expiresAt: { $lt: cutoff } }, { fields: ['id'] });
    if (!expired.length) return 0;
    await em.nativeDelete(File, { id: { $in: expired.map((f) => f.id) }, status: FileStatus.PENDING });
    await recordAudit(ctx, em, {
      organizationId,
      userId: null,
      action: 'file.expired_uploads_deleted',
      resourceType: 'File',
      changes: { ids: expired.map((f) => f.id) },
    });
    return expired.length;
  });
}

export interface GeneratedFile {
  name: string;
  mimeType: string;
  /** The content, streamed: it is spooled to a temporary file, never held in memory. */
  body: Readable;
  /** Who the file is made for (the job's actor); null for system output. */
  createdBy: string | null;
}

/**
 * Stores content the server produced (an export, a report) as a ready file of the context's
 * organization, for jobs. The bytes go through a temporary file first so that their size and
 * SHA-256 are known before storage (S3 needs the length to stream) and count against the
 * organization's per-file quota; the row is written, audited, only once the bytes are stored.
 */
export async function storeGeneratedFile(ctx: RequestContext, input: GeneratedFile): Promise<File> {
  const organizationId = requireTenantScope(ctx);
  const name = cleanFileName(input.name);
  const org = await ctx.loaders.byId<Organization>(Organization, organizationId);
  if (!org) throw notFound('Organization');
  const quotas = { ...DEFAULT_QUOTAS, ...org.quotas };
  const maxBytes = Math.min(quotas.maxFileSizeMb * MB, MAX_REPRESENTABLE_SIZE);

  const dir = await mkdtemp(join(tmpdir(), 'tessera-generated-'));
  try {
    const spool = join(dir, 'content');
    const meter = new MeteredStream({ maxBytes });
    try {
      await pipeline(input.body, meter, createWriteStream(spool));
    } catch (err) {
      if (meter.failure instanceof TooManyBytesError) {
        throw conflict(`The generated file is larger than this organization's ${quotas.maxFileSizeMb} MB file limit; narrow the selection`);
      }
      throw err;
    }
    const fileId = uuidv7();
    const key = tenantObjectKey(organizationId, 'files', fileId, randomBytes(8).toString('hex'));
    await ctx.app.storage.put(key, createReadStream(spool), { size: meter.bytes, contentType: input.mimeType });
    try {
      return await ctx.db.transactional(async (em) => {
        const file = em.create(File, {
          id: fileId,
          name,
          mimeType: input.mimeType,
          declaredMimeType: input.mimeType,
          size: meter.bytes,
          sha256: meter.sha256(),
          storageKey: key,
          status: FileStatus.READY,
          uploadedBy: input.createdBy,
          expiresAt: null,
        } as File);
        await em.flush();
        await recordAudit(ctx, em, {
          action: 'file.generate',
          resourceType: 'File',
          resourceId: file.id,
          changes: { name, mimeType: input.mimeType, size: meter.bytes, sha256: file.sha256 },
        });
        return file;
      });
    } catch (err) {
      await ctx.app.storage.delete(key).catch(() => undefined);
      throw err;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The stored bytes of a ready file of the context's organization (jobs reading an upload). */
export async function readFileContent(ctx: RequestContext, id: string): Promise<{ file: File; body: Readable }> {
  const file = await ctx.loaders.byId<File>(File, assertId('id', id));
  if (!file || file.status !== FileStatus.READY || !file.storageKey) throw notFound('File', 'id');
  return { file, body: await ctx.app.storage.get(file.storageKey) };
}
