// Every field type through HTTP: one procedure holding them all, valid answers stored normalised,
// invalid ones refused with a reason per field and nothing stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { apiTenant, call, countRows, published } from '../../../test/support/procedures/api.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const ALL_TYPES = {
  title: 'Toutes les questions',
  fields: [
    { key: 'titre', label: 'Votre demande', type: 'section' },
    { key: 'aide', label: 'Répondez à chaque question.', type: 'explanation' },
    { key: 'nom', label: 'Nom', type: 'text', required: true, maxLength: 50 },
    { key: 'details', label: 'Détails', type: 'textarea', required: true },
    { key: 'enfants', label: 'Enfants', type: 'integer', required: true, min: 0 },
    { key: 'montant', label: 'Montant', type: 'decimal', required: true },
    { key: 'jour', label: 'Jour', type: 'date', required: true },
    { key: 'rdv', label: 'Rendez-vous', type: 'datetime', required: true },
    { key: 'courriel', label: 'Courriel', type: 'email', required: true },
    { key: 'tel', label: 'Téléphone', type: 'phone', required: true },
    { key: 'majeur', label: 'Majeur', type: 'yes_no', required: true },
    { key: 'accord', label: 'J’accepte', type: 'checkbox', required: true },
    { key: 'taille', label: 'Taille', type: 'choice', options: ['S', 'M', 'L'], required: true },
    { key: 'jours', label: 'Jours', type: 'multiple_choice', options: ['lundi', 'mardi'], required: true },
    { key: 'salle', label: 'Salle', type: 'dropdown', options: [{ value: 'a', label: 'Salle A' }], required: true },
    { key: 'commune', label: 'Commune', type: 'commune', required: true },
    { key: 'epci', label: 'EPCI', type: 'epci', required: true },
    { key: 'dep', label: 'Département', type: 'departement', required: true },
    { key: 'adresse', label: 'Adresse', type: 'address', required: true },
    { key: 'siret', label: 'SIRET', type: 'siret', required: true },
    { key: 'iban', label: 'IBAN', type: 'iban', required: true },
    { key: 'piece', label: 'Pièce', type: 'file' },
    {
      key: 'membres',
      label: 'Membres',
      type: 'repetition',
      required: true,
      fields: [
        { key: 'prenom', label: 'Prénom', type: 'text', required: true },
        { key: 'role', label: 'Rôle', type: 'choice', options: ['président', 'trésorier'] },
      ],
    },
  ],
};

const VALID = {
  nom: ' Dupont ',
  details: 'Ligne 1\nLigne 2',
  enfants: '2',
  montant: '1 234,50',
  jour: '14/07/2026',
  rdv: '2026-07-14T09:30',
  courriel: 'a@exemple.fr',
  tel: '+33 6 12 34 56 78',
  majeur: 'oui',
  accord: true,
  taille: 'M',
  jours: ['mardi', 'lundi'],
  salle: 'a',
  commune: '44109',
  epci: '244400404',
  dep: '44',
  adresse: '2 rue de la Paix, 44000 Nantes',
  siret: '732 829 320 00074',
  iban: 'FR76 3000 6000 0112 3456 7890 189',
  membres: [{ prenom: 'Léa', role: 'président' }, { prenom: 'Noé' }],
};

const INVALID = {
  nom: 'x'.repeat(51),
  details: '   ',
  enfants: '-1',
  montant: 'beaucoup',
  jour: '2026-13-01',
  rdv: 'demain',
  courriel: 'a@',
  tel: '123',
  majeur: 'peut-être',
  accord: false,
  taille: 'XL',
  jours: ['dimanche'],
  salle: 'Salle A',
  commune: '44000',
  epci: '244400405',
  dep: '99',
  adresse: ['pas', 'un texte'],
  siret: '73282932000075',
  iban: 'FR76 3000 6000 0112 3456 7890 188',
  membres: [{ role: 'président' }],
};

test('valid answers of every type are stored normalised; section and explanation collect nothing', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a, ALL_TYPES);
  const res = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`, null, {
    email: 'c@exemple.fr',
    data: { ...VALID, titre: 'ignored' },
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(res.json().data, {
    nom: 'Dupont',
    details: 'Ligne 1\nLigne 2',
    enfants: 2,
    montant: 1234.5,
    jour: '2026-07-14',
    rdv: '2026-07-14T09:30',
    courriel: 'a@exemple.fr',
    tel: '06 12 34 56 78',
    majeur: true,
    accord: true,
    taille: 'M',
    jours: ['mardi', 'lundi'],
    salle: 'a',
    commune: '44109',
    epci: '244400404',
    dep: '44',
    adresse: '2 rue de la Paix, 44000 Nantes',
    siret: '73282932000074',
    iban: 'FR7630006000011234567890189',
    membres: [{ prenom: 'Léa', role: 'président' }, { prenom: 'Noé' }],
  });
});

test('an invalid answer of every type: one reason per field, in the request’s language, nothing stored', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a, ALL_TYPES);
  const res = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`, null, { email: 'c@exemple.fr', data: INVALID });
  assert.equal(res.statusCode, 422);
  const errors = res.json().errors as Record<string, string[]>;
  const expected = Object.keys(INVALID)
    .filter((k) => k !== 'membres')
    .concat('membres.0.prenom')
    .sort();
  assert.deepEqual(Object.keys(errors).sort(), expected);
  assert.match(errors.siret![0]!, /SIRET/);
  assert.match(errors.accord![0]!, /Cochez/);
  const en = await call(
    t,
    'POST',
    `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`,
    null,
    { email: 'c@exemple.fr', data: INVALID },
    { 'accept-language': 'en' },
  );
  assert.match((en.json().errors as Record<string, string[]>).iban![0]!, /The IBAN is not valid/);
  const empty = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`, null, { email: 'c@exemple.fr', data: {} });
  assert.equal(Object.keys(empty.json().errors).length, 20, 'every required field is named');
  assert.equal(await countRows(t, a.tenant.id, 'dossiers'), 0);
});
