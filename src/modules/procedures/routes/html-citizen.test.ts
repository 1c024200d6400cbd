// Citizen pages through HTTP, without JavaScript: list, form, invalid answers re-rendered with the error
// summary (nothing stored), submission → receipt, tracking with the private link, answering a message,
// a mediator's filing with consent, drafts. And the pages stay light.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, createPerson, browserFor, postForm, type TestApp } from '../../../../test/helpers/app.ts';
import type { ProcedureDefinition } from '../fields/definition.ts';
import { agentMessage } from '../actions/dossier-messages.ts';
import { designer, elementCount, inputValue, publish } from '../../../../test/support/procedures/web.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const ROOM: ProcedureDefinition = {
  title: 'Réservation de salle municipale',
  description: 'Réservez une salle pour une réunion ou une fête.',
  fields: [
    { key: 'demandeur', label: 'Vous êtes', type: 'choice', required: true, options: ['Particulier', 'Association'] },
    { key: 'siret', label: 'SIRET de l’association', type: 'siret', visibleIf: { field: 'demandeur', op: 'equals', value: 'Association' }, required: true },
    { key: 'nom', label: 'Nom', type: 'text', required: true },
    { key: 'personnes', label: 'Nombre de personnes', type: 'integer', min: 1, max: 300, required: true },
    { key: 'date', label: 'Date souhaitée', type: 'date', required: true },
    { key: 'commune', label: 'Commune de résidence', type: 'commune' },
    {
      key: 'materiel',
      label: 'Matériel',
      type: 'repetition',
      fields: [
        { key: 'objet', label: 'Objet', type: 'text' },
        { key: 'quantite', label: 'Quantité', type: 'integer' },
      ],
    },
  ],
};

async function countDossiers(tenantId: string): Promise<number> {
  return (await t.db.transaction(tenantId, (tx) => tx.one<{ n: number }>('select count(*)::int as n from dossiers')))!.n;
}

test('a guest fills the form without JavaScript; errors come back with a summary and nothing is stored; then it is filed', async () => {
  const tenant = await createTestTenant(t.db);
  const proc = await publish(t.db, tenant.id, ROOM);
  const list = await t.app.inject(`/${tenant.slug}/demarches`);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, new RegExp(`href="/${tenant.slug}/demarches/${proc.slug}">Réservation de salle municipale`));

  const form = await t.app.inject(`/${tenant.slug}/demarches/${proc.slug}`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<form method="post" action="[^"]+" novalidate data-conditions>/);
  assert.match(form.body, /<script src="\/assets\/conditions.js" defer><\/script>/);
  const idem = inputValue(form.body, '_idem')!;
  assert.ok(idem.length > 10);

  const browser = await browserFor(t, null);
  const url = `/${tenant.slug}/demarches/${proc.slug}`;
  const bad = await postForm(t, browser, url, {
    _idem: idem,
    _email: 'pas-une-adresse',
    demandeur: 'Association',
    nom: 'Les Amis du Lac',
    personnes: '12a',
    date: '31/02/2026',
    commune: 'Nantes',
  });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /<div class="error-summary" role="alert"/);
  assert.match(bad.body, /<a href="#field-personnes">Nombre de personnes : /);
  assert.match(bad.body, /<a href="#field-siret">SIRET de l’association : Ce champ est obligatoire/);
  assert.match(bad.body, /<a href="#field-_email">Votre adresse électronique : /);
  assert.match(bad.body, /value="Les Amis du Lac"/, 'what was typed is kept');
  assert.match(bad.body, /value="12a"/);
  assert.match(bad.body, /<title>Erreur – /);
  assert.equal(await countDossiers(tenant.id), 0);

  // "Add another" block, without JavaScript: the form comes back with a second block, nothing stored.
  const grown = await postForm(t, browser, url, { _idem: idem, 'materiel[0][objet]': 'Chaises', 'materiel[0][quantite]': '40', _add: 'materiel' });
  assert.equal(grown.statusCode, 200);
  assert.match(grown.body, /name="materiel\[1\]\[objet\]"/);
  assert.match(grown.body, /value="Chaises"/);
  assert.equal(await countDossiers(tenant.id), 0);

  const filled = {
    _idem: idem,
    _email: 'ana@example.org',
    demandeur: 'Particulier',
    siret: '',
    nom: 'Ana',
    personnes: '40',
    date: '14/07/2026',
    commune: 'Nantes',
    'materiel[0][objet]': 'Chaises',
    'materiel[0][quantite]': '40',
    'materiel[1][objet]': '',
    'materiel[1][quantite]': '',
  };
  const ok = await postForm(t, browser, url, filled);
  assert.equal(ok.statusCode, 303);
  const receiptUrl = String(ok.headers.location);
  assert.match(receiptUrl, new RegExp(`^/${tenant.slug}/dossiers/\\d+/recepisse\\?code=[^&]+&notice=submitted$`));
  const receipt = await t.app.inject(receiptUrl);
  assert.equal(receipt.statusCode, 200);
  const pdfLink = /href="([^"]+accuse-reception\.pdf[^"]*)"/.exec(receipt.body)![1]!.replace(/&amp;/g, '&');
  const pdf = await t.app.inject(pdfLink);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  assert.match(receipt.body, /Votre dossier a bien été déposé/);
  assert.match(receipt.body, /Nantes \(Loire-Atlantique, 44109\)/);
  const stored = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ data: Record<string, unknown>; applicant_email: string; state: string }>('select data, applicant_email, state from dossiers'),
  );
  assert.deepEqual(stored!.data, {
    demandeur: 'Particulier',
    nom: 'Ana',
    personnes: 40,
    date: '2026-07-14',
    commune: '44109',
    materiel: [{ objet: 'Chaises', quantite: 40 }],
  });
  assert.equal(stored!.state, 'en_construction');

  // A second click on the same form (same hidden key, same answers) files nothing new: the same receipt.
  assert.match(idem, /^[\w-]{32}$/);
  const again = await postForm(t, browser, url, filled);
  assert.equal(again.statusCode, 303);
  assert.equal(again.headers.location, ok.headers.location);
  assert.equal(await countDossiers(tenant.id), 1);
});

