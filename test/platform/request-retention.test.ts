/**
 * Nothing of a finished request may stay reachable from an object V8 keeps in old space until a
 * full GC: every young object it reaches survives each scavenge in between and is promoted, so a
 * whole request (context, rows, result) went to old space and the process ran a full GC every few
 * seconds. Object literals with accessors were the cause (V8 gives each one a map of its own):
 * Apollo's gateway request (patched, patches/@apollo+server+5.5.1.patch) and the list edges.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApolloServer } from '@apollo/server';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { buildSchema } from 'graphql';
import { localGateway } from '../../src/core/http/jit-executor';
import { connectionOf } from '../../src/core/orm/connection';

const ownAccessor = (object: object, key: string) => {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return Boolean(descriptor && (descriptor.get || descriptor.set));
};

test("the gateway request Apollo builds for each operation has no accessors of its own, and its status still reaches the response", async () => {
  const schema = buildSchema('type Query { ok: Boolean }');
  const seen: GatewayGraphQLRequestContext[] = [];
  const apollo = new ApolloServer({
    gateway: localGateway(schema, async (request) => {
      seen.push(request);
      request.response!.http!.status = 203;
      return { data: { ok: true } };
    }),
  });
  await apollo.start();
  try {
    const response = await apollo.executeOperation({ query: '{ ok }' });
    assert.equal(response.http.status, 203);
    assert.deepEqual(response.body.kind === 'single' && response.body.singleResult.data, { ok: true });
    assert.equal(seen.length, 1);
    const http = seen[0].response!.http!;
    assert.equal(http.status, 203);
    assert.equal(ownAccessor(http, 'status'), false, 'response.http.status is an accessor of the object itself: the patch is not applied');
  } finally {
    await apollo.stop();
  }
});

test('list edges encode their cursor on demand, from a getter on their prototype', () => {
  const page = connectionOf([{ id: 'a' }, { id: 'b' }, { id: 'c' }], { first: 2, cursorOf: (node) => `cursor:${node.id}`, count: async () => 3 });
  assert.deepEqual(page.edges.map((e) => [e.node.id, e.cursor]), [['a', 'cursor:a'], ['b', 'cursor:b']]);
  assert.equal(ownAccessor(page.edges[0], 'cursor'), false);
  assert.equal(page.pageInfo.hasNextPage, true);
});
