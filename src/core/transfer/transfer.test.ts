// A collectivité leaves with everything (issue 14): `exportTenant` writes its archive, `importTenant`
// recreates it elsewhere. The round trip goes from the embedded engine to PostgreSQL and back when the run
// has a PostgreSQL server (BASTIDE_TEST_DATABASE_URL), embedded to embedded otherwise, and compares what the
// API and the pages answer. The attack tests feed hostile copies of the archive to the import: each must be
// refused before anything is written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiToken, browserFor, createPerson, createTestTenant, type TestApp } from '../../../test/helpers/app.ts';
import { apiTenant, call, fileDossier, published, ROOM_ANSWERS, type ApiTenant } from '../../../test/support/procedures/api.ts';
import { multipart } from '../../../test/support/catalogue/datasets.ts';
import { datasetIn } from '../../../test/support/catalogue/publishing.ts';
import { call as debatesCall, debatePath, openDebate } from '../../../test/support/debates/api.ts';
import { call as roadmapCall, PROJECT } from '../../../test/support/roadmap/tenants.ts';
import { editRows, hasPostgres, manifestOf, readZip, setPart, startAppOn, tablePart, writeZip } from '../../../test/support/transfer/archives.ts';
import { blobStoreFor } from '../files/store.ts';
import { verifyJournal } from '../audit/verify.ts';
import { exportTenant } from './export.ts';
import { importTenant } from './import.ts';
import { TransferError } from './format.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

let source: TestApp;
let target: TestApp;
let work: string;
let a: ApiTenant;
let member: { id: string; slug: string };
let agentId: string;
let datasetSlug: string;
let archive: string;
let debateSlug: string;

async function fileWithPhoto(t: TestApp, tenant: ApiTenant, procedure: string): Promise<void> {
  const body = multipart([
    { name: 'email', value: 'dominique@exemple.fr' },
    { name: 'data', value: JSON.stringify(ROOM_ANSWERS) },
    { name: 'photo', value: PNG, filename: 'salle.png', type: 'image/png' },
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${tenant.tenant.slug}/procedures/${procedure}/dossiers`,
    payload: body.payload,
    headers: { 'content-type': body.contentType },
  });
  assert.equal(res.statusCode, 201, res.body);
}

/** What the API and the pages answer about the collectivité: procedures, dossiers, a stored file, a dataset. */
async function answers(t: TestApp, slug: string, tenantId: string): Promise<Record<string, unknown>> {
  const admin = await apiToken(t, tenantId, 'procedure_admin');
  const procedures = await call(t, 'GET', `/api/v1/${slug}/procedures`, admin);
  const list = await call(t, 'GET', `/api/v1/${slug}/dossiers?per_page=200&counts=1`, admin);
  assert.equal(list.statusCode, 200, list.body);
  const dossiers: unknown[] = [];
  const files: string[] = [];
  const agent = await browserFor(t, agentId);
  for (const item of (list.json() as { items: Array<{ number: number }> }).items) {
    const d = await call(t, 'GET', `/api/v1/${slug}/dossiers/${item.number}`, admin);
    dossiers.push(d.json());
    for (const file of (d.json() as { attachments: Array<{ id: string }> }).attachments) {
      const piece = await t.app.inject({ url: `/${slug}/instruction/dossiers/${item.number}/pieces/${file.id}`, headers: agent.headers });
      assert.equal(piece.statusCode, 200, piece.body.slice(0, 200));
      files.push(piece.rawPayload.toString('base64'));
    }
  }
  const ckan = await t.app.inject({ url: `/api/3/action/package_show?id=${slug}--${datasetSlug}` });
  // The later modules: the roadmap's projects (drafts included, for its administrator) and a debate's contributions.
  const projects = await roadmapCall(t, 'GET', `/api/v1/${slug}/roadmap/projects`, await apiToken(t, tenantId, 'tenant_admin'));
  assert.equal(projects.statusCode, 200, projects.body);
  const contributions = await t.app.inject({ url: `/api/v1/${slug}/debates/${debateSlug}/contributions` });
  assert.equal(contributions.statusCode, 200, contributions.body);
  return {
    procedures: procedures.json(),
    list: list.json(),
    dossiers,
    files,
    dataset: ckan.json(),
    projects: projects.json(),
    contributions: contributions.json(),
  };
}

async function rowCounts(t: TestApp, tenantId: string): Promise<Record<string, number>> {
  return t.db.ownerTransaction(async (tx) => {
    const tables = await tx.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and c.relname not in ('jobs', 'job_effects', 'tenant_relations') and c.relname !~ '_[0-9a-f]{32}$'
          and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id') order by 1`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables) counts[name] = (await tx.one<{ n: number }>(`select count(*)::int as n from "${name}" where tenant_id = $1`, [tenantId]))!.n;
    return counts;
  });
}

