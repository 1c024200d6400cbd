// formValues reads text only (what a hostile JSON body might hold instead is left out); firstValue trims the
// first value, allValues keeps every value as sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allValues, firstValue, formValues } from './form-values.ts';

test('text values only; the first one trimmed, or all as sent', () => {
  const form = formValues({ a: '  x ', b: [' y', 2, { z: 1 }, 'w'], c: { d: '1' }, e: 3, f: null, __proto__: { g: 'h' } });
  assert.deepEqual(form, { a: '  x ', b: [' y', 'w'] });
  assert.equal(Object.getPrototypeOf(form), Object.prototype);
  assert.equal(firstValue(form, 'a'), 'x');
  assert.equal(firstValue(form, 'b'), 'y');
  assert.equal(firstValue(form, 'missing'), '');
  assert.deepEqual(allValues(form, 'b'), [' y', 'w']);
  assert.deepEqual(allValues(form, 'a'), ['  x ']);
  assert.deepEqual(allValues(form, 'missing'), []);
  for (const hostile of [null, undefined, 'a=b', 42]) assert.deepEqual(formValues(hostile), {});
});
