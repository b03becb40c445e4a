/** Boot-level behaviour: configuration errors, JWKS and key rotation, the offline explorer, error hygiene. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';
import { generateSigningJwk, KeyRing } from '../../src/core/auth/access-tokens';
import { startTestApi, type TestApi } from '../support/api';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

const base = () => api.server.url.replace(/\/graphql$/, '');

test('a wrong configuration value stops start-up naming the variable', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: Error) => e instanceof ConfigError && /PORT/.test(e.message));
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /JWT_SIGNING_KEYS/);
  assert.equal(loadConfig({}).port, 4000);
});

test('JWKS publishes the public signing keys only', async () => {
  const res = await fetch(`${base()}/.well-known/jwks.json`);
  const body = (await res.json()) as { keys: Record<string, string>[] };
  assert.equal(body.keys.length, 1);
  assert.equal(body.keys[0].crv, 'Ed25519');
  assert.ok(body.keys[0].kid);
  assert.equal(body.keys[0].d, undefined);
});

test('after key rotation, tokens signed with the old key stay valid and new ones use the new kid', async () => {
  const opts = { issuer: 'tessera', audience: 'tessera-api', ttlSeconds: 900 };
  const [oldKey, newKey] = [await generateSigningJwk(), await generateSigningJwk()];
  const before = await KeyRing.fromJwks([oldKey], opts);
  const token = await before.sign({ sub: 'u', sid: 's', org: 'o' });
  const rotated = await KeyRing.fromJwks([newKey, oldKey], opts);
  assert.deepEqual(await rotated.verify(token), { sub: 'u', sid: 's', org: 'o' });
  const fresh = await rotated.sign({ sub: 'u', sid: 's' });
  assert.equal(JSON.parse(Buffer.from(fresh.split('.')[0], 'base64url').toString()).kid, newKey.kid);
  assert.equal(rotated.jwks().keys.length, 2);
  // A token from a key that is no longer in the ring, or for another audience, is refused.
  await assert.rejects((await KeyRing.fromJwks([newKey], opts)).verify(token));
  await assert.rejects((await KeyRing.fromJwks([oldKey], { ...opts, audience: 'other' })).verify(token));
});

test('GraphiQL and its assets are served by the server itself', async () => {
  const page = await fetch(`${base()}/graphql`, { headers: { accept: 'text/html' } });
  const html = await page.text();
  assert.match(html, /graphiql/i);
  assert.doesNotMatch(html, /https?:\/\/(unpkg|cdn|esm\.sh)/);
  for (const asset of ['graphiql.js', 'graphiql.css', 'react.js', 'react-dom.js']) {
    assert.equal((await fetch(`${base()}/graphiql/${asset}`)).status, 200, asset);
  }
});

test('errors carry a code and never a hint at the schema or a stack', async () => {
  const typo = await api.post({ query: '{ mee { id } }' });
  assert.equal(typo.json.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  const badEnum = await api.post({ query: 'query($s: OrganizationStatus!) { __typename }', variables: { s: 'ACTIV' } });
  for (const e of [...typo.json.errors, ...badEnum.json.errors]) {
    assert.doesNotMatch(e.message, /Did you mean/);
    assert.equal(e.extensions.stacktrace, undefined);
  }
});

test('batched HTTP requests are refused', async () => {
  const res = await api.post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
  assert.ok(res.status >= 400);
});

test('a malformed id in a filter is bad input, not an internal error', async () => {
  const token = await api.login('admin', 'acme');
  const res = await api.post({ query: 'query { members(filter: { userId: { eq: "not-a-uuid" } }) { totalCount } }' }, token);
  assert.equal(res.json.errors[0].extensions.code, 'BAD_USER_INPUT');
});
