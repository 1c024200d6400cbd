// The API upload of an application's document (POST /api/v1/<slug>/roadmap/applications/<id>/documents,
// multipart `file`): the same bounds and checks as the page (core/http/receive-upload.ts). Attacks first:
// another collectivité's staff (its token on our address, or naming our application from its own), an agent,
// an anonymous client, a type judged from the content, one byte over the bound, an empty file, no file —
// each refused with nothing stored (no document row, no `blobs` row, no file in the store when the answer is
// received). Then a document kept, listed in the journal, described in the OpenAPI document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiToken, browserFor, createPerson, createTestTenant, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { multipart } from '../../../../test/support/catalogue/datasets.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';
import { seedProgrammes } from './seed.ts';

let t: TestApp;
let a: Tenant;
let b: Tenant;
let adminA: string;
let adminB: string;
let agentA: string;
let applicationA: string;
let adminAPersonId: string;
const FR = 'france-relance-transformation-numerique-des-collectivites';
const MAX_MB = 1;

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const pdf = (text: string, padding = 0) =>
  Buffer.concat([Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<<>>endobj\ntrailer<<>>\n`), Buffer.alloc(padding, 0x20), Buffer.from('%%EOF\n')]);

// The bound is read from the environment at each upload (documents.ts, maxDocumentBytes).
const previousMax = process.env.BASTIDE_FUNDING_MAX_UPLOAD_MB;
before(async () => {
  process.env.BASTIDE_FUNDING_MAX_UPLOAD_MB = String(MAX_MB);
  t = await startTestApp();
  a = await createTestTenant(t.db);
  b = await createTestTenant(t.db);
  const adminAPerson = await createPerson(t.db, { [a.id]: ['tenant_admin'] });
  adminAPersonId = adminAPerson.id;
  const adminBPerson = await createPerson(t.db, { [b.id]: ['tenant_admin'] });
  adminA = await apiToken(t, a.id, 'tenant_admin', adminAPerson.id);
  adminB = await apiToken(t, b.id, 'tenant_admin', adminBPerson.id);
  agentA = await apiToken(t, a.id, 'agent');
  await seedProgrammes(t);
  for (const tenant of [a, b])
    await t.db.transaction(tenant.id, (tx) =>
      tx.query(
        `insert into roadmap_projects (tenant_id, slug, title, theme, stage, budget_investment, budget_operation, published)
         values (app_tenant(), 'relation-usagers', 'Relation usagers', 'citizen_relations', 'running', 1000000, 200000, true)`,
      ),
    );
  const created = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${a.slug}/roadmap/projects/relation-usagers/applications`,
    headers: { authorization: `Bearer ${adminA}` },
    payload: { programme: FR, amount_asked: 400000 },
  });
  assert.equal(created.statusCode, 201, created.body);
  applicationA = created.json<{ id: string }>().id;
});
after(async () => {
  if (previousMax === undefined) delete process.env.BASTIDE_FUNDING_MAX_UPLOAD_MB;
  else process.env.BASTIDE_FUNDING_MAX_UPLOAD_MB = previousMax;
  await t?.close();
});

