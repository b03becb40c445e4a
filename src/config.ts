/**
 * Every environment variable Tessera reads, parsed and validated in one place.
 * A wrong value stops start-up with a message naming the variable (see .env.example).
 */
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));
const optionalBool = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim().toLowerCase() : undefined))
  .pipe(bool.optional());
const postgresUrl = optionalString.refine(
  (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
  'must be a postgres:// or postgresql:// URL',
);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), 'must be an http(s) URL'),
  DATABASE_URL: postgresUrl,
  DATABASE_APP_PASSWORD: optionalString,
  REDIS_URL: optionalString.refine((v) => v === undefined || /^rediss?:\/\//.test(v), 'must be a redis:// URL'),
  DATA_DIR: z.string().min(1).default('.data'),
  JWT_SIGNING_KEYS: optionalString,
  JWT_ISSUER: z.string().min(1).default('tessera'),
  JWT_AUDIENCE: z.string().min(1).default('tessera-api'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  SIGNUP_ENABLED: optionalBool,
  GRAPHQL_INTROSPECTION: optionalBool,
  GRAPHIQL_ENABLED: optionalBool,
  SEED_DEMO: optionalBool,
  SMTP_URL: optionalString.refine((v) => v === undefined || /^smtps?:\/\//.test(v), 'must be an smtp:// or smtps:// URL'),
  MAIL_FROM: z.string().min(3).default('Tessera <no-reply@tessera.local>'),
  ENCRYPTION_KEY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{43}$/.test(v), 'must be 32 bytes, base64url (43 characters)'),
  FILE_URL_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, 'must be at least 32 characters'),
  S3_ENDPOINT: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), 'must be an http(s) URL'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: optionalString,
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: optionalBool,
  WORKERS_IN_PROCESS: optionalBool,
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  JOB_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]+$/, 'letters, digits and : _ . - only').default('bull'),
  CLEANUP_SCHEDULE: z
    .string()
    .default('17 * * * *')
    .refine((v) => v.trim() === 'off' || v.trim().split(/\s+/).length >= 5, 'must be a cron pattern (5 or 6 fields) or "off"'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REQUEST_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(15_000),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(15),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(50),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(10).max(1_000_000).default(5000),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).max(10_000_000).default(20_000),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  RATE_LIMIT_AUTH: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_GENERAL: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_UPLOADS: z.coerce.number().int().min(1).default(10),
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().min(1).max(1000).default(20),
  WS_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(64 * 1024),
  WS_PERMISSION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1500),
  PUBSUB_CHANNEL_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]*$/, 'letters, digits and : _ . - only').default('tessera:'),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl?: string;
  databaseAppPassword?: string;
  redisUrl?: string;
  dataDir: string;
  jwt: { signingKeys?: string; issuer: string; audience: string; accessTtlSeconds: number; refreshTtlDays: number };
  signupEnabled: boolean;
  introspection: boolean;
  graphiql: boolean;
  seedDemo: boolean;
  smtpUrl?: string;
  mailFrom: string;
  /** Encrypts secrets at rest (MFA secrets). Unset outside production: generated into DATA_DIR. */
  encryptionKey?: string;
  /** Signs file upload and download URLs (HMAC-SHA256). Unset outside production: generated into DATA_DIR. */
  fileUrlSecret?: string;
  /** S3-compatible object storage when S3_BUCKET is set; otherwise local disk under DATA_DIR/files. */
  s3?: S3Config;
  logLevel: string;
  /** Largest accepted request body; larger ones are answered 413. */
  bodyLimitBytes: number;
  /** How long shutdown waits for in-flight HTTP requests (and other drains) before cutting them. */
  shutdownTimeoutMs: number;
  /** Document limits, the same on HTTP and WebSocket (src/core/http/graphql-limits.ts). */
  graphqlLimits: { maxDepth: number; maxAliases: number; maxDirectives: number; maxTokens: number; maxCost: number };
  /** Points per window: auth per IP+email and operation, general per user (or IP), uploads per user (or IP). */
  rateLimits: { windowSeconds: number; auth: number; general: number; uploads: number };
  websocket: {
    maxSubscriptionsPerSocket: number;
    maxPayloadBytes: number;
    /** How long a subscriber's re-resolved permissions are trusted before the next event re-checks them. */
    permissionCacheMs: number;
  };
  /** Prefix of the Redis channels carrying subscription events (several deployments on one Redis). */
  pubsubChannelPrefix: string;
  /** Run the job workers inside the API process (`npm start`); `npm run worker` runs them alone. */
  workersInProcess: boolean;
  workerConcurrency: number;
  /** How long a running job's lock lasts (renewed at half) and how often workers look for stalled jobs. */
  jobLockMs: number;
  /** Key prefix of BullMQ's keys on Redis (REDIS_URL); the PostgreSQL backend has its own schema. */
  queuePrefix: string;
  /** Cron pattern of the cleanup-expired job, or null when switched off. */
  cleanupSchedule: string | null;
}

