// The PostGraphile 5 peer of bench:read, run on Node 22 from this folder's node_modules. It
// serves the same tables as the app role, with row-level security on: each request's
// `x-tenant-id` header becomes `app.tenant_id` (pgSettings), as a PostGraphile deployment
// would set it from a verified JWT. V4 preset: the `id` column stays `id`.
//
// Env: DATABASE_URL (the app role), PORT. Prints `listening <port>` once ready.
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { grafserv } from 'postgraphile/grafserv/node';
import { makePgService } from 'postgraphile/adaptors/pg';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makeV4Preset } from 'postgraphile/presets/v4';

const preset = {
  extends: [PostGraphileAmberPreset, makeV4Preset({ disableDefaultMutations: true })],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'], poolConfig: { max: 10 } })],
  grafast: {
    explain: false,
    context(requestContext) {
      const tenant = requestContext.node?.req?.headers['x-tenant-id'];
      return { pgSettings: { 'app.tenant_id': typeof tenant === 'string' ? tenant : '' } };
    },
  },
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server).then(() => {
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    console.log(`listening ${server.address().port}`);
  });
});
