/**
 * Protection baseline on HTTP: document limits (depth, aliases, directives, tokens, cost) with
 * readable 400 errors, introspection and GraphiQL off in production unless enabled, CSRF
 * prevention, the request body limit, and bodies read the same on POST /graphql's own route as on
 * Express's. The same limits as exported for WebSocket use.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { parse, specifiedRules, validate } from 'graphql';
import { protectionParseOptions, protectionRules } from '../../src/core/http/protection';
import { buildSchema } from '../../src/schema/build-schema';
import { startTestApi, type TestApi } from '../support/api';

const production = {
  NODE_ENV: 'production',
  ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  FILE_URL_SECRET: randomBytes(32).toString('base64url'),
};
const smallLimits = {
  GRAPHQL_MAX_DEPTH: '4',
  GRAPHQL_MAX_ALIASES: '2',
  GRAPHQL_MAX_DIRECTIVES: '2',
  GRAPHQL_MAX_TOKENS: '200',
  GRAPHQL_MAX_COST: '60',
};

/** Production defaults: introspection and GraphiQL off; a small body limit. */
let closed: TestApi;
/** Production with introspection and GraphiQL enabled explicitly; small document limits. */
let open: TestApi;
before(async () => {
  [closed, open] = await Promise.all([
    startTestApi({ env: { ...production, REQUEST_BODY_LIMIT_BYTES: '2048' } }),
    startTestApi({ env: { ...production, GRAPHQL_INTROSPECTION: 'true', GRAPHIQL_ENABLED: 'true', ...smallLimits } }),
  ]);
});
after(() => Promise.all([closed.close(), open.close()]));

const refusal = async (api: TestApi, query: string) => {
  const res = await api.post({ query });
  assert.equal(res.status, 400, JSON.stringify(res.json));
  assert.equal(res.json.data, undefined);
  return { code: res.json.errors[0].extensions.code as string, message: res.json.errors[0].message as string };
};

test('a document deeper than GRAPHQL_MAX_DEPTH is refused with a readable 400', async () => {
  assert.equal((await open.post({ query: '{ members { edges { node { id } } } }' })).status, 200);
  assert.deepEqual(await refusal(open, '{ members { edges { node { user { id } } } } }'), {
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: 'Query depth limit of 4 exceeded, found 5.',
  });
});

