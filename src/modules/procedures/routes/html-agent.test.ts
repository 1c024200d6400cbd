// Agent pages through HTTP: the inbox (counts per state, filters, search, bulk actions) and the dossier
// page (state change with motivation, assignment, labels, message, private note, downloads, access).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, createPerson, browserFor, postForm, type TestApp } from '../../../../test/helpers/app.ts';
import { translator } from '../../../core/i18n/i18n.ts';
import { submitDossier } from '../actions/submit-dossier.ts';
import { publish } from '../../../../test/support/procedures/web.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

async function file(tenantId: string, procedure: string, data: Record<string, unknown>): Promise<number> {
  const guest = { tenantId, actor: 'anonymous', personId: null, viaToken: false, roles: [], t: translator('fr') };
  const { dossier } = await submitDossier(t.deps, guest, { procedure, data, email: 'usager@example.org' });
  return dossier.number;
}

async function setup() {
  const tenant = await createTestTenant(t.db);
  const proc = await publish(t.db, tenant.id, {
    title: 'Subvention associative',
    fields: [{ key: 'projet', label: 'Projet', type: 'textarea', required: true }],
  });
  const numbers = [
    await file(tenant.id, proc.id, { projet: 'Festival de musique baroque au château' }),
    await file(tenant.id, proc.id, { projet: 'Jardins partagés du quartier nord' }),
    await file(tenant.id, proc.id, { projet: 'Tournoi de pétanque intergénérationnel' }),
  ];
  const agent = await createPerson(t.db, { [tenant.id]: ['agent'] });
  return { tenant, proc, numbers, agent, browser: await browserFor(t, agent.id) };
}

test('the inbox is for agents: anonymous visitors sign in, citizens are refused', async () => {
  const { tenant } = await setup();
  const anonymous = await t.app.inject(`/${tenant.slug}/instruction`);
  assert.equal(anonymous.statusCode, 303);
  assert.match(String(anonymous.headers.location), /^\/auth\/sign-in/);
  const citizen = await createPerson(t.db, { [tenant.id]: ['citizen'] });
  assert.equal((await t.app.inject({ url: `/${tenant.slug}/instruction`, headers: (await browserFor(t, citizen.id)).headers })).statusCode, 403);
});

test('an agent filters the inbox, searches in French, and moves dossiers in bulk', async () => {
  const { tenant, numbers, browser } = await setup();
  const home = await t.app.inject({ url: `/${tenant.slug}/`, headers: browser.headers });
  assert.match(home.body, new RegExp(`<a href="/${tenant.slug}/instruction">Instruction des dossiers</a>`), 'staff navigation');
  const inbox = await t.app.inject({ url: `/${tenant.slug}/instruction`, headers: browser.headers });
  assert.equal(inbox.statusCode, 200);
  assert.match(inbox.body, /En construction \(3\)/);
  for (const n of numbers) assert.match(inbox.body, new RegExp(`name="numbers" value="${n}"`));

  const search = await t.app.inject({ url: `/${tenant.slug}/instruction?q=${encodeURIComponent('jardin')}`, headers: browser.headers });
  assert.match(search.body, /1 dossier\(s\)/);
  assert.match(search.body, new RegExp(`value="${numbers[1]}"`));
  assert.doesNotMatch(search.body, new RegExp(`name="numbers" value="${numbers[0]}"`));

  const bulk = await postForm(t, browser, `/${tenant.slug}/instruction/lot`, {
    numbers: [String(numbers[0]), String(numbers[2])],
    action: 'to:en_instruction',
    back: `/${tenant.slug}/instruction?state=en_instruction`,
  });
  assert.equal(bulk.statusCode, 303);
  assert.equal(bulk.headers.location, `/${tenant.slug}/instruction?state=en_instruction&notice=bulk_done`);
  const filtered = await t.app.inject({ url: String(bulk.headers.location), headers: browser.headers });
  assert.match(filtered.body, /Action appliquée aux dossiers choisis/);
  assert.match(filtered.body, /En instruction \(2\)/);
  assert.match(filtered.body, /2 dossier\(s\)/);
  assert.match(filtered.body, /<a href="[^"]*state=en_instruction[^"]*" aria-current="page">/);

  const noReason = await postForm(t, browser, `/${tenant.slug}/instruction/lot`, { numbers: String(numbers[0]), action: 'to:refuse', motivation: '' });
  assert.equal(noReason.statusCode, 422);
  assert.match(noReason.body, /error-summary/);
  const states = await t.db.transaction(tenant.id, (tx) => tx.query<{ state: string }>('select state from dossiers order by number'));
  assert.deepEqual(
    states.map((s) => s.state),
    ['en_instruction', 'en_construction', 'en_instruction'],
  );

  await postForm(t, browser, `/${tenant.slug}/instruction/lot`, { numbers: String(numbers[1]), action: 'assign:me' });
  assert.equal(
    (
      await postForm(t, browser, `/${tenant.slug}/instruction/lot`, {
        numbers: [String(numbers[0]), String(numbers[1])],
        action: 'label:add',
        label: 'prioritaire',
      })
    ).statusCode,
    303,
  );
  const labelled = await t.app.inject({ url: `/${tenant.slug}/instruction?label=prioritaire`, headers: browser.headers });
  assert.match(labelled.body, /2 dossier\(s\)/);
  assert.match(labelled.body, /<option value="prioritaire" selected>prioritaire<\/option>/);
  const badLabel = await postForm(t, browser, `/${tenant.slug}/instruction/lot`, { numbers: String(numbers[2]), action: 'label:add', label: 'x'.repeat(80) });
  assert.equal(badLabel.statusCode, 422);
  const mine = await t.app.inject({ url: `/${tenant.slug}/instruction?assignee=me`, headers: browser.headers });
  assert.match(mine.body, /1 dossier\(s\)/);
});

