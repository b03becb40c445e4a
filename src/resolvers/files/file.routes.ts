/**
 * The signed-URL endpoints of files, on the server itself:
 *   PUT /files/upload/:organizationId/:fileId?expires&signature    the bytes of a pending file
 *   GET /files/download/:organizationId/:fileId?expires&signature  a ready file, as an attachment
 * Neither takes a bearer token: the signature is the authorization (services/files/upload.service.ts).
 * Each route is a chain of handlers: check the signature, then act, then answer refusals as JSON
 * `{ error: { code, message } }` with the HTTP status of the refusal.
 */
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { ErrorRequestHandler, Express, Request, RequestHandler } from 'express';
import type { AppDeps, RequestInfo } from '../../core/context/request-context';
import * as files from '../../services/files';

function requestInfo(req: Request): RequestInfo {
  return {
    ip: req.ip ?? null,
    userAgent: req.headers['user-agent'] ?? null,
    requestId: (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) ?? randomUUID(),
  };
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987). */
function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const signedTarget = (res: { locals: Record<string, unknown> }) => res.locals.signedFile as files.SignedFileTarget;

export function mountFileRoutes(app: Express, deps: AppDeps): void {
  const verifyUploadUrl: RequestHandler = (req, res, next) => {
    res.locals.signedFile = files.verifyFileUrl(deps, 'upload', req.params, req.query);
    next();
  };
  const verifyDownloadUrl: RequestHandler = (req, res, next) => {
    res.locals.signedFile = files.verifyFileUrl(deps, 'download', req.params, req.query);
    next();
  };

  const receiveUploadBody: RequestHandler = async (req, res) => {
    const header = req.headers['content-length'];
    const file = await files.receiveUpload(deps, signedTarget(res), {
      body: req,
      contentLength: header && /^\d+$/.test(header) ? Number(header) : undefined,
      info: requestInfo(req),
    });
    res.status(200).json({
      file: { id: file.id, status: file.status, name: file.name, mimeType: file.mimeType, size: file.size, sha256: file.sha256 },
    });
  };

  const sendDownload: RequestHandler = async (req, res) => {
    const { file, body } = await files.openDownload(deps, signedTarget(res), requestInfo(req));
    const textual = file.mimeType.startsWith('text/') || file.mimeType === 'application/json';
    res.status(200).set({
      'Content-Type': textual ? `${file.mimeType}; charset=utf-8` : file.mimeType,
      'Content-Length': String(file.size),
      'Content-Disposition': attachmentDisposition(file.name),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
    });
    await pipeline(body, res).catch(() => res.destroy());
  };

  const answerFileError: ErrorRequestHandler = (err, req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // The rest of an unread body is not worth receiving: close the connection after answering.
    if (!req.readableEnded) res.set('Connection', 'close');
    if (err instanceof files.FileRequestRefused) {
      res.status(err.status).json({ error: { code: err.code, message: err.message } });
      return;
    }
    if (req.destroyed) return;
    if (deps.config.env !== 'test') console.error('file request failed', err);
    res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'The request could not be completed' } });
  };

  app.put(files.FILE_UPLOAD_PATH, verifyUploadUrl, receiveUploadBody, answerFileError);
  app.get(files.FILE_DOWNLOAD_PATH, verifyDownloadUrl, sendDownload, answerFileError);
}