async function tenantExists(t: TestApp, id: string): Promise<boolean> {
  return Boolean(await t.db.ownerTransaction((tx) => tx.one('select 1 from tenants where id = $1', [id])));
}

async function storedFiles(t: TestApp, tenantId: string): Promise<number> {
  let n = 0;
  for await (const blob of blobStoreFor(t.config).list()) if (blob.tenantId === tenantId) n += 1;
  return n;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'bastide-transfer-'));
  source = await startAppOn('pglite');
  target = await startAppOn(hasPostgres() ? 'postgresql' : 'pglite');
  a = await apiTenant(source);
  const procedure = await published(source, a);
  await fileDossier(source, a, procedure);
  await fileDossier(source, a, procedure, { ...ROOM_ANSWERS, objet: 'Assemblée générale du club de pétanque' }, 'alix@exemple.fr');
  await fileWithPhoto(source, a, procedure);
  const moved = await call(source, 'POST', `/api/v1/${a.tenant.slug}/dossiers/transitions`, a.admin, { numbers: [], to: 'en_instruction' });
  assert.ok(moved.statusCode < 500);
  const agent = await createPerson(source.db, { [a.tenant.id]: ['agent'] });
  agentId = agent.id;
  // A member commune hosted by this collectivité, with dossiers of its own: none may leave with the host's archive.
  const m = await createTestTenant(source.db, { hostSlug: a.tenant.slug });
  member = { id: m.id, slug: m.slug };
  const mt: ApiTenant = { tenant: m, admin: await apiToken(source, m.id, 'procedure_admin'), agent: await apiToken(source, m.id, 'agent') };
  await fileDossier(source, mt, await published(source, mt));
  // A published dataset with its file.
  const steward = await createPerson(source.db, { [a.tenant.id]: ['data_steward'] });
  const admin = await createPerson(source.db, { [a.tenant.id]: ['tenant_admin'] });
  const c = {
    tenant: a.tenant,
    steward: await browserFor(source, steward.id),
    admin: await browserFor(source, admin.id),
    citizen: await browserFor(source, null),
    base: `/${a.tenant.slug}/admin/donnees`,
  };
  datasetSlug = (await datasetIn(source, c, 'published', 'Subventions aux associations')).slug;
  // A roadmap project and a debate with a contribution (the later modules' rows travel too).
  const project = await roadmapCall(source, 'POST', `/api/v1/${a.tenant.slug}/roadmap/projects`, await apiToken(source, a.tenant.id, 'tenant_admin'), PROJECT);
  assert.equal(project.statusCode, 201, project.body);
  const moderator = await createPerson(source.db, { [a.tenant.id]: ['moderator'] });
  const citizen = await createPerson(source.db, { [a.tenant.id]: ['citizen'] });
  const d = {
    tenant: a.tenant,
    moderator: await apiToken(source, a.tenant.id, 'moderator', moderator.id),
    mediator: '',
    people: [citizen],
    tokens: [await apiToken(source, a.tenant.id, 'citizen', citizen.id)],
  };
  debateSlug = (await openDebate(source, d)).slug;
  const posted = await debatesCall(source, 'POST', `${debatePath(d, debateSlug)}/contributions`, d.tokens[0]!, {
    kind: 'proposal',
    title: 'Des capteurs près des écoles',
    body: 'Mesurer l’exposition devant chaque école.',
  });
  assert.equal(posted.statusCode, 201, posted.body);
  await source.deps.jobs.drain();
  archive = join(work, 'a.zip');
  await exportTenant(source.db, blobStoreFor(source.config), a.tenant.slug, archive);
});