test('too many aliases, directives or tokens, or too high a cost, are refused with readable 400s', async () => {
  assert.deepEqual(await refusal(open, '{ a: me { id } b: me { id } c: me { id } }'), {
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: 'Aliases limit of 2 exceeded, found 3.',
  });
  assert.deepEqual(await refusal(open, '{ __typename @skip(if: false) @skip(if: false) @include(if: true) }'), {
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: 'Directives limit of 2 exceeded, found 3.',
  });
  const tokens = await refusal(open, `{ ${'__typename '.repeat(250)}}`);
  assert.equal(tokens.code, 'GRAPHQL_PARSE_FAILED');
  assert.match(tokens.message, /contains more tha[nt] 200 tokens/);
  const cost = await refusal(open, `{ me { ${'id '.repeat(40)}} }`);
  assert.equal(cost.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(cost.message, /^Query Cost limit of 60 exceeded, found \d+\.$/);
});

test('the exported rules refuse the same documents for the WebSocket path', async () => {
  const schema = await buildSchema();
  const limits = { maxDepth: 4, maxAliases: 2, maxDirectives: 2, maxTokens: 200, maxCost: 60 };
  const rules = [...specifiedRules, ...protectionRules({ graphqlLimits: limits, introspection: true })];
  const check = (q: string) => validate(schema, parse(q, protectionParseOptions({ graphqlLimits: limits, introspection: true })), rules).map((e) => e.message);
  assert.deepEqual(check('{ members { edges { node { id } } } }'), []);
  assert.deepEqual(check('{ members { edges { node { user { id } } } } }'), ['Query depth limit of 4 exceeded, found 5.']);
  assert.deepEqual(check('{ a: me { id } b: me { id } c: me { id } }'), ['Aliases limit of 2 exceeded, found 3.']);
  assert.throws(() => parse(`{ ${'__typename '.repeat(250)}}`, protectionParseOptions({ graphqlLimits: limits, introspection: true })), /contains more tha[nt] 200 tokens/);
});

test('in production, introspection and GraphiQL are off by default', async () => {
  const res = await closed.post({ query: '{ __schema { queryType { name } } }' });
  assert.equal(res.status, 400);
  assert.equal(res.json.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(res.json.errors[0].message, /introspection is not allowed/i);
  const page = await fetch(closed.server.url, { headers: { accept: 'text/html' } });
  assert.doesNotMatch(await page.text(), /graphiql/i);
  assert.equal((await fetch(closed.server.url.replace(/graphql$/, 'graphiql/graphiql.js'))).status, 404);
});

test('in production, GRAPHQL_INTROSPECTION and GRAPHIQL_ENABLED turn them on', async () => {
  const res = await open.post({ query: '{ __schema { queryType { name } } }' });
  assert.equal(res.status, 200);
  assert.equal(res.json.data.__schema.queryType.name, 'Query');
  const page = await fetch(open.server.url, { headers: { accept: 'text/html' } });
  assert.match(await page.text(), /graphiql/i);
});

test('CSRF prevention: simple requests (text/plain POST, GET without a preflight header) are refused', async () => {
  const url = closed.server.url;
  const textPlain = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
  assert.equal(textPlain.status, 400);
  assert.match(await textPlain.text(), /Cross-Site Request Forgery/);
  const form = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D' });
  assert.equal(form.status, 400);
  const get = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
  assert.equal(get.status, 400);
  assert.match(await get.text(), /Cross-Site Request Forgery/);
  // The same GET with Apollo's preflight header is served: the refusal above is CSRF prevention.
  const preflighted = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
  assert.equal(preflighted.status, 200);
});

test('a body over REQUEST_BODY_LIMIT_BYTES is answered 413 with a GraphQL-shaped error', async () => {
  // Variables the operation does not declare are ignored: they only make the body big.
  const small = await closed.post({ query: '{ __typename }', variables: { s: 'x'.repeat(1000) } });
  assert.equal(small.status, 200);
  const big = await closed.post({ query: '{ __typename }', variables: { s: 'x'.repeat(3000) } });
  assert.equal(big.status, 413);
  assert.equal(big.json.errors[0].extensions.code, 'PAYLOAD_TOO_LARGE');
  assert.match(big.json.errors[0].message, /2048 bytes/);
  const malformed = await fetch(closed.server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
  assert.equal(malformed.status, 400);
  assert.equal(((await malformed.json()) as any).errors[0].extensions.code, 'BAD_REQUEST');
});

test('POST /graphql reads bodies as every Express route does: compressed, with a charset, or not JSON', async () => {
  const url = closed.server.url;
  const body = JSON.stringify({ query: '{ __typename }' });
  const post = (headers: Record<string, string>, payload: string | Buffer, at = url) =>
    fetch(at, { method: 'POST', headers: { 'apollo-require-preflight': 'true', ...headers }, body: payload });
  const gzipped = await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(body));
  assert.equal(gzipped.status, 200);
  assert.deepEqual(await gzipped.json(), { data: { __typename: 'Query' } });
  // The limit applies to the inflated body.
  const bomb = await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(JSON.stringify({ query: '{ __typename }', variables: { s: 'x'.repeat(10_000) } })));
  assert.equal(bomb.status, 413);
  assert.equal(((await bomb.json()) as any).errors[0].extensions.code, 'PAYLOAD_TOO_LARGE');
  const utf8 = await post({ 'content-type': 'application/json; charset=UTF-8' }, body, `${url}?via=query-string`);
  assert.deepEqual(await utf8.json(), { data: { __typename: 'Query' } });
  assert.match(utf8.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(utf8.headers.get('content-type'), 'application/json; charset=utf-8');
  const latin1 = await post({ 'content-type': 'application/json; charset=latin1' }, body);
  assert.equal(latin1.status, 400);
  assert.equal(((await latin1.json()) as any).errors[0].extensions.code, 'BAD_REQUEST');
  const notAnObject = await post({ 'content-type': 'application/json' }, '"{ __typename }"');
  assert.equal(notAnObject.status, 400);
  assert.equal(((await notAnObject.json()) as any).errors[0].extensions.code, 'BAD_REQUEST');
  // A path below /graphql is Express's route, with the same answers.
  const below = await post({ 'content-type': 'application/json' }, body, `${url}/below`);
  assert.deepEqual(await below.json(), { data: { __typename: 'Query' } });
});
