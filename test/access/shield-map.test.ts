/**
 * The permission map of the API: every root field and the shield rule that guards it, compared
 * with a committed snapshot so that a permission change is a reviewed diff. Refresh it with
 * UPDATE_SNAPSHOTS=1 npm test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildBareSchema, permissionRules } from '../../src/schema/build-schema';
import { isPublic } from '../../src/schema/rules';

const SNAPSHOT = join(process.cwd(), 'test', 'access', '__snapshots__', 'shield-map.json');

function ruleName(rule: unknown): string {
  if (rule === isPublic) return 'isPublic';
  const r = rule as { name?: unknown; constructor: { name: string }; getRules?: () => unknown[] };
  if (typeof r.name === 'string') return r.name;
  if (typeof r.getRules === 'function') {
    const op = r.constructor.name.replace(/^Rule/, '').toLowerCase();
    return `${op}(${r.getRules().map(ruleName).join(', ')})`;
  }
  return r.constructor.name;
}

test('every root field has a shield rule, and the map matches the committed snapshot', async () => {
  const schema = await buildBareSchema();
  const rules = permissionRules();
  const map: Record<string, Record<string, string>> = {};
  const missing: string[] = [];
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    map[type.name] = {};
    for (const field of Object.keys(type.getFields()).sort()) {
      const rule = rules[type.name]?.[field];
      if (!rule) missing.push(`${type.name}.${field}`);
      else map[type.name][field] = ruleName(rule);
    }
  }
  assert.deepEqual(missing, [], `root fields without a shield rule: ${missing.join(', ')}`);

  // A rule for a field that does not exist is a typo that protects nothing.
  const stray = Object.entries(rules)
    .filter(([type]) => ['Query', 'Mutation', 'Subscription'].includes(type))
    .flatMap(([type, fields]) => Object.keys(fields).filter((f) => !map[type]?.[f]).map((f) => `${type}.${f}`));
  assert.deepEqual(stray, [], `shield rules for unknown root fields: ${stray.join(', ')}`);

  const text = `${JSON.stringify(map, null, 2)}\n`;
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(dirname(SNAPSHOT), { recursive: true });
    writeFileSync(SNAPSHOT, text);
    return;
  }
  assert.ok(existsSync(SNAPSHOT), `${SNAPSHOT} is missing: run with UPDATE_SNAPSHOTS=1 and commit it`);
  assert.deepEqual(map, JSON.parse(readFileSync(SNAPSHOT, 'utf8')), 'the permission map changed: review, then run with UPDATE_SNAPSHOTS=1 and commit the snapshot');
});