test('a guest follows the dossier with the private link and answers a message with an attachment', async () => {
  const tenant = await createTestTenant(t.db);
  const proc = await publish(t.db, tenant.id, { title: 'Signalement', fields: [{ key: 'lieu', label: 'Lieu', type: 'text', required: true }] });
  const browser = await browserFor(t, null);
  const filed = await postForm(t, browser, `/${tenant.slug}/demarches/${proc.slug}`, { _email: 'leo@example.org', lieu: 'Place du marché' });
  assert.equal(filed.statusCode, 303);
  const [, number, code] = /dossiers\/(\d+)\/recepisse\?code=([^&]+)/.exec(String(filed.headers.location))!;
  const trackingUrl = `/${tenant.slug}/dossiers/${number}?code=${code}`;

  assert.equal((await t.app.inject(`/${tenant.slug}/dossiers/${number}?code=${'x'.repeat(32)}`)).statusCode, 404, 'a wrong code finds nothing');
  const anonymous = await t.app.inject(`/${tenant.slug}/dossiers/${number}`);
  assert.equal(anonymous.statusCode, 303, 'without a code, sign in');

  await agentMessage(t.db, designer(tenant.id), Number(number), { body: 'Pouvez-vous préciser le numéro de la rue ?' });
  const page = await t.app.inject(trackingUrl);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /En construction/);
  assert.match(page.body, /Pouvez-vous préciser le numéro de la rue \?/);

  const boundary = '----bastide';
  const png = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5f0000000049454e44ae426082',
    'hex',
  );
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\nAu numéro 12.\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="rue.png"\r\nContent-Type: image/png\r\n\r\n`),
    png,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const sent = await t.app.inject({
    method: 'POST',
    url: `/${tenant.slug}/dossiers/${number}/messages?code=${code}&_csrf=${encodeURIComponent(browser.csrf)}`,
    headers: { ...browser.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  assert.equal(sent.statusCode, 303, sent.body.slice(0, 500));
  const after = await t.app.inject(String(sent.headers.location));
  assert.match(after.body, /Votre message est envoyé/);
  assert.match(after.body, /Au numéro 12\./);
  const link = /href="([^"]+\/pieces\/[^"]+)" download>rue\.png/.exec(after.body)![1]!.replace(/&amp;/g, '&');
  const file = await t.app.inject(link);
  assert.equal(file.statusCode, 200);
  assert.match(String(file.headers['content-disposition']), /^attachment/);
  assert.deepEqual(file.rawPayload, png);
  const journal = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ actor: string }>(`select actor from journal_entries where action = 'procedures.dossier.reply'`),
  );
  assert.equal(journal!.actor, 'guest:leo@example.org');

  const empty = await postForm(t, browser, `/${tenant.slug}/dossiers/${number}/messages?code=${code}`, { body: '  ' });
  assert.equal(empty.statusCode, 422);
  assert.match(empty.body, /error-summary/);
});

test('a mediator files for a person and the consent is recorded on the dossier; others may not', async () => {
  const tenant = await createTestTenant(t.db);
  const proc = await publish(t.db, tenant.id, { title: 'Aide', fields: [{ key: 'besoin', label: 'Besoin', type: 'textarea', required: true }] });
  const mediator = await createPerson(t.db, { [tenant.id]: ['mediator'] });
  const citizen = await createPerson(t.db, { [tenant.id]: ['citizen'] });
  const own = await t.app.inject({ url: `/${tenant.slug}/demarches/${proc.slug}`, headers: (await browserFor(t, citizen.id)).headers });
  assert.match(own.body, new RegExp(`Vous déposez ce dossier avec votre compte \\(${citizen.email}\\)`), 'a signed-in citizen gives no email');
  assert.doesNotMatch(own.body, /name="_email"/);
  const url = `/${tenant.slug}/demarches/${proc.slug}/accompagnement`;
  assert.equal((await t.app.inject({ url, headers: (await browserFor(t, citizen.id)).headers })).statusCode, 403);
  const browser = await browserFor(t, mediator.id);
  const form = await t.app.inject({ url, headers: browser.headers });
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<legend>Dépôt accompagné<\/legend>/);
  const missing = await postForm(t, browser, url, { besoin: 'Remplir le dossier de la cantine' });
  assert.equal(missing.statusCode, 422);
  assert.match(missing.body, /href="#field-_consent_name"/);
  const ok = await postForm(t, browser, url, {
    besoin: 'Remplir le dossier de la cantine',
    _consent_name: 'Jeanne Martin',
    _consent_how: 'oral',
    _consent_at: '2026-11-20',
    _email: '',
  });
  assert.equal(ok.statusCode, 303);
  const row = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ mediation: { mediator_person_id: string; consent: { name: string; how: string; given_at: string } } }>('select mediation from dossiers'),
  );
  assert.equal(row!.mediation.mediator_person_id, mediator.id);
  assert.equal(row!.mediation.consent.name, 'Jeanne Martin');
  assert.equal(row!.mediation.consent.how, 'oral');
  assert.match(row!.mediation.consent.given_at, /^2026-11-20/);
});

test('the main citizen pages stay light: few elements, few kilobytes, nothing from another host', async () => {
  const tenant = await createTestTenant(t.db);
  const proc = await publish(t.db, tenant.id, ROOM);
  const home = await t.app.inject(`/${tenant.slug}/`);
  assert.match(
    home.body,
    new RegExp(`<a href="/${tenant.slug}/demarches/${proc.slug}">Réservation de salle municipale</a>`),
    'the home page lists the procedures',
  );
  for (const url of [`/${tenant.slug}/demarches`, `/${tenant.slug}/demarches/${proc.slug}`]) {
    const res = await t.app.inject(url);
    assert.equal(res.statusCode, 200);
    assert.ok(elementCount(res.body) < 300, `${url}: ${elementCount(res.body)} elements`);
    assert.ok(Buffer.byteLength(res.body) < 30_000, `${url}: ${Buffer.byteLength(res.body)} bytes`);
    assert.ok(!/(src|href)="(https?:)?\/\//.test(res.body), `${url} loads nothing from another host`);
  }
});

test('a guest saves a draft, gets the resume link by email, resumes and submits it; then edits it until instruction starts', async () => {
  const tenant = await createTestTenant(t.db);
  const proc = await publish(t.db, tenant.id, {
    title: 'Inscription',
    fields: [
      { key: 'enfant', label: 'Prénom de l’enfant', type: 'text', required: true },
      { key: 'classe', label: 'Classe', type: 'text', required: true },
    ],
  });
  const browser = await browserFor(t, null);
  const saved = await postForm(t, browser, `/${tenant.slug}/demarches/${proc.slug}`, { _email: 'mia@example.org', enfant: 'Mia', _action: 'save' });
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
  const resume = String(saved.headers.location);
  assert.match(resume, /\/dossiers\/\d+\/modifier\?code=[^&]+&notice=draft_saved$/);
  const mail = await t.db.ownerTransaction((tx) =>
    tx.one<{ payload: { to: string; text: string } }>(`select payload from jobs where kind = 'core.mail.send' order by id desc limit 1`),
  );
  assert.equal(mail!.payload.to, 'mia@example.org');
  assert.ok(mail!.payload.text.includes(resume.split('&notice')[0]!), 'the email carries the private resume link');

  const form = await t.app.inject(resume);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Votre brouillon est enregistré/);
  assert.match(form.body, /value="Mia"/);
  const action = resume.split('&notice')[0]!;
  const incomplete = await postForm(t, browser, action, { enfant: 'Mia', classe: '' });
  assert.equal(incomplete.statusCode, 422);
  assert.match(incomplete.body, /href="#field-classe"/);
  const submitted = await postForm(t, browser, action, { enfant: 'Mia', classe: 'CE1' });
  assert.equal(submitted.statusCode, 303);
  assert.match(String(submitted.headers.location), /\/recepisse\?code=.+&notice=submitted$/);
  const row = await t.db.transaction(tenant.id, (tx) => tx.one<{ state: string; number: number; data: unknown }>('select state, number, data from dossiers'));
  assert.equal(row!.state, 'en_construction');

  const edited = await postForm(t, browser, action, { enfant: 'Mia', classe: 'CE2' });
  assert.equal(edited.statusCode, 303);
  assert.match(String(edited.headers.location), /notice=updated$/);
  const { transitionDossier } = await import('../actions/transition-dossier.ts');
  await transitionDossier(t.db, designer(tenant.id), row!.number, { to: 'en_instruction' });
  const late = await postForm(t, browser, action, { enfant: 'Mia', classe: 'CM1' });
  assert.equal(late.statusCode, 409);
  const final = await t.db.transaction(tenant.id, (tx) => tx.one<{ data: Record<string, unknown> }>('select data from dossiers'));
  assert.deepEqual(final!.data, { enfant: 'Mia', classe: 'CE2' });
});

function multipart(
  fields: Record<string, string>,
  files: Array<{ name: string; filename: string; type: string; data: Buffer }>,
): { payload: Buffer; type: string } {
  const boundary = '----bastide-test';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files)
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`),
      f.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

