/**
 * Boot: config → database (embedded if no DATABASE_URL) → migrations → demo data → server.
 * SIGTERM/SIGINT run the app's shutdown sequence (stop accepting, drain, close the database)
 * and exit 0, or 1 when a step failed or overran.
 */
import 'reflect-metadata';
import { loadConfigOrExit } from './config';
import { createApp } from './app';
import { DEMO_PASSWORD, seedDemo } from './seed';
import { startServer } from './server';

async function main() {
  const started = Date.now();
  const config = loadConfigOrExit();
  const app = await createApp(config);
  if (config.seedDemo) {
    const seed = await seedDemo(app);
    console.log(seed.created ? '\nDemo data created. Sign in with any of these (password for all: ' + DEMO_PASSWORD + '):' : '\nDemo accounts (password for all: ' + DEMO_PASSWORD + '):');
    for (const a of seed.accounts) console.log(`  ${a.email.padEnd(34)} ${(a.organization ?? '—').padEnd(8)} ${a.role}`);
  }
  const server = await startServer(app);
  const base = config.publicUrl;
  console.log(`\nTessera is ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  GraphQL:  ${base}/graphql`);
  if (config.graphiql) console.log(`  GraphiQL: ${base}/graphql (open in a browser)`);
  console.log(`  JWKS:     ${base}/.well-known/jwks.json`);
  console.log(
    app.workers
      ? `  Jobs:     ${config.workerConcurrency} at a time in this process (${app.jobs.backend.kind} queue)`
      : `  Jobs:     queued on ${app.jobs.backend.kind}; run them with npm run worker`,
  );

  app.log.info({ url: `${base}/graphql`, port: server.port }, 'listening');

  app.shutdown.exitOnSignals();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
