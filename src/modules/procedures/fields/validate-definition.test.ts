// Definition validation: the reasons a designer (or an importing collectivité) gets, and fuzzing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installMessages, translator } from '../../../core/i18n/i18n.ts';
import { proceduresMessages } from '../messages.ts';
import { validateDefinition } from './validate-definition.ts';

installMessages([{ owner: 'procedures', dictionary: proceduresMessages }]);

const t = translator('fr');
const reasons = (fields: unknown[], extra: Record<string, unknown> = {}) => {
  const r = validateDefinition({ title: 'Démarche', fields, ...extra }, t);
  return r.ok ? {} : r.errors;
};

test('a complete definition with every type, conditions and a repetition is accepted', () => {
  const r = validateDefinition(
    {
      title: 'Réservation de salle',
      description: 'Pour les associations',
      fields: [
        { key: 'intro', label: 'À savoir', type: 'explanation' },
        { key: 'salle', label: 'Salle', type: 'dropdown', options: ['Petite', { value: 'grande', label: 'Grande' }], required: true },
        { key: 'date', label: 'Date', type: 'date', min: '2026-01-01' },
        { key: 'asso', label: 'Association ?', type: 'yes_no' },
        {
          key: 'siret',
          label: 'SIRET',
          type: 'siret',
          visibleIf: {
            all: [
              { field: 'asso', op: 'equals', value: true },
              { field: 'salle', op: 'filled' },
            ],
          },
        },
        { key: 'code', label: 'Code', type: 'text', pattern: '[A-Z]{2}\\d{3}', maxLength: 5 },
        {
          key: 'invites',
          label: 'Invités',
          type: 'repetition',
          max: 10,
          fields: [
            { key: 'nom', label: 'Nom', type: 'text', required: true },
            { key: 'mineur', label: 'Mineur', type: 'checkbox' },
            {
              key: 'autorisation',
              label: 'Autorisation',
              type: 'file',
              accept: ['application/pdf'],
              maxBytes: 1000000,
              requiredIf: { field: 'mineur', op: 'equals', value: true },
            },
          ],
        },
      ],
    },
    t,
  );
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  assert.equal(r.definition.fields.length, 7);
});

test('each mistake gets its reason at its path', () => {
  assert.deepEqual(
    Object.keys(
      reasons([
        { key: 'a', label: 'A', type: 'text' },
        { key: 'a', label: 'B', type: 'text' },
      ]),
    ),
    ['fields.1.key'],
  );
  assert.match(reasons([{ key: 'Bad Key', label: 'A', type: 'text' }])['fields.0.key']![0]!, /minuscule/);
  assert.ok(reasons([{ key: 'a', label: 'A', type: 'colour' }])['fields.0.type']);
  assert.ok(reasons([{ key: 'a', label: 'A', type: 'choice' }])['fields.0.options']);
  assert.ok(reasons([{ key: 'a', label: 'A', type: 'choice', options: ['x', 'x'] }])['fields.0.options']);
  assert.ok(reasons([{ key: 'a', label: 'A', type: 'text', options: ['x'] }])['fields.0.options']);
  assert.ok(reasons([{ key: 'a', label: 'A', type: 'text', pattern: '([a-z' }])['fields.0.pattern']);
  assert.match(
    reasons([
      { key: 'a', label: 'A', type: 'text', visibleIf: { field: 'b', op: 'filled' } },
      { key: 'b', label: 'B', type: 'text' },
    ])['fields.0.visibleIf']![0]!,
    /« b »/,
  );
  assert.ok(reasons([{ key: 'a', label: 'A', type: 'text', visibleIf: { field: 'a', op: 'resembles' } }])['fields.0.visibleIf']);
  assert.ok(reasons([{ key: 'a', label: 'A', type: 'section', required: true }])['fields.0.required']);
  assert.ok(
    reasons([
      { key: 'r', label: 'R', type: 'repetition', fields: [{ key: 'r2', label: 'R2', type: 'repetition', fields: [{ key: 'x', label: 'X', type: 'text' }] }] },
    ])['fields.0.fields.0.type'],
  );
  assert.ok(reasons([{ key: 'r', label: 'R', type: 'repetition' }])['fields.0.fields']);
  assert.ok(reasons([{ key: 'a', label: '', type: 'text' }])['fields.0.label']);
  assert.ok(reasons([{ key: 'a', label: 'A', type: 'text', colour: 'red' }])['fields.0.colour']);
  assert.ok(reasons([], { title: '' }).title);
  assert.ok(!validateDefinition([], t).ok);
});

