/**
 * The Decimal scalar writes numeric column text ("1007.00") in its canonical form without a
 * Decimal: the same text decimal.js gives, for every shape PostgreSQL sends and for odd input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Decimal from 'decimal.js';
import { DecimalScalar } from '../../src/schema/scalars';

test('Decimal serializes numeric text exactly as decimal.js does', () => {
  const samples = ['0', '0.00', '-0.00', '-0.5', '0.50', '1007', '1007.00', '-12.340', '100', '1000000.000001', '99999999999999999999999999.99'];
  for (let i = 0; i < 2000; i++) {
    const whole = String(Math.floor(Math.random() * 10 ** (1 + (i % 9))));
    const fraction = i % 3 ? `.${String(Math.floor(Math.random() * 10000)).padStart(4, '0')}` : '';
    samples.push(`${i % 5 ? '' : '-'}${whole}${fraction}`);
  }
  for (const text of samples) assert.equal(DecimalScalar.serialize(text), new Decimal(text).toFixed(), text);
});

test('Decimal refuses what is not a plain decimal', () => {
  for (const bad of ['1e5', 'abc', '1.2.3', '', ' 1 x']) assert.throws(() => DecimalScalar.serialize(bad), /Decimal must be/, bad);
  assert.equal(DecimalScalar.serialize(' 12.50 '), '12.5');
  assert.equal(DecimalScalar.serialize(new Decimal('3.10')), '3.1');
});
