// Designers' patterns against adversarial answers (issue 10, row 8: ReDoS across collectivités). Each
// evil pattern is checked in a worker that is ended after a deadline: a backtracking engine blocks the
// thread it runs on (a test's own `timeout` cannot fire while the event loop is blocked), so a regression
// to one fails here, within the deadline, instead of hanging the suite. The per-test `timeout` is the
// backstop. No timing is asserted beyond "finishes".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { installMessages, translator } from '../../../core/i18n/i18n.ts';
import { proceduresMessages } from '../messages.ts';
import type { FieldDefinition } from './definition.ts';
import { validateAnswers } from './answers.ts';
import { compilePattern, matchesWhole, MAX_COST, MAX_PROGRAM, PatternBudget } from './patterns.ts';

installMessages([{ owner: 'procedures', dictionary: proceduresMessages }]);
const fr = translator('fr');
const answersModule = new URL('./answers.ts', import.meta.url).href;
const messagesModule = new URL('../messages.ts', import.meta.url).href;
const i18nModule = new URL('../../../core/i18n/i18n.ts', import.meta.url).href;

/** Validates each answer against the field in a worker, through the public validator; null if it did not finish in time. */
async function verdictsWithin(ms: number, field: Omit<FieldDefinition, 'key' | 'label'>, answers: string[]): Promise<Array<boolean> | null> {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const { validateAnswers } = await import(${JSON.stringify(answersModule)});
      const { proceduresMessages } = await import(${JSON.stringify(messagesModule)});
      const { installMessages, translator } = await import(${JSON.stringify(i18nModule)});
      installMessages([{ owner: 'procedures', dictionary: proceduresMessages }]);
      const t = translator('fr');
      parentPort.postMessage(workerData.answers.map((x) => validateAnswers([{ key: 'x', label: 'X', ...workerData.field }], { x }, t).ok));
    })().catch((e) => parentPort.postMessage({ error: String(e) }));`;
  const worker = new Worker(source, { eval: true, workerData: { field, answers } });
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(null), ms);
      worker.once('message', (m: unknown) => {
        clearTimeout(timer);
        if (m && typeof m === 'object' && 'error' in m) reject(new Error(String((m as { error: string }).error)));
        else resolve(m as boolean[]);
      });
      worker.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  } finally {
    await worker.terminate();
  }
}

const EVIL: Array<{ pattern: string; maxLength?: number; type?: FieldDefinition['type']; answers: Array<[string, boolean]> }> = [
  // The pattern of the attack: 34 letters froze the server for two minutes.
  {
    pattern: '(a|a)*b',
    answers: [
      ['a'.repeat(34), false],
      ['a'.repeat(499), false],
      ['a'.repeat(30) + 'b', true],
    ],
  },
  {
    pattern: '(a+)+$',
    answers: [
      ['a'.repeat(499) + '!', false],
      ['a'.repeat(500), true],
    ],
  },
  {
    pattern: '(.*a){20}',
    answers: [
      ['a'.repeat(19), false],
      ['a'.repeat(499) + 'b', false],
      ['xa'.repeat(20), true],
    ],
  },
  {
    pattern: '^(([a-z])+.)+[A-Z]([a-z])+$',
    answers: [
      ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', false],
      ['ab cd Ef', true],
    ],
  },
  // Nested groups and alternation on the longest text answer allowed.
  {
    pattern: '((a|b|ab)*)*c',
    type: 'textarea',
    answers: [
      ['ab'.repeat(5000), false],
      ['ab'.repeat(100) + 'c', true],
    ],
  },
];

for (const { pattern, answers, type = 'text' } of EVIL) {
  test(`evil pattern ${pattern}: long adversarial answers finish with the right verdict`, { timeout: 60_000 }, async () => {
    const verdicts = await verdictsWithin(
      20_000,
      { type, pattern },
      answers.map(([a]) => a),
    );
    assert.ok(verdicts, `${pattern} did not finish: a backtracking engine evaluates designers' patterns`);
    assert.deepEqual(
      verdicts,
      answers.map(([, expected]) => expected),
    );
  });
}

test('pattern semantics kept: the whole answer must match (HTML pattern attribute), alternation included', () => {
  const one = (pattern: string, value: string) => validateAnswers([{ key: 'x', label: 'X', type: 'text', pattern }], { x: value }, fr).ok;
  assert.equal(one('[A-Z]{2}\\d{3}', 'AB123'), true);
  assert.equal(one('[A-Z]{2}\\d{3}', 'xAB123'), false);
  assert.equal(one('[A-Z]{2}\\d{3}', 'AB1234'), false);
  assert.equal(one('a|ab', 'ab'), true, 'an alternation is anchored as a whole, like ^(?:a|ab)$');
  assert.equal(one('W[0-9]{9}', 'W123456789'), true);
  assert.equal(one('\\p{Lu}\\p{Ll}+', 'Émile'), true, 'Unicode classes');
  assert.equal(one('[0-9]{5}', ' 44000 '), true, 'the answer is trimmed first');
});

test('a pattern RE2 cannot run (a revision saved before) refuses the answer, never lets it through unchecked', () => {
  const r = validateAnswers([{ key: 'x', label: 'X', type: 'text', pattern: '(?=a)a' }], { x: 'a' }, fr);
  assert.ok(!r.ok);
  assert.match(r.errors.x![0]!, /n'a pas pu être vérifié/);
});

test('cost bounds: program size capped, one answer and one filing bounded', () => {
  const big = compilePattern('(?:x{0,999}|x{0,999})*y');
  assert.deepEqual(big, { ok: false, problem: 'too_complex' }, 'a 4,000-instruction program is refused');
  const small = compilePattern('[a-z]{2}');
  assert.ok(small.ok && small.program > 0 && small.program <= MAX_PROGRAM, 'the program size is readable from re2js');
  // ~200 instructions: fine on 500 characters, refused (not run) beyond MAX_COST.
  const p = '[a-z]{0,99}b';
  const program = (compilePattern(p) as { program: number }).program;
  assert.equal(matchesWhole(p, 'a'.repeat(50) + 'b'), true);
  assert.equal(matchesWhole(p, 'a'.repeat(Math.ceil(MAX_COST / program) + 1)), null);
  const budget = new PatternBudget();
  budget.left = program * 10;
  assert.equal(matchesWhole(p, 'aab', budget), true);
  assert.equal(matchesWhole(p, 'a'.repeat(20) + 'b', budget), null, 'the filing has spent its budget');
});

test('a filing with many long pattern-checked answers stops checking patterns once its budget is spent', () => {
  const fields: FieldDefinition[] = Array.from(
    { length: 200 },
    (_, i) => ({ key: `f${i}`, label: 'F', type: 'textarea', maxLength: 5000, pattern: '[a-z ]{0,80}' }) as FieldDefinition,
  );
  const data = Object.fromEntries(fields.map((f) => [f.key, 'a'.repeat(4999)]));
  const r = validateAnswers(fields, data, fr);
  assert.ok(!r.ok);
  const unchecked = Object.values(r.errors).filter((list) => list.some((m) => /n'a pas pu être vérifié/.test(m))).length;
  assert.ok(unchecked > 0 && unchecked < 200, `some answers are checked, the rest refused unchecked (${unchecked})`);
});
