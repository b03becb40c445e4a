/**
 * Composition root: database (embedded when no DATABASE_URL) with migrations applied, the ORM
 * connected as the unprivileged app role, the signing key ring. Shared by main, tests and benches.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import type { JWK } from 'jose';
import { ormConfig } from '../mikro-orm.config';
import type { Config } from './config';
import { generateSigningJwk, KeyRing } from './core/auth/access-tokens';
import { localSecret } from './core/db/secrets';
import { prepareDatabase } from './core/db/database';
import type { AppDeps } from './core/context/request-context';
import { resolveViewer } from './services/identity';
import { createMessenger } from './core/messaging/outbound';
import { createTenantPubSub } from './core/pubsub';

export interface App extends AppDeps {
  ownerUrl: string;
  close(): Promise<void>;
}

async function signingKeys(config: Config): Promise<JWK[]> {
  if (config.jwt.signingKeys) {
    try {
      const keys = JSON.parse(config.jwt.signingKeys);
      if (!Array.isArray(keys)) throw new Error('not an array');
      return keys;
    } catch (err) {
      throw new Error(`JWT_SIGNING_KEYS: must be a JSON array of Ed25519 private JWKs (${(err as Error).message})`);
    }
  }
  const generated = await generateSigningJwk();
  return JSON.parse(localSecret(config.dataDir, 'jwt-signing-keys', () => JSON.stringify([generated])));
}

/** Connects to a prepared database (already migrated) as the app role. */
export async function connectApp(config: Config, urls: { ownerUrl: string; appUrl: string }, stopDb: () => Promise<void> = async () => {}): Promise<App> {
  const orm = await MikroORM.init(ormConfig(urls.appUrl));
  const keyRing = await KeyRing.fromJwks(await signingKeys(config), {
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    ttlSeconds: config.jwt.accessTtlSeconds,
  });
  const messenger = createMessenger(orm, { smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, quiet: config.env === 'test' });
  const pubsub = await createTenantPubSub({ redisUrl: config.redisUrl, channelPrefix: config.pubsubChannelPrefix });
  return {
    config,
    orm,
    keyRing,
    resolveViewer,
    messenger,
    pubsub,
    ownerUrl: urls.ownerUrl,
    async close() {
      await pubsub.close();
      await orm.close(true);
      await stopDb();
    },
  };
}

export async function createApp(config: Config): Promise<App> {
  const db = await prepareDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, appPassword: config.databaseAppPassword });
  return connectApp(config, db, db.stop);
}
