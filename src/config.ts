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
  WORKERS_IN_PROCESS: optionalBool,
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  CLEANUP_SCHEDULE: z
    .string()
    .default('17 * * * *')
    .refine((v) => v.trim() === 'off' || v.trim().split(/\s+/).length >= 5, 'must be a cron pattern (5 or 6 fields) or "off"'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  logLevel: string;
  /** Run the job workers inside the API process (`npm start`); `npm run worker` runs them alone. */
  workersInProcess: boolean;
  workerConcurrency: number;
  /** Cron pattern of the cleanup-expired job, or null when switched off. */
  cleanupSchedule: string | null;
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
  for (const name of ['JWT_SIGNING_KEYS', 'ENCRYPTION_KEY'] as const) {
    if (production && !e[name]) throw new ConfigError(`Invalid configuration:\n  ${name}: required in production`);
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
    logLevel: e.LOG_LEVEL,
    workersInProcess: e.WORKERS_IN_PROCESS ?? true,
    workerConcurrency: e.WORKER_CONCURRENCY,
    cleanupSchedule: e.CLEANUP_SCHEDULE.trim() === 'off' ? null : e.CLEANUP_SCHEDULE.trim(),
  };
}
