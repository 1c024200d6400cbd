// Exports through HTTP: streamed CSV (BOM, ';', RFC 4180 quoting, formula neutralising) and JSON of a
// procedure's dossiers, scoped to the agent's groups; keyset paging; the dossier PDF and the receipt PDF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createTestTenant, createPerson, apiToken, browserFor, type TestApp } from '../../../../test/helpers/app.ts';
import { submitDossier } from '../actions/submit-dossier.ts';
import { transitionDossier } from '../actions/transition-dossier.ts';
import { agentMessage } from '../actions/dossier-messages.ts';
import { createGroup, addMember, setRouting } from '../actions/manage-groups.ts';
import { startOpsApp, principal, publishedProcedure, SUBSIDY_ANSWERS } from '../../../../test/support/procedures/ops.ts';
import { exportRows } from './rows.ts';

let t: TestApp;
before(async () => {
  t = await startOpsApp();
});
after(() => t.close());

const guest = (tenantId: string) => ({ ...principal(tenantId, []), actor: 'anonymous', viaToken: false });
const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
const pdfText = (pdf: Buffer) => spawnSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).stdout.toString('utf8').replace(/\s+/g, ' ');

/** A tiny RFC 4180 reader for the test's own check (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

async function setup() {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const admin = principal(tenant.id, ['procedure_admin']);
  const culture = await createGroup(t.db, admin, { name: 'Service culture', procedure: procedure.id });
  await setRouting(t.db, admin, procedure.id, [{ condition: { field: 'domaine', op: 'equals', value: 'Culture' }, group: culture.id }]);
  const numbers: number[] = [];
  for (const [i, domaine] of ['Culture', 'Sport', 'Culture'].entries()) {
    const { dossier } = await submitDossier(t.deps, guest(tenant.id), {
      procedure: procedure.id,
      email: `x${i}@example.org`,
      data: { ...SUBSIDY_ANSWERS, domaine, nom: i === 1 ? '=HYPERLINK("http://evil")' : `Asso ${i}` },
    });
    numbers.push(Number(dossier.number));
  }
  await submitDossier(t.deps, guest(tenant.id), { procedure: procedure.id, email: 'draft@example.org', data: { nom: 'Brouillon' }, draft: true });
  return { tenant, procedure, culture, numbers };
}

test('CSV: BOM, semicolons, one column per field, quoting, formulas neutralised, drafts left out', async () => {
  const { tenant, procedure, numbers } = await setup();
  const token = await apiToken(t, tenant.id, 'agent');
  const res = await t.app.inject({ url: `/api/v1/${tenant.slug}/procedures/${procedure.slug}/dossiers.csv`, headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
  assert.match(String(res.headers['content-disposition']), /attachment; filename="dossiers-demande-de-subvention-associative-\d{4}-\d{2}-\d{2}\.csv"/);
  assert.ok(res.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 byte order mark');
  const rows = parseCsv(res.body.slice(1), ';');
  assert.deepEqual(rows[0], [
    'numero',
    'etat',
    'depose_le',
    'instruit_le',
    'decide_le',
    'groupe',
    'instructeur',
    'etiquettes',
    'motivation',
    'revision',
    'Nom de l’association',
    'Numéro SIRET',
    'Commune du siège',
    'Domaine',
    'Montant demandé (€)',
    'Décrivez le projet',
  ]);
  assert.deepEqual(
    rows.slice(1).map((r) => Number(r[0])),
    numbers,
    'submitted dossiers only, oldest first',
  );
  const [first, second] = [rows[1]!, rows[2]!];
  assert.equal(first[5], 'Service culture');
  assert.deepEqual(first.slice(10), ['Asso 0', '73282932000074', '44109', 'Culture', '1500.5', 'Fête de l’été; atelier "théâtre", =1+1 et goûter']);
  assert.equal(second[10], `'=HYPERLINK("http://evil")`);
  assert.ok(res.body.includes('"Fête de l’été; atelier ""théâtre"", =1+1 et goûter"'), 'RFC 4180 quoting');
  const comma = await t.app.inject({
    url: `/api/v1/${tenant.slug}/procedures/${procedure.id}/dossiers.csv?sep=comma`,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(parseCsv(comma.body.slice(1), ',')[0]!.length, 16);
});

test('JSON: a streamed array with every answer, scoped to the groups of a signed-in agent', async () => {
  const { tenant, procedure, culture, numbers } = await setup();
  const agent = await createPerson(t.db, { [tenant.id]: ['agent'] });
  await addMember(t.db, principal(tenant.id, ['procedure_admin']), culture.id, agent.id);
  const other = await createPerson(t.db, { [tenant.id]: ['agent'] });
  const otherGroup = await createGroup(t.db, principal(tenant.id, ['procedure_admin']), { name: 'Autre' });
  await addMember(t.db, principal(tenant.id, ['procedure_admin']), otherGroup.id, other.id);

  const browser = await browserFor(t, agent.id);
  const res = await t.app.inject({ url: `/${tenant.slug}/exports/procedures/${procedure.id}/dossiers.json`, headers: browser.headers });
  assert.equal(res.statusCode, 200);
  const items = res.json() as Array<{ number: number; state: string; group: string | null; data: Record<string, unknown> }>;
  // Culture dossiers are routed to the agent's group; the Sport one went to no group: everyone's.
  assert.deepEqual(
    items.map((i) => i.number),
    numbers,
  );
  assert.equal(items[0]!.data.siret, '73282932000074');
  const otherItems = (
    await t.app.inject({ url: `/${tenant.slug}/exports/procedures/${procedure.id}/dossiers.json`, headers: (await browserFor(t, other.id)).headers })
  ).json() as Array<{ number: number }>;
  assert.deepEqual(
    otherItems.map((i) => i.number),
    [numbers[1]],
    'only the unrouted dossier',
  );

  const anonymous = await t.app.inject({
    url: `/${tenant.slug}/exports/procedures/${procedure.id}/dossiers.csv`,
    headers: (await browserFor(t, null)).headers,
  });
  assert.equal(anonymous.statusCode, 303);
  const citizen = await createPerson(t.db, { [tenant.id]: ['citizen'] });
  const refused = await t.app.inject({
    url: `/${tenant.slug}/exports/procedures/${procedure.id}/dossiers.csv`,
    headers: (await browserFor(t, citizen.id)).headers,
  });
  assert.equal(refused.statusCode, 403);
  const otherTenant = await createTestTenant(t.db);
  const foreign = await apiToken(t, otherTenant.id, 'tenant_admin');
  const leak = await t.app.inject({
    url: `/api/v1/${otherTenant.slug}/procedures/${procedure.id}/dossiers.json`,
    headers: { authorization: `Bearer ${foreign}` },
  });
  assert.equal(leak.statusCode, 404);
});

test('keyset paging returns every row once, in order, whatever the page size', async () => {
  const { tenant, procedure, numbers } = await setup();
  const seen: number[] = [];
  for await (const row of exportRows(t.db, tenant.id, procedure.id, { all: true }, 2)) seen.push(Number(row.number));
  assert.deepEqual(seen, numbers);
});

test('the dossier PDF (agents) and the receipt PDF (the applicant, with the tracking code)', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const { dossier, trackingCode } = await submitDossier(t.deps, guest(tenant.id), { procedure: procedure.id, email: 'r@example.org', data: SUBSIDY_ANSWERS });
  const agent = principal(tenant.id, ['agent']);
  await agentMessage(t.db, agent, Number(dossier.number), { body: 'Merci de préciser le budget prévisionnel.' });
  await transitionDossier(t.db, agent, Number(dossier.number), { to: 'en_instruction' });
  await transitionDossier(t.db, agent, Number(dossier.number), { to: 'sans_suite', motivation: 'Demande retirée par l’association' });
  const token = await apiToken(t, tenant.id, 'agent');
  const res = await t.app.inject({ url: `/api/v1/${tenant.slug}/dossiers/${dossier.number}/dossier.pdf`, headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.ok(res.rawPayload.subarray(0, 8).toString('latin1').startsWith('%PDF-1.4'));
  if (hasPdftotext) {
    const text = pdfText(res.rawPayload);
    for (const s of [
      'Classé sans suite',
      'Demande retirée par l’association',
      'En construction → En instruction', // the arrow itself: the embedded font has it (receipt/pdf-fonts.ts)
      'Merci de préciser le budget prévisionnel.',
      'Les Amis de l’École',
    ]) {
      assert.ok(text.includes(s), `${s} in ${text}`);
    }
  }
  const receipt = await t.app.inject(`/${tenant.slug}/dossiers/${dossier.number}/accuse-reception.pdf?code=${trackingCode}`);
  assert.equal(receipt.statusCode, 200);
  if (hasPdftotext) assert.ok(pdfText(receipt.rawPayload).includes(`Accusé de réception`));
  assert.equal((await t.app.inject(`/${tenant.slug}/dossiers/${dossier.number}/accuse-reception.pdf?code=wrong`)).statusCode, 404);
  assert.equal((await t.app.inject(`/${tenant.slug}/dossiers/${dossier.number}/accuse-reception.pdf`)).statusCode, 404);
  const otherTenant = await createTestTenant(t.db);
  assert.equal((await t.app.inject(`/${otherTenant.slug}/dossiers/${dossier.number}/accuse-reception.pdf?code=${trackingCode}`)).statusCode, 404);
});
