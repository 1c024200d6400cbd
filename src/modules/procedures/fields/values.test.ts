// Every field type's valid and invalid answers, conditions, repetitions, and fuzzing: whatever arrives,
// the validators return errors, never throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installMessages, translator } from '../../../core/i18n/i18n.ts';
import { proceduresMessages } from '../messages.ts';
import { FIELD_TYPES, type FieldDefinition } from './definition.ts';
import { validateAnswers } from './answers.ts';
import { normaliseIban, normalisePhone, normaliseSiret } from './identifiers.ts';

installMessages([{ owner: 'procedures', dictionary: proceduresMessages }]);

const fr = translator('fr');
const en = translator('en');
const one = (field: Omit<FieldDefinition, 'key' | 'label'>, value: unknown, t = fr) =>
  validateAnswers([{ key: 'x', label: 'X', ...field } as FieldDefinition], { x: value }, t);
const ok = (field: Omit<FieldDefinition, 'key' | 'label'>, value: unknown, expected: unknown) => {
  const r = one(field, value);
  assert.ok(r.ok, `${field.type} ${JSON.stringify(value)}: ${JSON.stringify(!r.ok && r.errors)}`);
  assert.deepEqual(r.data.x, expected);
};
const bad = (field: Omit<FieldDefinition, 'key' | 'label'>, value: unknown, message?: RegExp) => {
  const r = one(field, value);
  assert.ok(!r.ok, `${field.type} ${JSON.stringify(value)} should be refused`);
  if (message) assert.match(r.errors.x!.join(' '), message);
};

test('text and textarea: trimmed, bounded, pattern matched entirely, clean characters only', () => {
  ok({ type: 'text' }, '  Bonjour  ', 'Bonjour');
  ok({ type: 'text', pattern: '[A-Z]{2}\\d{3}' }, 'AB123', 'AB123');
  bad({ type: 'text', pattern: '[A-Z]{2}\\d{3}' }, 'xAB123', /format/);
  bad({ type: 'text' }, 'a'.repeat(501), /500 caractères/);
  bad({ type: 'text', minLength: 3 }, 'ab', /au moins 3/);
  ok({ type: 'textarea' }, 'ligne 1\nligne 2', 'ligne 1\nligne 2');
  bad({ type: 'textarea', maxLength: 5 }, 'abcdef');
  bad({ type: 'text' }, 'nul\u0000byte', /caractères non autorisés/);
  bad({ type: 'text' }, 'lone \ud800 surrogate');
  bad({ type: 'text' }, { not: 'text' });
  ok({ type: 'address' }, '1 place Royale, 44000 Nantes', '1 place Royale, 44000 Nantes');
});

test('integer and decimal: French notation, bounds', () => {
  ok({ type: 'integer' }, '1 200', 1200);
  ok({ type: 'integer' }, 42, 42);
  bad({ type: 'integer' }, '12,5', /nombre entier/);
  bad({ type: 'integer' }, 1.5);
  bad({ type: 'integer', min: 1 }, 0, /supérieur ou égal à 1/);
  bad({ type: 'integer', max: 10 }, '11');
  ok({ type: 'decimal' }, '12,5', 12.5);
  ok({ type: 'decimal' }, 0.25, 0.25);
  bad({ type: 'decimal' }, 'douze');
  bad({ type: 'decimal' }, Number.NaN);
  bad({ type: 'decimal' }, '1e400');
});

test('date and datetime: ISO or French, real calendar days, bounds', () => {
  ok({ type: 'date' }, '2026-07-14', '2026-07-14');
  ok({ type: 'date' }, '14/07/2026', '2026-07-14');
  bad({ type: 'date' }, '2026-02-30', /date valide/);
  bad({ type: 'date' }, '31/04/2026');
  bad({ type: 'date', min: '2026-01-01' }, '2025-12-31', /à partir du 2026-01-01/);
  ok({ type: 'datetime' }, '2026-07-14T09:30', '2026-07-14T09:30');
  ok({ type: 'datetime' }, '14/07/2026 09:30', '2026-07-14T09:30');
  bad({ type: 'datetime' }, '2026-07-14T25:00');
});

test('email and French phone numbers', () => {
  ok({ type: 'email' }, ' camille@exemple.fr ', 'camille@exemple.fr');
  bad({ type: 'email' }, 'camille@', /adresse électronique/);
  bad({ type: 'email' }, 'a b@exemple.fr');
  ok({ type: 'phone' }, '06 12 34 56 78', '06 12 34 56 78');
  ok({ type: 'phone' }, '+33 6 12 34 56 78', '06 12 34 56 78');
  ok({ type: 'phone' }, '0033612345678', '06 12 34 56 78');
  ok({ type: 'phone' }, '+262 692 12 34 56', '+262 692123456');
  bad({ type: 'phone' }, '12 34', /téléphone français/);
  bad({ type: 'phone' }, '+44 20 7946 0958');
  assert.equal(normalisePhone('01.02.03.04.05'), '01 02 03 04 05');
});

