/**
 * `npm run worker`: the job workers alone (no HTTP), for running them apart from the API
 * (WORKERS_IN_PROCESS=false there). Same configuration; migrations run only if the database
 * is not current (prepareDatabase is idempotent). SIGINT/SIGTERM run the shutdown sequence:
 * running jobs finish, then the connections close. Needs DATABASE_URL: an API's embedded
 * database belongs to its own process (inside `npm start`, workers already run).
 */
import 'reflect-metadata';
import { loadConfigOrExit } from './config';
import { connectApp } from './app';
import { prepareDatabase } from './core/db/database';

async function main() {
  const config = loadConfigOrExit();
  if (!config.databaseUrl) {
    console.error('DATABASE_URL: required by npm run worker (npm start runs the workers itself on its embedded database)');
    process.exit(2);
  }
  const db = await prepareDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, appPassword: config.databaseAppPassword });
  const app = await connectApp(config, db, { stopDb: db.stop, workers: true });
  console.log(`Tessera worker running ${config.workerConcurrency} jobs at a time on ${app.jobs.backend.kind}`);

  app.shutdown.exitOnSignals();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
