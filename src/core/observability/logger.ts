/**
 * Structured JSON logs (pino). One root logger per process from LOG_LEVEL; each request or job
 * logs through a child carrying requestId, organizationId and userId (RequestContext.log).
 * Secrets are redacted by key wherever they appear in a logged object, as a second line of
 * defence: request variables and headers are not logged in the first place.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger, DestinationStream };

const SECRET_KEYS = [
  'authorization',
  'cookie',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'totpCode',
  'secret',
  'apiKey',
];

/** Redaction paths for the secret keys at the top level and up to three levels down. */
function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of SECRET_KEYS) {
    paths.push(key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`);
  }
  return paths;
}

export interface LoggerOptions {
  level: string;
  /** Where lines go; stdout when omitted (tests pass a collector). */
  destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level,
      base: { service: 'tessera' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(), censor: '[Redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination,
  );
}

/** The fields every line of a request or job carries. */
export function requestLogger(
  root: Logger,
  fields: { requestId: string; organizationId: string | null; userId: string | null },
): Logger {
  return root.child(fields);
}