test('yes/no and checkbox; a required checkbox must be ticked', () => {
  ok({ type: 'yes_no' }, 'non', false);
  ok({ type: 'yes_no', required: true }, false, false);
  ok({ type: 'checkbox' }, 'on', true);
  bad({ type: 'yes_no' }, 'peut-être', /oui ou par non/);
  bad({ type: 'checkbox', required: true }, false, /Cochez/);
});

test('choice, dropdown, multiple choice: only the options', () => {
  const options = ['Petite', { value: 'grande', label: 'Grande salle' }];
  ok({ type: 'choice', options }, 'Petite', 'Petite');
  ok({ type: 'dropdown', options }, 'grande', 'grande');
  bad({ type: 'dropdown', options }, 'Grande salle', /réponses proposées/);
  ok({ type: 'multiple_choice', options }, ['grande', 'Petite', 'grande'], ['grande', 'Petite']);
  ok({ type: 'multiple_choice', options }, 'Petite', ['Petite']);
  bad({ type: 'multiple_choice', options }, ['Petite', 'autre']);
  bad({ type: 'multiple_choice', options, max: 1 }, ['Petite', 'grande'], /au plus 1/);
});

test('commune, EPCI and département from the COG', () => {
  ok({ type: 'commune' }, '44109', '44109');
  ok({ type: 'commune' }, '2a004', '2A004');
  bad({ type: 'commune' }, '99999', /commune existante/);
  ok({ type: 'epci' }, '244400404', '244400404');
  bad({ type: 'epci' }, '123456789');
  ok({ type: 'departement' }, '44', '44');
  ok({ type: 'departement' }, '971', '971');
  bad({ type: 'departement' }, '20');
});

test('SIRET (Luhn, La Poste exception) and IBAN (mod 97)', () => {
  ok({ type: 'siret' }, '732 829 320 00074', '73282932000074');
  bad({ type: 'siret' }, '73282932000075', /SIRET/);
  bad({ type: 'siret' }, '7328293200007');
  assert.equal(normaliseSiret('35600000009075'), '35600000009075'); // La Poste: digit sum 35, divisible by 5, Luhn fails
  assert.equal(normaliseSiret('35600000009076'), null);
  ok({ type: 'iban' }, 'FR76 3000 6000 0112 3456 7890 189', 'FR7630006000011234567890189');
  bad({ type: 'iban' }, 'FR76 3000 6000 0112 3456 7890 188', /IBAN/);
  assert.equal(normaliseIban('DE89 3704 0044 0532 0130 00'), 'DE89370400440532013000');
  assert.equal(normaliseIban('FR7630006000011234567890'), null);
});

test('files come from checked uploads only, within size and types', () => {
  const field: FieldDefinition = { key: 'photo', label: 'Photo', type: 'file', required: true, accept: ['image/jpeg'], maxBytes: 1000 };
  const file = { sha256: 'a'.repeat(64), filename: 'p.jpg', size: 10, content_type: 'image/jpeg' };
  assert.ok(validateAnswers([field], { photo: [file] }, fr).ok === false, 'JSON cannot claim a file');
  assert.ok(validateAnswers([field], {}, fr, { files: { photo: [file] } }).ok);
  const big = validateAnswers([field], {}, fr, { files: { photo: [{ ...file, size: 2000 }] } });
  assert.ok(!big.ok && /dépasse/.test(big.errors.photo![0]!));
  const type = validateAnswers([field], {}, fr, { files: { photo: [{ ...file, content_type: 'application/pdf' }] } });
  assert.ok(!type.ok && /type du fichier/.test(type.errors.photo![0]!));
});

test('conditions: visibleIf hides and drops, requiredIf with all/any', () => {
  const fields: FieldDefinition[] = [
    { key: 'asso', label: 'Association ?', type: 'yes_no', required: true },
    { key: 'siret', label: 'SIRET', type: 'siret', visibleIf: { field: 'asso', op: 'equals', value: true }, required: true },
    { key: 'montant', label: 'Montant', type: 'integer' },
    {
      key: 'budget',
      label: 'Budget',
      type: 'textarea',
      requiredIf: {
        any: [
          { field: 'montant', op: 'gt', value: 1000 },
          {
            all: [
              { field: 'asso', op: 'equals', value: false },
              { field: 'montant', op: 'filled' },
            ],
          },
        ],
      },
    },
  ];
  const hidden = validateAnswers(fields, { asso: 'non', siret: 'garbage', montant: 10, budget: '' }, fr);
  assert.ok(!hidden.ok && Object.keys(hidden.errors).join() === 'budget', JSON.stringify(hidden));
  const dropped = validateAnswers(fields, { asso: false, siret: 'garbage' }, fr);
  assert.ok(dropped.ok);
  assert.deepEqual(dropped.data, { asso: false });
  const shown = validateAnswers(fields, { asso: true }, fr);
  assert.ok(!shown.ok && shown.errors.siret);
  const big = validateAnswers(fields, { asso: true, siret: '73282932000074', montant: 5000 }, en);
  assert.ok(!big.ok);
  assert.deepEqual(big.errors, { budget: ['This field is required.'] });
});

