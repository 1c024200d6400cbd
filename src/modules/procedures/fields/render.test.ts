// Field rendering and form parsing together: every type renders an accessible control, and what a
// browser would post back from the rendered form parses into the same answers (a round trip).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../../../core/i18n/i18n.ts';
import { installModuleMessages } from '../../../core/module.ts';
import { modules } from '../../../modules.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { FieldDefinition } from './definition.ts';
import { renderFields, needsMultipart } from './render.ts';
import { answersFromForm, applyBlockActions, isBlockAction, type FormBody } from './parse-form.ts';
import { resolveTerritory } from './territory-lookup.ts';

installModuleMessages(modules);
const ctx = { locale: 'fr', t: translator('fr'), tenant: null, person: null, sessionId: null, roles: [], api: null, csrfToken: 'x' } as RequestContext;

const FIELDS: FieldDefinition[] = [
  { key: 'intro', label: 'Votre demande', type: 'section' },
  { key: 'note', label: 'Lisez ceci.', type: 'explanation' },
  { key: 'nom', label: 'Nom', type: 'text', required: true, maxLength: 80 },
  { key: 'motif', label: 'Motif', type: 'textarea' },
  { key: 'age', label: 'Âge', type: 'integer', min: 0, max: 130 },
  { key: 'montant', label: 'Montant', type: 'decimal' },
  { key: 'jour', label: 'Jour', type: 'date' },
  { key: 'rdv', label: 'Rendez-vous', type: 'datetime' },
  { key: 'courriel', label: 'Courriel', type: 'email' },
  { key: 'tel', label: 'Téléphone', type: 'phone' },
  { key: 'asso', label: 'Association ?', type: 'yes_no' },
  { key: 'accord', label: 'J’accepte', type: 'checkbox' },
  { key: 'statut', label: 'Statut', type: 'choice', options: ['Particulier', 'Association'] },
  {
    key: 'salles',
    label: 'Salles',
    type: 'multiple_choice',
    options: [
      { value: 'a', label: 'Salle A' },
      { value: 'b', label: 'Salle B' },
    ],
  },
  { key: 'creneau', label: 'Créneau', type: 'dropdown', options: ['Matin', 'Soir'] },
  { key: 'commune', label: 'Commune', type: 'commune' },
  { key: 'epci', label: 'EPCI', type: 'epci' },
  { key: 'dep', label: 'Département', type: 'departement' },
  { key: 'adresse', label: 'Adresse', type: 'address' },
  { key: 'siret', label: 'SIRET', type: 'siret', visibleIf: { field: 'statut', op: 'equals', value: 'Association' } },
  {
    key: 'iban',
    label: 'IBAN',
    type: 'iban',
    requiredIf: {
      any: [
        { field: 'asso', op: 'equals', value: true },
        { field: 'age', op: 'gt', value: 17 },
      ],
    },
  },
  { key: 'photo', label: 'Photo', type: 'file', accept: ['image/jpeg'], maxBytes: 2_000_000 },
  {
    key: 'membres',
    label: 'Membre',
    type: 'repetition',
    fields: [
      { key: 'nom', label: 'Nom du membre', type: 'text' },
      { key: 'role', label: 'Rôle', type: 'dropdown', options: ['Président', 'Trésorier'] },
    ],
  },
];

/** What a browser posts from this HTML: named inputs (checked ones for radios/checkboxes), selects, textareas. */
function postedBy(markup: string): FormBody {
  const body: Record<string, string[]> = {};
  const add = (name: string, value: string) =>
    (body[name] ??= []).push(
      value
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    );
  for (const m of markup.matchAll(/<input ([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    const type = /type="([^"]*)"/.exec(attrs)?.[1] ?? 'text';
    if (!name || type === 'file' || type === 'submit') continue;
    if ((type === 'radio' || type === 'checkbox') && !/ checked/.test(attrs)) continue;
    add(name, /value="([^"]*)"/.exec(attrs)?.[1] ?? '');
  }
  for (const m of markup.matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([^<]*)<\/textarea>/g)) add(m[1]!, m[2]!);
  for (const m of markup.matchAll(/<select [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    add(m[1]!, /<option value="([^"]*)" selected>/.exec(m[2]!)?.[1] ?? '');
  }
  return body;
}

