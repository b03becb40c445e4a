/**
 * `npm run worker`: the job workers alone (no HTTP), for running them apart from the API
 * (WORKERS_IN_PROCESS=false there). Same configuration; migrations run only if the database
 * is not current (prepareDatabase is idempotent). SIGINT/SIGTERM let running jobs finish.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { connectApp } from './app';
import { prepareDatabase } from './core/db/database';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const db = await prepareDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, appPassword: config.databaseAppPassword });
  const app = await connectApp(config, db, { stopDb: db.stop, workers: true });
  console.log(`Tessera worker running ${config.workerConcurrency} jobs at a time on ${app.jobs.backend.kind}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: letting running jobs finish`);
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