test('a form with a file: uploads are checked by content, kept across an error, attached and downloadable', async () => {
  const tenant = await createTestTenant(t.db);
  const proc = await publish(t.db, tenant.id, {
    title: 'Signalement',
    fields: [
      { key: 'lieu', label: 'Lieu', type: 'text', required: true },
      { key: 'photo', label: 'Photo', type: 'file', accept: ['image/png', 'image/jpeg'], required: true },
    ],
  });
  const browser = await browserFor(t, null);
  const page = await t.app.inject(`/${tenant.slug}/demarches/${proc.slug}`);
  assert.match(page.body, /enctype="multipart\/form-data"/);
  assert.match(page.body, /<input type="file" id="field-photo" name="photo" accept="image\/png,image\/jpeg"/);
  const url = `/${tenant.slug}/demarches/${proc.slug}?_csrf=${encodeURIComponent(browser.csrf)}`;
  const post = (body: { payload: Buffer; type: string }) =>
    t.app.inject({ method: 'POST', url, headers: { ...browser.headers, 'content-type': body.type }, payload: body.payload });
  const png = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5f0000000049454e44ae426082',
    'hex',
  );

  const wrongType = await post(
    multipart({ _email: 'a@example.org', lieu: 'Parc' }, [
      { name: 'photo', filename: 'photo.png', type: 'image/png', data: Buffer.from('%PDF-1.4 pas une image') },
    ]),
  );
  assert.equal(wrongType.statusCode, 422);
  assert.match(wrongType.body, /« photo\.png » n’est pas d’un format accepté/);

  const missing = await post(multipart({ _email: 'a@example.org', lieu: '' }, [{ name: 'photo', filename: 'trou.png', type: 'image/png', data: png }]));
  assert.equal(missing.statusCode, 422);
  assert.match(missing.body, /Fichier déjà joint : trou\.png/);
  const kept = inputValue(missing.body, '_kept')!;
  assert.ok(kept.includes('.'));
  assert.equal(await countDossiers(tenant.id), 0);

  const forged = await post(multipart({ _email: 'a@example.org', lieu: 'Parc', _kept: kept.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) }, []));
  assert.equal(forged.statusCode, 422, 'a tampered kept file is ignored');

  const ok = await post(multipart({ _email: 'a@example.org', lieu: 'Parc', _kept: kept }, []));
  assert.equal(ok.statusCode, 303);
  const receipt = await t.app.inject(String(ok.headers.location));
  const link = /href="([^"]+\/pieces\/[^"]+)" download>trou\.png/.exec(receipt.body)![1]!.replace(/&amp;/g, '&');
  const file = await t.app.inject(link);
  assert.equal(file.statusCode, 200);
  assert.deepEqual(file.rawPayload, png);
});