test('every collecting control has a label tied to it, and groups a fieldset with a legend', () => {
  const out = renderFields(ctx, FIELDS, { answers: {} }).value;
  for (const m of out.matchAll(/<(input|select|textarea) [^>]*id="([^"]+)"/g)) {
    assert.match(out, new RegExp(`<label for="${m[2]}"`), `label for ${m[2]}`);
  }
  for (const key of ['asso', 'statut', 'salles', 'membres']) assert.match(out, new RegExp(`<fieldset class="field[^"]*" id="field-${key}"[^>]*>\\s*<legend>`));
  assert.match(out, /<h2 id="field-intro">Votre demande<\/h2>/);
  assert.match(out, /<input type="email" id="field-courriel" name="courriel" value="" autocomplete="email" spellcheck="false">/);
  assert.match(out, /<input type="tel" id="field-tel" name="tel" value="" autocomplete="tel"/);
  assert.match(out, /id="field-age" name="age" value="" inputmode="numeric"/);
  assert.match(out, /<textarea id="field-adresse" name="adresse" rows="3" autocomplete="street-address"/);
  assert.match(out, /name="membres\[0\]\[nom\]"/);
  assert.match(out, /<button type="submit" class="secondary" name="_add" value="membres" formnovalidate>/);
  assert.ok(!/<datalist/.test(out), 'no list of communes is shipped');
  assert.ok(needsMultipart(FIELDS));
  assert.ok(!needsMultipart(FIELDS.filter((f) => f.type !== 'file')));
});

