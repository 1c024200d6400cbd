// Designer pages through HTTP: a procedure_admin creates a procedure, adds, edits (with a condition),
// moves and deletes fields, previews, publishes (revision shown), exports and re-imports it as JSON.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, createPerson, browserFor, postForm, type TestApp } from '../../../../test/helpers/app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('only procedure administrators reach the designer', async () => {
  const tenant = await createTestTenant(t.db);
  const agent = await createPerson(t.db, { [tenant.id]: ['agent'] });
  assert.equal((await t.app.inject({ url: `/${tenant.slug}/admin/demarches`, headers: (await browserFor(t, agent.id)).headers })).statusCode, 403);
  assert.equal((await t.app.inject(`/${tenant.slug}/admin/demarches`)).statusCode, 303);
});

test('a designer creates, edits, previews, publishes, exports and imports a procedure', async () => {
  const tenant = await createTestTenant(t.db);
  const admin = await createPerson(t.db, { [tenant.id]: ['procedure_admin'] });
  const browser = await browserFor(t, admin.id);
  const base = `/${tenant.slug}/admin/demarches`;
  const get = (url: string) => t.app.inject({ url, headers: browser.headers });

  const empty = await postForm(t, browser, base, { title: '' });
  assert.equal(empty.statusCode, 422);
  assert.match(empty.body, /href="#field-title"/);

  const created = await postForm(t, browser, base, { title: 'Permis de végétaliser' });
  assert.equal(created.statusCode, 303);
  const edit = String(created.headers.location).split('?')[0]!;
  assert.match(edit, new RegExp(`^${base}/[0-9a-f-]{36}$`));

  const addChoice = await postForm(t, browser, `${edit}/champs`, { label: 'Vous êtes', type: 'choice' });
  assert.equal(addChoice.statusCode, 303);
  assert.equal(String(addChoice.headers.location).split('?')[0], `${edit}/champs/0/modifier`);
  assert.equal(
    (
      await postForm(t, browser, `${edit}/champs/0/modifier`, {
        label: 'Vous êtes',
        key: 'statut',
        type: 'choice',
        required: 'true',
        options: 'particulier = Un particulier\nasso = Une association',
      })
    ).statusCode,
    303,
  );
  await postForm(t, browser, `${edit}/champs`, { label: 'Nom de l’association', type: 'text' });
  await postForm(t, browser, `${edit}/champs`, { label: 'À supprimer', type: 'text' });

  const fieldPage = await get(`${edit}/champs/1/modifier`);
  assert.equal(fieldPage.statusCode, 200);
  assert.match(fieldPage.body, /<option value="statut">Vous êtes<\/option>/, 'earlier fields are offered for conditions');
  const conditioned = await postForm(t, browser, `${edit}/champs/1/modifier`, {
    label: 'Nom de l’association',
    key: 'nom_asso',
    type: 'text',
    required: 'true',
    visibleIf_mode: 'all',
    visibleIf_field: ['statut', '', ''],
    visibleIf_op: ['equals', 'equals', 'equals'],
    visibleIf_value: ['asso', '', ''],
  });
  assert.equal(conditioned.statusCode, 303);
  const badKey = await postForm(t, browser, `${edit}/champs/2/modifier`, { label: 'À supprimer', key: 'Pas Valide', type: 'text' });
  assert.equal(badKey.statusCode, 422);
  assert.match(badKey.body, /id="error-field-key"/);

  assert.equal((await postForm(t, browser, `${edit}/champs/deplacer`, { op: 'supprimer:2' })).statusCode, 303);
  // Moving the conditioned field above the one it depends on is refused with the reason; nothing changes.
  const badMove = await postForm(t, browser, `${edit}/champs/deplacer`, { op: 'monter:1' });
  assert.equal(badMove.statusCode, 422);

  const page = await get(edit);
  assert.match(page.body, /À remplir seulement si « Vous êtes » vaut « Une association »/);
  assert.doesNotMatch(page.body, /À supprimer/);
  assert.match(page.body, /modifications non publiées/);

  const preview = await get(`${edit}/apercu`);
  assert.equal(preview.statusCode, 200);
  assert.match(preview.body, /<legend>Vous êtes <span class="req">\(obligatoire\)<\/span><\/legend>/);
  assert.match(preview.body, /name="nom_asso"/);

  const published = await postForm(t, browser, `${edit}/publier`, {});
  assert.equal(published.statusCode, 303);
  const after = await get(String(published.headers.location));
  assert.match(after.body, /La démarche est publiée/);
  assert.match(after.body, /version 1 publiée/);
  const again = await postForm(t, browser, `${edit}/publier`, {});
  assert.match(String(again.headers.location), /notice=unchanged/);

  const citizens = await t.app.inject(`/${tenant.slug}/demarches`);
  assert.match(citizens.body, /Permis de végétaliser/);
  assert.equal((await postForm(t, browser, `${edit}/fermer`, {})).statusCode, 303);
  assert.doesNotMatch((await t.app.inject(`/${tenant.slug}/demarches`)).body, /Permis de végétaliser/, 'a closed procedure is no longer offered');
  assert.equal((await postForm(t, browser, `${edit}/publier`, {})).statusCode, 303);
  assert.match((await t.app.inject(`/${tenant.slug}/demarches`)).body, /Permis de végétaliser/, 'publishing reopens it');

  const exported = await get(`${edit}/export.json`);
  assert.equal(exported.statusCode, 200);
  assert.match(String(exported.headers['content-disposition']), /^attachment; filename="permis-de-vegetaliser\.json"/);
  const doc = JSON.parse(exported.body) as { format: string; definition: { fields: Array<{ key: string; visibleIf?: unknown }> } };
  assert.equal(doc.format, 'bastide.procedure');
  assert.deepEqual(
    doc.definition.fields.map((f) => f.key),
    ['statut', 'nom_asso'],
  );
  assert.deepEqual(doc.definition.fields[1]!.visibleIf, { field: 'statut', op: 'equals', value: 'asso' });

  const badImport = await postForm(t, browser, `${base}/importer`, { json: '{ pas du json' });
  assert.equal(badImport.statusCode, 422);
  assert.match(badImport.body, /n’est pas du JSON valide/);
  const imported = await postForm(t, browser, `${base}/importer`, { json: exported.body });
  assert.equal(imported.statusCode, 303);
  const list = await get(base);
  assert.equal((list.body.match(/Permis de végétaliser/g) ?? []).length, 2);
});