function upload(slug: string, id: string, token: string | null, parts: Parameters<typeof multipart>[0], lang = 'fr') {
  const { payload, contentType } = multipart(parts);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/${slug}/roadmap/applications/${id}/documents`,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': contentType, 'accept-language': lang },
    payload,
  });
}

const documentRows = () => t.db.ownerTransaction(async (tx) => (await tx.one<{ n: number }>('select count(*)::int as n from roadmap_funding_documents'))!.n);

async function assertNothingStored(tenant: Tenant, bytes: Buffer, label: string): Promise<void> {
  assert.equal(await documentRows(), 0, `${label}: no document row`);
  const blob = await t.db.ownerTransaction((tx) => tx.one('select 1 from blobs where sha256 = $1', [sha(bytes)]));
  assert.equal(blob, null, `${label}: no blobs row`);
  for (const owner of [a, b, tenant])
    assert.equal(existsSync(join(t.config.dataDir, 'files', owner.id, sha(bytes).slice(0, 2), sha(bytes))), false, `${label}: no file in the store`);
  const temp = join(t.config.dataDir, 'tmp', 'uploads');
  assert.deepEqual(existsSync(temp) ? readdirSync(temp).filter((n) => n.endsWith('.part')) : [], [], `${label}: no temp file`);
}

test('another collectivité’s staff, an agent and an anonymous client store nothing', async () => {
  const bytes = pdf('attaque');
  const file = [{ name: 'file', value: bytes, filename: 'arrete.pdf', type: 'application/pdf' }];
  // B's token on A's address.
  const crossed = await upload(a.slug, applicationA, adminB, file);
  assert.ok([401, 403, 404].includes(crossed.statusCode), `B on A: ${crossed.statusCode}`);
  await assertNothingStored(a, bytes, 'B’s token on A’s address');
  // B's token on B's address, naming A's application: it does not exist for B.
  const named = await upload(b.slug, applicationA, adminB, file);
  assert.equal(named.statusCode, 404, named.body);
  await assertNothingStored(b, bytes, 'A’s application from B');
  // A's agent reads applications but does not add documents; anonymous clients do neither.
  assert.equal((await upload(a.slug, applicationA, agentA, file)).statusCode, 403);
  assert.ok([401, 403].includes((await upload(a.slug, applicationA, null, file)).statusCode));
  assert.equal((await upload(a.slug, 'not-a-uuid', adminA, file)).statusCode, 404);
  await assertNothingStored(a, bytes, 'agent, anonymous, bad id');
});

test('a wrong type, one byte over the bound, an empty file or none: a 422 on file, nothing stored', async () => {
  const script = Buffer.from('#!/bin/sh\nrm -rf /\n');
  const wrong = await upload(a.slug, applicationA, adminA, [{ name: 'file', value: script, filename: 'arrete.pdf', type: 'application/pdf' }]);
  assert.equal(wrong.statusCode, 422, wrong.body);
  assert.match(wrong.json<{ errors: { file: string[] } }>().errors.file.join(), /Type de fichier refusé/);
  await assertNothingStored(a, script, 'wrong type');

  const max = MAX_MB * 1024 * 1024;
  const over = pdf('trop gros', max + 1 - pdf('trop gros').length);
  assert.equal(over.length, max + 1);
  const big = await upload(a.slug, applicationA, adminA, [{ name: 'file', value: over, filename: 'gros.pdf', type: 'application/pdf' }], 'en');
  assert.equal(big.statusCode, 422, big.body);
  assert.match(big.json<{ errors: { file: string[] } }>().errors.file.join(), /File too large: 1 Mo at most/);
  await assertNothingStored(a, over, 'one byte over');

  const empty = await upload(a.slug, applicationA, adminA, [{ name: 'file', value: Buffer.alloc(0), filename: 'vide.pdf' }]);
  assert.equal(empty.statusCode, 422);
  assert.match(empty.body, /Le fichier est vide/);
  const none = await upload(a.slug, applicationA, adminA, [{ name: 'note', value: 'pas de fichier' }]);
  assert.equal(none.statusCode, 422);
  assert.match(none.body, /Choisissez un fichier/);
  const json = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${a.slug}/roadmap/applications/${applicationA}/documents`,
    headers: { authorization: `Bearer ${adminA}` },
    payload: { file: 'JVBERi0xLjQ=' },
  });
  assert.equal(json.statusCode, 415, json.body);
  assert.equal(await documentRows(), 0);
});

test('a PDF is kept: 201 with the document, journaled, downloadable from the page; the route is in OpenAPI', async () => {
  const max = MAX_MB * 1024 * 1024;
  const bytes = pdf('arrêté attributif', max - pdf('arrêté attributif').length);
  assert.equal(bytes.length, max, 'the bound itself is accepted');
  const res = await upload(a.slug, applicationA, adminA, [{ name: 'file', value: bytes, filename: 'arrêté attributif.pdf', type: 'application/octet-stream' }]);
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json<{ id: string; filename: string; content_type: string; size: number; sha256: string }>();
  assert.deepEqual(
    { ...body, id: typeof body.id },
    { id: 'string', filename: 'arrêté attributif.pdf', content_type: 'application/pdf', size: max, sha256: sha(bytes) },
  );
  assert.equal(await documentRows(), 1);
  assert.ok(existsSync(join(t.config.dataDir, 'files', a.id, sha(bytes).slice(0, 2), sha(bytes))));
  const journal = await t.db.transaction(a.id, (tx) =>
    tx.query<{ action: string }>(`select action from journal_entries where subject_id = $1 and action = 'roadmap.funding.application.document'`, [
      applicationA,
    ]),
  );
  assert.equal(journal.length, 1);
  const browser = await browserFor(t, adminAPersonId);
  const download = await t.app.inject({ url: `/${a.slug}/admin/feuille-de-route/candidatures/${applicationA}/documents/${body.id}`, headers: browser.headers });
  assert.equal(download.statusCode, 200);
  assert.equal(download.rawPayload.length, max);

  const openapi = (await t.app.inject('/api/openapi.json')).json<{
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
  }>();
  const op = openapi.paths['/api/v1/{tenant}/roadmap/applications/{id}/documents']?.post;
  assert.ok(op, 'described in OpenAPI');
  assert.deepEqual(Object.keys(op.requestBody!.content), ['multipart/form-data']);
});