test('repetition: blocks validated each, errors by path, bounds on the count', () => {
  const fields: FieldDefinition[] = [
    {
      key: 'enfants',
      label: 'Enfants',
      type: 'repetition',
      min: 1,
      max: 3,
      required: true,
      fields: [
        { key: 'prenom', label: 'Prénom', type: 'text', required: true },
        { key: 'naissance', label: 'Naissance', type: 'date' },
      ],
    },
  ];
  const good = validateAnswers(fields, { enfants: [{ prenom: 'Léa', naissance: '01/02/2020', extra: 1 }] }, fr);
  assert.ok(good.ok);
  assert.deepEqual(good.data, { enfants: [{ prenom: 'Léa', naissance: '2020-02-01' }] });
  const errors = validateAnswers(fields, { enfants: [{ prenom: 'Léa' }, { naissance: 'x' }] }, fr);
  assert.ok(!errors.ok);
  assert.deepEqual(Object.keys(errors.errors).sort(), ['enfants.1.naissance', 'enfants.1.prenom']);
  assert.ok(!validateAnswers(fields, { enfants: [{}, {}, {}, {}] }, fr).ok);
  assert.ok(!validateAnswers(fields, { enfants: 'Léa' }, fr).ok);
  assert.ok(!validateAnswers(fields, {}, fr).ok);
});

test('drafts (partial) require nothing but still check what is there', () => {
  const fields: FieldDefinition[] = [
    { key: 'a', label: 'A', type: 'text', required: true },
    { key: 'b', label: 'B', type: 'integer' },
  ];
  assert.ok(validateAnswers(fields, {}, fr, { partial: true }).ok);
  assert.ok(!validateAnswers(fields, { b: 'x' }, fr, { partial: true }).ok);
});

// A small deterministic generator: the same "random" inputs on every run, so a failure reproduces.
function generator(seed: number) {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32;
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
  const str = (max: number) => Array.from({ length: Math.floor(next() * max) }, () => String.fromCharCode(Math.floor(next() * 0x10000))).join('');
  const huge = str(40).repeat(5000); // ~100 000 characters, built once
  const value = (depth = 0): unknown => {
    switch (Math.floor(next() * 10)) {
      case 0:
        return null;
      case 1:
        return next() < 0.5;
      case 2:
        return (next() - 0.5) * 10 ** Math.floor(next() * 400);
      case 3:
        return pick([Number.NaN, Infinity, -0, Number.MAX_SAFE_INTEGER + 2]);
      case 4:
        return str(40);
      case 5:
        return huge;
      case 6:
        return depth < 3 ? Array.from({ length: Math.floor(next() * 5) }, () => value(depth + 1)) : [];
      case 7:
        return depth < 3 ? { prenom: value(depth + 1), sha256: value(depth + 1), __proto__: value(depth + 1), constructor: 'x' } : {};
      case 8:
        return Buffer.from(str(30), 'latin1').toString('utf8'); // invalid UTF-8 decoded: U+FFFD
      default:
        return pick(['', ' ', '0', '44109', '2026-02-29', 'on', 'FR76', '+33']);
    }
  };
  return { value, pick, next };
}

test('fuzz: any JSON-like input gives answers or errors, never an exception', () => {
  // Every type but repetition, which is given its own sub-field below.
  const types = FIELD_TYPES.filter((type) => type !== 'repetition');
  const fields: FieldDefinition[] = types.map((type) => ({
    key: `f_${type}`,
    label: type,
    type,
    required: true,
    ...(type.includes('choice') || type === 'dropdown' ? { options: ['a', 'b'] } : {}),
    pattern: type === 'text' ? '[a-z]+b' : undefined,
  }));
  fields.push({ key: 'constructor', label: 'c', type: 'text', visibleIf: { field: 'f_text', op: 'gt', value: 3 } });
  fields.push({ key: 'rep', label: 'r', type: 'repetition', fields: [{ key: 'prenom', label: 'p', type: 'text', required: true }] });
  const g = generator(20261128);
  for (let i = 0; i < 400; i++) {
    const data = g.next() < 0.1 ? g.value() : Object.fromEntries(fields.map((f) => [f.key, g.value()]));
    const r = validateAnswers(fields, data, fr, { files: g.next() < 0.3 ? { f_file: g.value() as never } : undefined });
    assert.equal(typeof r.ok, 'boolean');
    if (!r.ok) for (const list of Object.values(r.errors)) assert.ok(list.every((m) => typeof m === 'string' && m.length > 0));
  }
});