test('a designer makes groups and routes dossiers on the commune chosen; each group sees its own', async () => {
  const tenant = await createTestTenant(t.db);
  const admin = await createPerson(t.db, { [tenant.id]: ['procedure_admin'] });
  const reze = await createPerson(t.db, { [tenant.id]: ['agent'] });
  const nantes = await createPerson(t.db, { [tenant.id]: ['agent'] });
  const browser = await browserFor(t, admin.id);
  const { publish } = await import('../../../../test/support/procedures/web.ts');
  const proc = await publish(t.db, tenant.id, { title: 'Signalement', fields: [{ key: 'commune', label: 'Commune', type: 'commune', required: true }] });
  const base = `/${tenant.slug}/admin/demarches/${proc.id}/groupes`;
  assert.equal((await postForm(t, browser, base, { name: 'Agents de Rezé' })).statusCode, 303);
  assert.equal((await postForm(t, browser, base, { name: 'Agents de Nantes' })).statusCode, 303);
  const page = await t.app.inject({ url: base, headers: browser.headers });
  const groupIds = [...page.body.matchAll(/action="[^"]+\/groupes\/([0-9a-f-]{36})\/membres"/g)].map((m) => m[1]!);
  const names = [...page.body.matchAll(/<h2>(Agents de [^<]+)<\/h2>/g)].map((m) => m[1]!);
  const rezeGroup = groupIds[names.indexOf('Agents de Rezé')]!;
  const nantesGroup = groupIds[names.indexOf('Agents de Nantes')]!;
  assert.equal((await postForm(t, browser, `${base}/${rezeGroup}/membres`, { person: reze.email })).statusCode, 303);
  assert.equal((await postForm(t, browser, `${base}/${nantesGroup}/membres`, { person: nantes.email })).statusCode, 303);
  const unknown = await postForm(t, browser, `${base}/${nantesGroup}/membres`, { person: 'personne@example.org' });
  assert.equal(unknown.statusCode, 422);
  const rules = await postForm(t, browser, `${base}/routage`, {
    rule_field: ['commune', 'commune', ''],
    rule_op: ['equals', 'equals', 'equals'],
    rule_value: ['44143', '44109', ''],
    rule_group: [rezeGroup, nantesGroup, ''],
  });
  assert.equal(rules.statusCode, 303);

  const guest = await browserFor(t, null);
  await postForm(t, guest, `/${tenant.slug}/demarches/${proc.slug}`, { _email: 'a@example.org', commune: 'Rezé' });
  await postForm(t, guest, `/${tenant.slug}/demarches/${proc.slug}`, { _email: 'b@example.org', commune: '44109' });
  const rezeInbox = await t.app.inject({ url: `/${tenant.slug}/instruction`, headers: (await browserFor(t, reze.id)).headers });
  assert.match(rezeInbox.body, /1 dossier\(s\)/);
  const rows = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ applicant_email: string; group_id: string }>('select applicant_email, group_id from dossiers order by number'),
  );
  assert.deepEqual(
    rows.map((r) => r.group_id),
    [rezeGroup, nantesGroup],
  );
});
