// The designer's operations page through HTTP: shown with the defaults, a bad webhook re-renders the form
// with its errors and changes nothing, a good form saves only what differs from the defaults.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestTenant, createPerson, browserFor, postForm, type TestApp } from '../../../../test/helpers/app.ts';
import { startOpsApp, publishedProcedure } from '../../../../test/support/procedures/ops.ts';
import { DEFAULT_TEMPLATES } from '../notifications/templates.ts';
import { NOTIFY_EVENTS } from '../operations/settings.ts';

let t: TestApp;
before(async () => {
  t = await startOpsApp();
});
after(() => t.close());

function formOf(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of body.matchAll(/<input id="field-([a-z_]+)" name="([a-z_]+)" type="(?:text|url|password)" value="([^"]*)"/g))
    fields[m[2]!] = m[3]!
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  for (const m of body.matchAll(/<textarea id="field-([a-z_]+)" name="([a-z_]+)"[^>]*>([^<]*)<\/textarea>/g))
    fields[m[2]!] = m[3]!
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return fields;
}

test('designers edit templates, webhook and retention on a form that works without JavaScript', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const designer = await createPerson(t.db, { [tenant.id]: ['procedure_admin'] });
  const browser = await browserFor(t, designer.id);
  const url = `/${tenant.slug}/admin/demarches/${procedure.id}/operations`;
  const page = await t.app.inject({ url, headers: browser.headers });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h1>Courriels, webhook et conservation<\/h1>/);
  const form = formOf(page.body);
  assert.equal(form.notifications_templates_accepte_subject, DEFAULT_TEMPLATES.accepte.subject);
  assert.equal(Object.keys(form).filter((k) => k.startsWith('notifications_templates_')).length, NOTIFY_EVENTS.length * 2);

  const bad = await postForm(t, browser, url, {
    ...form,
    enabled: 'on',
    webhook_url: 'http//nope',
    webhook_secret: 'court',
    retention_after_decision: 'anonymise',
    retention_days: 'dix',
  });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /class="error-summary"/);
  for (const id of ['webhook_url', 'webhook_secret', 'retention_days']) assert.match(bad.body, new RegExp(`href="#field-${id}"`));
  assert.match(bad.body, /value="http\/\/nope"/, 'what was typed is shown back');
  const unchanged = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ settings: Record<string, unknown> }>('select settings from procedures where id = $1', [procedure.id]),
  );
  assert.deepEqual(unchanged!.settings, {});

  const ok = await postForm(t, browser, url, {
    ...form,
    enabled: 'on',
    notifications_templates_accepte_subject: 'Bonne nouvelle pour le dossier {numero}',
    webhook_url: 'https://integration.example.fr/bastide',
    webhook_secret: 'un secret assez long pour passer',
    retention_after_decision: 'anonymise',
    retention_days: '180',
    drafts_expire_after_days: '60',
    drafts_remind_before_days: '5',
  });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, `${url}?notice=operations_saved`);
  const saved = (await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ settings: Record<string, any> }>('select settings from procedures where id = $1', [procedure.id]),
  ))!.settings;
  assert.deepEqual(Object.keys(saved.notifications.templates), ['accepte'], 'only the changed template is stored');
  assert.equal(saved.notifications.templates.accepte.subject, 'Bonne nouvelle pour le dossier {numero}');
  assert.deepEqual(saved.webhook, { url: 'https://integration.example.fr/bastide', secret: 'un secret assez long pour passer' });
  assert.deepEqual(saved.retention, { after_decision: 'anonymise', days: 180 });
  assert.deepEqual(saved.drafts, { expire_after_days: 60, remind_before_days: 5 });
  const after = await t.app.inject({ url: `${url}?notice=operations_saved`, headers: browser.headers });
  assert.match(after.body, /Les réglages ont été enregistrés/);
  assert.ok(!after.body.includes('un secret assez long'), 'the secret is never shown back');
  // Saving again with the secret left empty keeps it.
  await postForm(t, browser, url, { ...formOf(after.body), enabled: 'on', retention_after_decision: 'anonymise' });
  const kept = (await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ settings: Record<string, any> }>('select settings from procedures where id = $1', [procedure.id]),
  ))!.settings;
  assert.equal(kept.webhook.secret, 'un secret assez long pour passer');
  const journal = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ data: { webhook?: { secret: string } } }>(`select data from journal_entries where action = 'procedures.procedure.operations'`),
  );
  assert.equal(journal.length, 2);
  assert.deepEqual(journal.map((j) => j.data.webhook?.secret).sort(), ['changed', 'unchanged'], 'the secret never reaches the journal');

  const agent = await createPerson(t.db, { [tenant.id]: ['agent'] });
  assert.equal((await t.app.inject({ url, headers: (await browserFor(t, agent.id)).headers })).statusCode, 403);
  assert.equal((await t.app.inject({ url, headers: (await browserFor(t, null)).headers })).statusCode, 303);
});

test('saving the form keeps the archive settings it does not show (then, rule codes set through the API)', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const designer = await createPerson(t.db, { [tenant.id]: ['procedure_admin'] });
  const browser = await browserFor(t, designer.id);
  const { updateOperationsSettings } = await import('../operations/update-settings.ts');
  const { loadOperationsSettings } = await import('../operations/settings.ts');
  const p = { tenantId: tenant.id, actor: `person:${designer.id}`, personId: designer.id, roles: ['procedure_admin' as const], t: (k: string) => k };
  await updateOperationsSettings(
    t.db,
    p as never,
    procedure.id,
    { retention: { after_decision: 'archive', days: 365, then: 'delete', appraisal_rule: 'APP-DELIB-C', access_rule: 'ACC-00' } },
    { allowHttp: false },
  );
  const url = `/${tenant.slug}/admin/demarches/${procedure.id}/operations`;
  const page = await t.app.inject({ url, headers: browser.headers });
  const saved = await postForm(t, browser, url, { ...formOf(page.body), enabled: 'on', retention_after_decision: 'archive', retention_days: '30' });
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
  const s = await t.db.transaction(tenant.id, (tx) => loadOperationsSettings(tx, procedure.id));
  assert.deepEqual(s!.retention, { action: 'archive', days: 30, then: 'delete', appraisalRule: 'APP-DELIB-C', accessRule: 'ACC-00' });
});