after(async () => {
  await source?.close();
  await target?.close();
  rmSync(work, { recursive: true, force: true });
});

/** A copy of the archive changed by `fn`, imported into the target: must be refused with nothing written. */
async function refused(name: string, fn: (parts: Map<string, Buffer>) => void | Promise<void>, pattern: RegExp): Promise<void> {
  const parts = await readZip(archive);
  await fn(parts);
  const file = join(work, `${name}.zip`);
  await writeZip(file, parts);
  const before = await rowCounts(target, a.tenant.id);
  await assert.rejects(importTenant(target.db, blobStoreFor(target.config), file), (error: Error) => {
    assert.ok(error instanceof TransferError, error.stack);
    assert.match(error.message, pattern);
    return true;
  });
  assert.equal(await tenantExists(target, a.tenant.id), false, `${name}: the collectivité was created`);
  assert.deepEqual(await rowCounts(target, a.tenant.id), before, `${name}: rows were written`);
  assert.equal(await storedFiles(target, a.tenant.id), 0, `${name}: files were written`);
}

test('attack: a host’s archive carries none of its member commune’s rows or files', async () => {
  const parts = await readZip(archive);
  for (const [name, bytes] of parts) {
    if (name === 'tenant.json') continue;
    assert.ok(!bytes.toString('latin1').includes(member.id), `${name} mentions the member commune`);
  }
  const m = manifestOf(parts);
  const dossiers = m.parts.find((p) => p.table === 'dossiers')!;
  assert.equal(dossiers.rows, 3);
  // The link is there, by slug, for the import to restore.
  const links = (JSON.parse(parts.get('tenant.json')!.toString('utf8')) as { links: Array<{ kind: string; tenant: { slug: string } }> }).links;
  assert.ok(links.some((l) => l.kind === 'host' && l.tenant.slug === member.slug));
});

test('attack: a row of another collectivité slipped into the archive (digests fixed) is refused, nothing written', async () => {
  const victim = await createTestTenant(target.db);
  await refused(
    'other-tenant',
    (parts) => editRows(parts, tablePart(parts, 'dossiers'), (rows) => rows.map((r, i) => (i === 0 ? { ...r, tenant_id: victim.id } : r))),
    /another collectivité/,
  );
  const rows = await target.db.ownerTransaction((tx) => tx.one<{ n: number }>('select count(*)::int as n from dossiers where tenant_id = $1', [victim.id]));
  assert.equal(rows!.n, 0);
});

test('attack: a part changed after export (digest not fixed) is refused before anything is written', async () => {
  await refused(
    'altered',
    (parts) => {
      const name = tablePart(parts, 'dossiers');
      setPart(parts, name, Buffer.from(parts.get(name)!.toString('utf8').replace('chorale', 'chorala')), false);
    },
    /digest/,
  );
  await refused(
    'file-altered',
    (parts) => {
      const name = [...parts.keys()].find((n) => n.startsWith('files/'))!;
      const bytes = Buffer.from(parts.get(name)!);
      bytes[bytes.length - 1] ^= 1;
      setPart(parts, name, bytes, false);
    },
    /digest/,
  );
});

test('attack: a file name climbing out (zip-slip), an unknown table, an unknown column: refused', async () => {
  await refused(
    'zip-slip',
    (parts) => {
      parts.set('zz/zz/evil.txt', Buffer.from('x'));
    },
    /unexpected entry|not in its manifest/,
  );
  // The raw name `../../evil.txt`, which yazl would not write: patched into the zip bytes.
  const parts = await readZip(archive);
  parts.set('zz/zz/evil.txt', Buffer.from('x'));
  const file = join(work, 'slip.zip');
  await writeZip(file, parts);
  const { readFileSync, writeFileSync } = await import('node:fs');
  writeFileSync(file, Buffer.from(readFileSync(file).toString('latin1').replaceAll('zz/zz/evil.txt', '../../evil.txt'), 'latin1'));
  await assert.rejects(importTenant(target.db, blobStoreFor(target.config), file), TransferError);
  assert.equal(await tenantExists(target, a.tenant.id), false);

  await refused(
    'unknown-table',
    (parts) => {
      const m = manifestOf(parts);
      m.parts.push({
        name: 'tables/999-pg_authid_copy.jsonl',
        kind: 'table',
        table: 'pg_authid_copy',
        rows: 0,
        bytes: 0,
        sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      });
      parts.set('manifest.json', Buffer.from(JSON.stringify(m)));
      parts.set('tables/999-pg_authid_copy.jsonl', Buffer.alloc(0));
    },
    /does not have/,
  );
  await refused(
    'unknown-column',
    (parts) => editRows(parts, tablePart(parts, 'procedures'), (rows) => rows.map((r) => ({ ...r, 'title"); drop table people; --': 'x' }))),
    /is not a column/,
  );
  await refused('person-missing', (parts) => setPart(parts, 'people.jsonl', Buffer.alloc(0)), /people.jsonl does not carry/);
});

