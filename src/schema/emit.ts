/**
 * Writes src/schema/schema.graphql from the code (`npm run schema:emit`), or with --check fails
 * when the committed file is stale (CI).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { schemaSdl } from './build-schema';

export const SCHEMA_FILE = join(process.cwd(), 'src', 'schema', 'schema.graphql');

async function main() {
  const sdl = await schemaSdl();
  if (process.argv.includes('--check')) {
    const committed = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (committed !== sdl) {
      console.error('src/schema/schema.graphql is stale: run `npm run build && npm run schema:emit` and commit it.');
      process.exit(1);
    }
    console.log('schema.graphql is up to date');
    return;
  }
  writeFileSync(SCHEMA_FILE, sdl);
  console.log(`wrote ${SCHEMA_FILE}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