export interface S3Config {
  endpoint?: string;
  region: string;
  bucket: string;
  /** Both or neither; neither uses the SDK's default credential chain (IAM role, profile). */
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  for (const name of ['JWT_SIGNING_KEYS', 'ENCRYPTION_KEY', 'FILE_URL_SECRET'] as const) {
    if (production && !e[name]) throw new ConfigError(`Invalid configuration:\n  ${name}: required in production`);
  }
  if (!e.S3_BUCKET) {
    const stray = (['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).find((n) => e[n]);
    if (stray) throw new ConfigError(`Invalid configuration:\n  S3_BUCKET: required when ${stray} is set`);
  }
  if (Boolean(e.S3_ACCESS_KEY_ID) !== Boolean(e.S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError('Invalid configuration:\n  S3_ACCESS_KEY_ID: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    databaseUrl: e.DATABASE_URL,
    databaseAppPassword: e.DATABASE_APP_PASSWORD,
    redisUrl: e.REDIS_URL,
    dataDir: e.DATA_DIR,
    jwt: {
      signingKeys: e.JWT_SIGNING_KEYS,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    },
    signupEnabled: e.SIGNUP_ENABLED ?? true,
    introspection: e.GRAPHQL_INTROSPECTION ?? !production,
    graphiql: e.GRAPHIQL_ENABLED ?? !production,
    seedDemo: e.SEED_DEMO ?? !production,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    encryptionKey: e.ENCRYPTION_KEY,
    fileUrlSecret: e.FILE_URL_SECRET,
    s3: e.S3_BUCKET
      ? {
          endpoint: e.S3_ENDPOINT,
          region: e.S3_REGION,
          bucket: e.S3_BUCKET,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE ?? false,
        }
      : undefined,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.REQUEST_BODY_LIMIT_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    graphqlLimits: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxCost: e.GRAPHQL_MAX_COST,
    },
    rateLimits: {
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      auth: e.RATE_LIMIT_AUTH,
      general: e.RATE_LIMIT_GENERAL,
      uploads: e.RATE_LIMIT_UPLOADS,
    },
    websocket: {
      maxSubscriptionsPerSocket: e.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
      maxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
      permissionCacheMs: e.WS_PERMISSION_CACHE_MS,
    },
    pubsubChannelPrefix: e.PUBSUB_CHANNEL_PREFIX,
    workersInProcess: e.WORKERS_IN_PROCESS ?? true,
    workerConcurrency: e.WORKER_CONCURRENCY,
    jobLockMs: e.JOB_LOCK_MS,
    queuePrefix: e.QUEUE_PREFIX,
    cleanupSchedule: e.CLEANUP_SCHEDULE.trim() === 'off' ? null : e.CLEANUP_SCHEDULE.trim(),
  };
}

/** For entry points (server, worker): the configuration, or the message naming the variable at fault and exit code 2. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