test('patterns: RE2 syntax, evaluated in linear time, so nested repetitions are fine; what RE2 refuses is explained', () => {
  for (const pattern of ['(a+)+$', '(a|a)*b', '(.*a){20}', '^(([a-z])+.)+[A-Z]([a-z])+$', 'W[0-9]{9}', '\\p{Lu}\\p{Ll}+', '(?P<code>[0-9]{5})']) {
    assert.deepEqual(reasons([{ key: 'a', label: 'A', type: 'text', pattern }]), {}, pattern);
  }
  for (const pattern of ['(a)\\1', '(?<n>a)\\k<n>', '(?=.*[0-9])[a-z0-9]+', '(?!x)[a-z]+', '(?<=a)b', '(?<!a)b']) {
    assert.match(reasons([{ key: 'a', label: 'A', type: 'text', pattern }])['fields.0.pattern']![0]!, /références arrière.*RE2/, pattern);
  }
  assert.match(reasons([{ key: 'a', label: 'A', type: 'text', pattern: '([a-z' }])['fields.0.pattern']![0]!, /pas valide \(syntaxe RE2\)/);
  assert.match(reasons([{ key: 'a', label: 'A', type: 'text', pattern: 'a'.repeat(501) }])['fields.0.pattern']![0]!, /500 caractères/);
  assert.match(reasons([{ key: 'a', label: 'A', type: 'text', pattern: '(?:x{0,999}|x{0,999})*y' }])['fields.0.pattern']![0]!, /trop coûteuse.*500 caractères/);
  // The cost depends on the longest answer: ~200 instructions are fine on 500 characters, not on 10,000.
  assert.deepEqual(reasons([{ key: 'a', label: 'A', type: 'text', pattern: '[a-z]{0,99}b' }]), {});
  assert.match(reasons([{ key: 'a', label: 'A', type: 'textarea', pattern: '[a-z]{0,99}b' }])['fields.0.pattern']![0]!, /10000 caractères/);
  assert.deepEqual(reasons([{ key: 'a', label: 'A', type: 'textarea', pattern: '[a-z]{0,99}b', maxLength: 1000 }]), {});
  assert.ok(reasons([{ key: 'a', label: 'A', type: 'text', pattern: 12 }])['fields.0.pattern']);
  assert.equal(translator('en')('procedures.definition.pattern_unsupported').includes('RE2'), true);
});

test('text lengths are capped: maxLength and minLength at most 10,000', () => {
  assert.match(reasons([{ key: 'a', label: 'A', type: 'textarea', maxLength: 10_001 }])['fields.0.maxLength']![0]!, /10000/);
  assert.ok(reasons([{ key: 'a', label: 'A', type: 'text', minLength: 20_000 }])['fields.0.minLength']);
  assert.deepEqual(reasons([{ key: 'a', label: 'A', type: 'textarea', maxLength: 10_000 }]), {});
});

test('fuzz: random definitions are judged, never thrown on', () => {
  let s = 42;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const atoms: unknown[] = [
    null,
    true,
    0,
    -1,
    1e308,
    '',
    'x',
    '\u0000',
    '\ud800',
    [],
    {},
    'text',
    'choice',
    'repetition',
    { field: 'k0', op: 'equals', value: 1 },
    { all: [{ any: [] }] },
    '(',
    'a'.repeat(10_000),
  ];
  const value = (depth: number): unknown => {
    if (depth > 3 || next() < 0.5) return atoms[Math.floor(next() * atoms.length)];
    if (next() < 0.5) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    const keys = ['key', 'label', 'type', 'options', 'fields', 'visibleIf', 'requiredIf', 'pattern', 'min', 'max', 'title', 'accept'];
    return Object.fromEntries(keys.filter(() => next() < 0.5).map((k) => [k, k === 'key' ? `k${Math.floor(next() * 3)}` : value(depth + 1)]));
  };
  for (let i = 0; i < 2000; i++) {
    const input = next() < 0.8 ? { title: value(3), fields: Array.from({ length: Math.floor(next() * 6) }, () => value(1)) } : value(0);
    const r = validateDefinition(input, t);
    assert.equal(typeof r.ok, 'boolean');
  }
});
