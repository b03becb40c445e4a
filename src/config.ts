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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(10),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(15),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(10).max(1_000_000).default(5000),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(3000),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(50),
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
  logLevel: string;
  /** Query limits shared by HTTP and WebSocket (core/http/protection.ts). */
  graphqlLimits: { maxDepth: number; maxAliases: number; maxCost: number; maxTokens: number; maxDirectives: number };
  websocket: {
    maxSubscriptionsPerSocket: number;
    maxPayloadBytes: number;
    /** How long a subscriber's re-resolved permissions are trusted before the next event re-checks them. */
    permissionCacheMs: number;
  };
  /** Prefix of the Redis channels carrying subscription events (several deployments on one Redis). */
  pubsubChannelPrefix: string;
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
    graphqlLimits: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxCost: e.GRAPHQL_MAX_COST,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
    },
    websocket: {
      maxSubscriptionsPerSocket: e.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
      maxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
      permissionCacheMs: e.WS_PERMISSION_CACHE_MS,
    },
    pubsubChannelPrefix: e.PUBSUB_CHANNEL_PREFIX,
  };
}