test('an agent changes a state (motivation required to refuse), assigns, labels, messages and notes', async () => {
  const { tenant, numbers, browser, agent } = await setup();
  const url = `/${tenant.slug}/instruction/dossiers/${numbers[0]}`;
  const page = await t.app.inject({ url, headers: browser.headers });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Festival de musique baroque/);
  assert.match(page.body, /value="en_instruction"/);

  assert.equal((await postForm(t, browser, `${url}/etat`, { to: 'en_instruction' })).statusCode, 303);
  const refused = await postForm(t, browser, `${url}/etat`, { to: 'refuse', motivation: '' });
  assert.equal(refused.statusCode, 422);
  assert.match(refused.body, /<a href="#field-motivation">/);
  const illegal = await postForm(t, browser, `${url}/etat`, { to: 'brouillon' });
  assert.equal(illegal.statusCode, 409);
  const done = await postForm(t, browser, `${url}/etat`, { to: 'refuse', motivation: 'Dossier hors du champ du règlement.' });
  assert.equal(done.statusCode, 303);
  const after = await t.app.inject({ url: String(done.headers.location), headers: browser.headers });
  assert.match(after.body, /L’état du dossier est modifié/);
  assert.match(after.body, /Refusé/);
  assert.match(after.body, /Dossier hors du champ du règlement\./);

  assert.equal((await postForm(t, browser, `${url}/attribution`, { assignee: agent.id })).statusCode, 303);
  assert.equal((await postForm(t, browser, `${url}/etiquettes`, { labels: 'urgent, à revoir' })).statusCode, 303);
  const row = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ assignee_id: string; labels: string[]; state: string }>('select assignee_id, labels, state from dossiers where number = $1', [numbers[0]]),
  );
  assert.equal(row!.assignee_id, agent.id);
  assert.deepEqual(row!.labels, ['urgent', 'à revoir'].sort());
  assert.equal(row!.state, 'refuse');

  const note = await postForm(t, browser, `${url}/notes`, { body: 'Voir avec le service culture.' });
  assert.equal(note.statusCode, 303);
  const message = await postForm(t, browser, `${url}/messages`, { body: 'Votre dossier a été examiné.' });
  assert.equal(message.statusCode, 303);
  const shown = await t.app.inject({ url, headers: browser.headers });
  assert.match(shown.body, /Voir avec le service culture\./);
  assert.match(shown.body, /Note privée/);

  // The citizen sees the message, never the note.
  const tracking = await t.db.transaction(tenant.id, (tx) => tx.one<{ id: string }>('select id from dossiers where number = $1', [numbers[0]]));
  const { trackingCodeFor } = await import('../tracking-code.ts');
  const citizenPage = await t.app.inject(`/${tenant.slug}/dossiers/${numbers[0]}?code=${trackingCodeFor(t.deps.secret, tenant.id, tracking!.id)}`);
  assert.equal(citizenPage.statusCode, 200);
  assert.match(citizenPage.body, /Votre dossier a été examiné\./);
  assert.doesNotMatch(citizenPage.body, /service culture/);
});
