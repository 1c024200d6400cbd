// The transition table is Démarches Simplifiées' exactly: every pair of states is either legal or not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOSSIER_STATES, canTransition, isAgentTransition } from './dossier-states.ts';

const LEGAL = new Set([
  'brouillon>en_construction',
  'en_construction>en_instruction',
  'en_instruction>en_construction',
  'en_instruction>accepte',
  'en_instruction>refuse',
  'en_instruction>sans_suite',
  'accepte>en_instruction',
  'refuse>en_instruction',
  'sans_suite>en_instruction',
]);

test('all 36 pairs: the nine legal transitions and no other', () => {
  for (const from of DOSSIER_STATES)
    for (const to of DOSSIER_STATES) {
      assert.equal(canTransition(from, to), LEGAL.has(`${from}>${to}`), `${from} → ${to}`);
    }
});

test('agents never submit a draft in the citizen’s place', () => {
  assert.equal(isAgentTransition('brouillon', 'en_construction'), false);
  assert.equal(isAgentTransition('en_construction', 'en_instruction'), true);
});
