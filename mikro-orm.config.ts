/**
 * MikroORM configuration, shared by the server, the workers, the migrator and the tests.
 * Migrations are listed explicitly (src/migrations/index.ts) so that no runner has to import
 * TypeScript files by path.
 */
import { defineConfig, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { allEntities } from './src/entities';
import { TenantSubscriber } from './src/core/orm/tenant-subscriber';
import { migrationsList } from './src/migrations';

export function ormConfig(clientUrl: string, options: { poolMax?: number } = {}) {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl,
    entities: allEntities,
    subscribers: [new TenantSubscriber()],
    extensions: [Migrator],
    forceUtcTimezone: true,
    allowGlobalContext: false,
    discovery: { disableDynamicFileAccess: true },
    pool: { min: 0, max: options.poolMax ?? 10 },
    // Tables written without entities (migration-created): never dropped by a generated diff.
    schemaGenerator: { skipTables: ['rate_limit'] },
    migrations: {
      migrationsList,
      path: 'src/migrations',
      pathTs: 'src/migrations',
      snapshot: false,
      emit: 'ts',
      transactional: true,
      allOrNothing: true,
    },
  });
}

export default ormConfig(process.env.DATABASE_URL ?? 'postgresql://localhost/tessera');
