/**
 * The GraphiQL explorer, served from installed packages (no CDN), so it works offline.
 * GET /graphql with Accept: text/html shows it; its assets live under /graphiql/.
 */
import type { Express } from 'express';
import { dirname, join } from 'node:path';

const assets: Record<string, string> = {
  'react.js': join(dirname(require.resolve('react/package.json')), 'umd', 'react.production.min.js'),
  'react-dom.js': join(dirname(require.resolve('react-dom/package.json')), 'umd', 'react-dom.production.min.js'),
  'graphiql.js': join(dirname(require.resolve('graphiql/package.json')), 'graphiql.min.js'),
  'graphiql.css': join(dirname(require.resolve('graphiql/package.json')), 'graphiql.min.css'),
};

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Tessera — GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/graphiql.css" />
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading…</div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script>
    const url = new URL('/graphql', window.location.href).toString();
    const fetcher = GraphiQL.createFetcher({ url, subscriptionUrl: url.replace(/^http/, 'ws') });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultHeaders: '{\\n  "Authorization": "Bearer <accessToken from login>"\\n}',
        defaultQuery: '# Sign in, then paste the accessToken into the Authorization header below.\\nmutation SignIn {\\n  login(input: { email: "owner@acme.test", password: "Tessera!2026" }) {\\n    accessToken\\n    organization { name }\\n  }\\n}\\n',
      }),
    );
  </script>
</body>
</html>`;

export function mountGraphiql(app: Express): void {
  for (const [name, file] of Object.entries(assets)) {
    app.get(`/graphiql/${name}`, (_req, res) => res.sendFile(file, { maxAge: '1d' }));
  }
  app.get('/graphql', (req, res, next) => {
    if (!req.accepts(['application/json', 'text/html']) || req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    res.type('html').send(page);
  });
}