test('round trip: the other engine answers the same for procedures, dossiers, files, datasets, roadmap projects and debate contributions; the journal verifies', async () => {
  const counts = await rowCounts(source, a.tenant.id);
  const expected = await answers(source, a.tenant.slug, a.tenant.id);
  const summary = await importTenant(target.db, blobStoreFor(target.config), archive);
  assert.equal(summary.tenantId, a.tenant.id);
  assert.deepEqual(summary.links.missing.length, 1, 'the member commune is not in the target: reported');
  assert.deepEqual(await rowCounts(target, a.tenant.id), counts);
  assert.deepEqual(await answers(target, a.tenant.slug, a.tenant.id), expected);
  const verified = await verifyJournal(target.db, a.tenant.id);
  assert.ok(verified.ok && verified.checked > 0, JSON.stringify(verified));
  // The member commune comes next: its link to its host, now here, is restored by slug.
  const memberFile = join(work, 'member.zip');
  await exportTenant(source.db, blobStoreFor(source.config), member.slug, memberFile);
  const memberImport = await importTenant(target.db, blobStoreFor(target.config), memberFile);
  assert.deepEqual(memberImport.links.restored.length, 1, JSON.stringify(memberImport.links));
  const host = await target.db.ownerTransaction((tx) =>
    tx.one<{ host: string }>('select host_tenant_id::text as host from tenants where id = $1', [member.id]),
  );
  assert.equal(host!.host, a.tenant.id);
  // A second import of the same archive: the collectivité is here already.
  await assert.rejects(importTenant(target.db, blobStoreFor(target.config), archive, { slug: 'ailleurs' }), /already has the collectivité/);

  // And back, to a fresh embedded installation, through an archive whose accounts claim installation-wide powers.
  const back = await startAppOn('pglite');
  try {
    const again = join(work, 'back.zip');
    await exportTenant(target.db, blobStoreFor(target.config), a.tenant.slug, again);
    const parts = await readZip(again);
    editRows(parts, 'people.jsonl', (rows) => rows.map((r) => ({ ...r, is_host_operator: true })));
    await writeZip(again, parts);
    await importTenant(back.db, blobStoreFor(back.config), again);
    assert.deepEqual(await answers(back, a.tenant.slug, a.tenant.id), expected);
    assert.ok((await verifyJournal(back.db, a.tenant.id)).ok);
    const operators = await back.db.ownerTransaction((tx) => tx.one<{ n: number }>('select count(*)::int as n from people where is_host_operator'));
    assert.equal(operators!.n, 0, 'an archive made someone host operator');
  } finally {
    await back.close();
  }
});

test('credentials stay out unless asked for, and then they come along', async () => {
  const plain = await readZip(archive);
  const person = plain
    .get('people.jsonl')!
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((p) => p.id === agentId)!;
  assert.equal(person.password_hash, null);
  assert.equal(person.totp_secret, null);
  const tokens = plain.get(tablePart(plain, 'api_tokens'))!.toString('utf8');
  assert.ok(!/"token_hash":"[0-9a-f]{64}"/.test(tokens), 'a token digest left with the archive');
  const file = join(work, 'secret.zip');
  const summary = await exportTenant(source.db, blobStoreFor(source.config), a.tenant.slug, file, { withCredentials: true });
  assert.equal(summary.withCredentials, true);
  const full = await readZip(file);
  assert.equal(manifestOf(full).withCredentials, true);
  assert.match(full.get('people.jsonl')!.toString('utf8'), /"password_hash":"\$argon2/);
});
