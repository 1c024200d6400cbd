// Every reason the SEDA library can give exists in French and in English, with the same parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sedaMessages, SEDA_MESSAGE_KEYS } from './messages.ts';

const params = (text: unknown) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('French and English texts for every key, with the same placeholders', () => {
  assert.deepEqual(Object.keys(sedaMessages.en).sort(), [...SEDA_MESSAGE_KEYS].sort());
  for (const key of SEDA_MESSAGE_KEYS) {
    assert.ok(key.startsWith('archives.seda.'), key);
    assert.deepEqual(params(sedaMessages.en[key]), params(sedaMessages.fr[key]), key);
  }
});
