/**
 * The file types an organization may store, and the check of an upload's content against the
 * type its uploader declared: binary formats must be recognised from their magic numbers
 * (file-type), text formats must be UTF-8 text without NUL bytes and match no binary signature.
 */
import type { Readable } from 'node:stream';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Accepted types; `text` types have no signature and are checked as UTF-8 text. */
const ACCEPTED: ReadonlyMap<string, { text: boolean }> = new Map([
  ['application/pdf', { text: false }],
  ['image/png', { text: false }],
  ['image/jpeg', { text: false }],
  ['image/gif', { text: false }],
  ['image/webp', { text: false }],
  [XLSX, { text: false }],
  [DOCX, { text: false }],
  ['text/csv', { text: true }],
  ['text/plain', { text: true }],
  ['application/json', { text: true }],
]);

export const ACCEPTED_MIME_TYPES: readonly string[] = [...ACCEPTED.keys()];

/** `Text/CSV; charset=utf-8` -> `text/csv`. */
export function normalizeMimeType(value: string): string {
  return value.split(';')[0].trim().toLowerCase();
}

export const isAcceptedMimeType = (mimeType: string): boolean => ACCEPTED.has(mimeType);
export const isTextMimeType = (mimeType: string): boolean => ACCEPTED.get(mimeType)?.text === true;

type FileTypeModule = typeof import('file-type');
let fileTypeModule: Promise<FileTypeModule> | undefined;

/** The MIME type recognised from the first bytes of the stream (read only as far as needed), or undefined. */
export async function detectMimeType(stream: Readable): Promise<string | undefined> {
  // file-type is ESM-only: loaded once with a dynamic import.
  fileTypeModule ??= import('file-type');
  const { fileTypeFromStream } = await fileTypeModule;
  try {
    return (await fileTypeFromStream(stream))?.mime;
  } finally {
    stream.destroy();
  }
}

export type ContentVerdict = { accepted: true; mimeType: string } | { accepted: false; reason: string };

/** Compares what the content is with what was declared. */
export function judgeContent(declared: string, content: { detected: string | undefined; textual: boolean }): ContentVerdict {
  const { detected, textual } = content;
  if (detected) {
    return detected === declared
      ? { accepted: true, mimeType: detected }
      : { accepted: false, reason: `The content is ${detected}, not ${declared} as declared` };
  }
  if (!isTextMimeType(declared)) return { accepted: false, reason: `The content is not recognisable as ${declared}` };
  return textual
    ? { accepted: true, mimeType: declared }
    : { accepted: false, reason: `The content is not UTF-8 text, so it cannot be ${declared}` };
}