test('conditional fields are shown with a hint saying when they apply, and carry the condition for the script', () => {
  const out = renderFields(ctx, FIELDS, { answers: {} }).value;
  assert.match(out, /À remplir seulement si « Statut » vaut « Association »\./);
  assert.match(out, /Obligatoire si « Association \? » vaut « Oui » ou « Âge » est supérieur à 17\./);
  assert.match(out, /data-visible-if="\{&quot;field&quot;:&quot;statut&quot;/);
  assert.match(out, /id="field-siret"[^>]*aria-describedby="hint-field-siret cond-field-siret"/);
});

test('errors are tied to their control, whatever the notation of their path', () => {
  const out = renderFields(ctx, FIELDS, { answers: { nom: '' }, errors: { nom: ['Ce champ est obligatoire.'], 'membres.0.nom': ['Trop long.'] } }).value;
  assert.match(out, /<p class="error" id="error-field-nom"><span class="visually-hidden">Erreur : <\/span>Ce champ est obligatoire\.<\/p>/);
  assert.match(out, /id="field-nom" name="nom" value=""[^>]* aria-describedby="hint-field-nom error-field-nom" aria-invalid="true" required>/);
  assert.match(out, /id="field-membres-0-nom"[^>]*aria-describedby="error-field-membres-0-nom" aria-invalid="true"/);
});

test('what the rendered form posts back parses into the same answers', () => {
  const answers = {
    nom: 'Dupont & fils "SARL"',
    motif: 'Ligne 1\nLigne 2',
    age: 42,
    montant: 12.5,
    jour: '2026-07-14',
    rdv: '2026-07-14T09:30',
    courriel: 'a@example.org',
    tel: '06 12 34 56 78',
    asso: false,
    accord: true,
    statut: 'Association',
    salles: ['a', 'b'],
    creneau: 'Soir',
    commune: '44109',
    epci: '244400404',
    dep: '2A',
    adresse: '1 rue de la Paix\n44000 Nantes',
    siret: '35600000000048',
    iban: 'FR7630006000011234567890189',
    membres: [
      { nom: 'Ana', role: 'Président' },
      { nom: 'Léo', role: 'Trésorier' },
    ],
  };
  const out = renderFields(ctx, FIELDS, { answers }).value;
  assert.match(out, /value="12,5"/, 'decimals shown the French way');
  assert.match(out, /Reconnu : Nantes \(Loire-Atlantique, 44109\)/);
  assert.deepEqual(answersFromForm(FIELDS, postedBy(out)), answers);
});

test('typed text becomes typed answers; what cannot be read is kept as typed', () => {
  const body: FormBody = {
    age: ' 1 234 ',
    montant: '3,75',
    jour: '5/3/2026',
    rdv: '05/03/2026 8h05',
    asso: 'oui',
    siret: '356 000 000 00048',
    iban: 'fr76 3000 6000',
    commune: 'Nantes',
    dep: 'Corse-du-Sud',
  };
  assert.deepEqual(answersFromForm(FIELDS, body), {
    age: 1234,
    montant: 3.75,
    jour: '2026-03-05',
    rdv: '2026-03-05T08:05',
    asso: true,
    accord: false,
    siret: '35600000000048',
    iban: 'FR7630006000',
    commune: '44109',
    dep: '2A',
  });
  assert.deepEqual(answersFromForm(FIELDS, { age: '12a', montant: 'beaucoup', commune: 'Nulle-Part-sur-Mer' }), {
    age: '12a',
    montant: 'beaucoup',
    accord: false,
    commune: 'Nulle-Part-sur-Mer',
  });
});

test('communes are found by code, postcode, name, or name with département; homonyms are listed, not guessed', () => {
  assert.equal(resolveTerritory('commune', '44109').code, '44109');
  assert.equal(resolveTerritory('commune', '31000').code, '31555');
  assert.equal(resolveTerritory('commune', 'toulouse').code, '31555');
  assert.equal(resolveTerritory('commune', 'St-Étienne').code, '42218');
  assert.equal(resolveTerritory('commune', 'Nantes (Loire-Atlantique, 44109)').code, '44109');
  const homonyms = resolveTerritory('commune', 'Saint-Denis');
  assert.equal(homonyms.code, null);
  assert.ok(homonyms.candidates.length >= 2);
  assert.equal(resolveTerritory('commune', 'Saint-Denis 93').code, '93066');
  assert.equal(resolveTerritory('epci', 'Nantes Métropole').code, '244400404');
  assert.equal(resolveTerritory('departement', 'loire atlantique').code, '44');
  const out = renderFields(ctx, FIELDS, { answers: { commune: 'Saint-Denis' } }).value;
  assert.match(out, /Plusieurs lieux correspondent/);
  assert.match(out, /Saint-Denis \(Seine-Saint-Denis, 93066\)/);
});

test('"add another" and "remove" grow and shrink repeated blocks without JavaScript', () => {
  const body: FormBody = { 'membres[0][nom]': 'Ana', 'membres[0][role]': '', _add: 'membres' };
  assert.ok(isBlockAction(body));
  const answers = answersFromForm(FIELDS, body, { keepEmptyBlocks: true });
  applyBlockActions(FIELDS, answers, body);
  assert.deepEqual(answers.membres, [{ nom: 'Ana' }, {}]);
  const out = renderFields(ctx, FIELDS, { answers }).value;
  assert.match(out, /name="membres\[1\]\[nom\]"/);
  assert.match(out, /<legend>Membre n° 2<\/legend>/);
  const removeBody: FormBody = { 'membres[0][nom]': '', 'membres[1][nom]': 'Léo', _remove: 'membres.0' };
  const after = answersFromForm(FIELDS, removeBody, { keepEmptyBlocks: true });
  applyBlockActions(FIELDS, after, removeBody);
  assert.deepEqual(after.membres, [{ nom: 'Léo' }]);
  assert.deepEqual(
    answersFromForm(FIELDS, { 'membres[0][nom]': '', 'membres[3][nom]': 'Zoé' }).membres,
    [{ nom: 'Zoé' }],
    'empty blocks are dropped on submit',
  );
});
