// The team's uploads and links through HTTP (routes/staff-uploads.ts, staff-pages.ts): a debate's documents
// (typed by content, bounded, downloaded from the public page, removed), catalogue datasets linked and shown
// as tables, and the ANFR SUP_SUPPORT file of the radio-sites table. Attacks first: a citizen or another
// collectivité's moderator uploads nothing; a wrong type, an oversized file, a bad title, a bad ANFR file are
// refused with a localised message (one per line at fault for ANFR) and nothing is stored — no row, no bytes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestApp, browserFor, createPerson, createTestTenant, type Browser, type TestApp } from '../../../../test/helpers/app.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';
import { translator } from '../../../core/i18n/i18n.ts';
import { blobStoreFor } from '../../../core/files/store.ts';
import { publishGeneratedDataset } from '../../catalogue/index.ts';
import { createDebate } from '../actions/create-debate.ts';
import { today } from '../phases.ts';
import { addDays } from './kit-format.ts';

let t: TestApp;
let a: Tenant;
let b: Tenant;
let moderator: Browser;
let citizen: Browser;
let bModerator: Browser;
let slug: string;
let debateId: string;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const sample = readFileSync(new URL('./library/anfr-sup-support-SAMPLE-FICTITIOUS-nantes-metropole.csv', import.meta.url));

before(async () => {
  t = await startTestApp();
  a = await createTestTenant(t.db, { code: '44109' });
  b = await createTestTenant(t.db);
  const mod = await createPerson(t.db, { [a.id]: ['moderator'] });
  moderator = await browserFor(t, mod.id);
  citizen = await browserFor(t, (await createPerson(t.db, { [a.id]: ['citizen'] })).id);
  bModerator = await browserFor(t, (await createPerson(t.db, { [b.id]: ['moderator'] })).id);
  const created = await createDebate(
    t.db,
    {
      tenantId: a.id,
      actor: `person:${mod.id}`,
      personId: mod.id,
      displayName: 'M',
      viaToken: false,
      roles: ['moderator'],
      t: translator('fr'),
      address: null,
    },
    { title: 'Antennes', status: 'draft', phases: [{ kind: 'information', starts_on: today(), ends_on: addDays(today(), 10) }] },
  );
  slug = created.debate.slug;
  debateId = created.debate.id;
  await t.db.transaction(a.id, (tx) =>
    tx.execute(
      `insert into debate_datasets (tenant_id, debate_id, dataset_key, title, layout) values (app_tenant(), $1, 'sites-radioelectriques', 'Sites radioélectriques', 'anfr-sup-support')`,
      [debateId],
    ),
  );
});
after(() => t.close());

const url = (path: string, tenant = a) => `/${tenant.slug}/concertations/${slug}/gestion${path}`;
function multipart(who: Browser, path: string, fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer } | null, lang = 'fr') {
  const boundary = 'xBastideBoundaryx';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`));
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return t.app.inject({
    method: 'POST',
    url: `${path}?_csrf=${encodeURIComponent(who.csrf)}`,
    headers: { cookie: `${who.cookie}; bastide_lang=${lang}`, 'accept-language': lang, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  });
}
/** Rows and bytes the uploads may leave: documents, dataset rows, blob rows, files in the store. */
const stored = async () => {
  const db = await t.db.transaction(a.id, async (tx) => ({
    documents: Number((await tx.one<{ n: string }>('select count(*) as n from debate_documents'))!.n),
    rows: Number((await tx.one<{ n: string }>('select count(*) as n from debate_dataset_rows'))!.n),
    blobs: Number((await tx.one<{ n: string }>('select count(*) as n from blobs'))!.n),
  }));
  let files = 0;
  for await (const blob of blobStoreFor(t.config).list()) if (blob.tenantId === a.id || blob.tenantId === b.id) files++;
  return { ...db, files };
};

test('a citizen and another collectivité’s moderator upload nothing; a forged upload is refused', async () => {
  const before = await stored();
  const doc = { name: 'note.pdf', type: 'application/pdf', bytes: PDF };
  const csv = { name: 'SUP_SUPPORT.csv', type: 'text/csv', bytes: sample };
  for (const [path, file] of [
    ['/documents/televerser', doc],
    ['/donnees/sites-radioelectriques/anfr', csv],
  ] as const) {
    assert.equal((await multipart(citizen, url(path), { title: 'Intrus' }, file)).statusCode, 403, path);
    assert.equal((await multipart(bModerator, url(path), { title: 'Intrus' }, file)).statusCode, 403, path);
    assert.equal((await multipart(bModerator, url(path, b), { title: 'Intrus' }, file)).statusCode, 404, path);
    const forged = await t.app.inject({
      method: 'POST',
      url: url(path),
      headers: { cookie: moderator.cookie, 'content-type': 'multipart/form-data; boundary=x' },
      payload: `--x\r\ncontent-disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n${PDF.toString()}\r\n--x--\r\n`,
    });
    assert.equal(forged.statusCode, 403, `${path} without CSRF`);
  }
  assert.deepEqual(await stored(), before);
});

test('a wrong type, an oversized file, a bad title: a localised message, nothing stored', async () => {
  const before = await stored();
  const html = await multipart(
    moderator,
    url('/documents/televerser'),
    { title: 'Page' },
    { name: 'note.pdf', type: 'application/pdf', bytes: Buffer.from('<html><script>alert(1)</script></html>') },
  );
  assert.equal(html.statusCode, 422);
  assert.match(html.body, /id="f-file-error">Ce type de fichier n’est pas accepté\. Formats acceptés : PDF, ODT, ODS/);
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  const image = await multipart(moderator, url('/documents/televerser'), { title: 'Image' }, { name: 'x.png', type: 'image/png', bytes: png }, 'en');
  assert.equal(image.statusCode, 422);
  assert.match(image.body, /This type of file is not accepted/);
  const markup = await multipart(moderator, url('/documents/televerser'), { title: '<b>Note</b>' }, { name: 'note.pdf', type: 'application/pdf', bytes: PDF });
  assert.equal(markup.statusCode, 422);
  assert.match(markup.body, /id="f-title-error">Le texte contient du HTML/);
  assert.match(markup.body, /value="&lt;b&gt;Note&lt;\/b&gt;"/, 'the title typed comes back');
  process.env.BASTIDE_DEBATES_MAX_DOCUMENT_MB = '0.001';
  try {
    const big = await multipart(
      moderator,
      url('/documents/televerser'),
      { title: 'Gros' },
      { name: 'gros.pdf', type: 'application/pdf', bytes: Buffer.concat([PDF, Buffer.alloc(4096, 32)]) },
    );
    assert.equal(big.statusCode, 422);
    assert.match(big.body, /Le fichier dépasse la taille autorisée/);
  } finally {
    delete process.env.BASTIDE_DEBATES_MAX_DOCUMENT_MB;
  }
  const none = await multipart(moderator, url('/documents/televerser'), { title: 'Rien' }, null);
  assert.equal(none.statusCode, 422);
  assert.match(none.body, /Choisissez un fichier\./);
  const link = await t.app.inject({
    method: 'POST',
    url: url('/documents/lien'),
    headers: { ...moderator.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: moderator.csrf, link_title: 'Lien', url: 'javascript:alert(1)' }).toString(),
  });
  assert.equal(link.statusCode, 422);
  assert.match(link.body, /id="f-url-error">Adresse attendue commençant par https:\/\//);
  assert.deepEqual(await stored(), before);
});

test('a bad ANFR file comes back with one message per line at fault, nothing loaded or kept; a good one loads', async () => {
  const text = sample.toString('latin1');
  const bad = Buffer.from(text.replace('900003;', '900003;;').replace(';47;12;58;N;', ';147;12;58;N;'), 'latin1');
  const before = await stored();
  const refused = await multipart(
    moderator,
    url('/donnees/sites-radioelectriques/anfr'),
    { note: 'ANFR' },
    { name: 'SUP_SUPPORT.csv', type: 'text/csv', bytes: bad },
  );
  assert.equal(refused.statusCode, 422, refused.body.slice(0, 400));
  assert.match(refused.body, /rien n’a été chargé/);
  assert.match(refused.body, /<li>Ligne 2 : latitude illisible/);
  assert.match(refused.body, /<li>Ligne 4 : 20 colonnes au lieu de 19\.<\/li>/);
  const en = await multipart(moderator, url('/donnees/sites-radioelectriques/anfr'), {}, { name: 'SUP_SUPPORT.csv', type: 'text/csv', bytes: bad }, 'en');
  assert.equal(en.statusCode, 422);
  assert.match(en.body, /Line 4: 20 columns instead of 19\./);
  const other = await multipart(
    moderator,
    url('/donnees/sites-radioelectriques/anfr'),
    {},
    { name: 'x.csv', type: 'text/csv', bytes: Buffer.from('id;nom\n1;x\n') },
  );
  assert.equal(other.statusCode, 422);
  assert.match(other.body, /colonnes manquantes \(SUP_ID/);
  const pdf = await multipart(moderator, url('/donnees/sites-radioelectriques/anfr'), {}, { name: 'x.csv', type: 'text/csv', bytes: PDF });
  assert.equal(pdf.statusCode, 422);
  assert.match(pdf.body, /Ce type de fichier n’est pas accepté/);
  process.env.BASTIDE_DEBATES_MAX_ANFR_MB = '0.001';
  try {
    const big = await multipart(moderator, url('/donnees/sites-radioelectriques/anfr'), {}, { name: 'SUP_SUPPORT.csv', type: 'text/csv', bytes: sample });
    assert.equal(big.statusCode, 422, big.body.slice(0, 300));
    assert.match(big.body, /Le fichier dépasse la taille autorisée/);
  } finally {
    delete process.env.BASTIDE_DEBATES_MAX_ANFR_MB;
  }
  assert.equal((await multipart(moderator, url('/donnees/autre-cle/anfr'), {}, { name: 'SUP_SUPPORT.csv', type: 'text/csv', bytes: sample })).statusCode, 404);
  assert.deepEqual(await stored(), before);

  const loaded = await multipart(
    moderator,
    url('/donnees/sites-radioelectriques/anfr'),
    { note: 'Échantillon fictif' },
    { name: 'SUP_SUPPORT.csv', type: 'text/csv', bytes: sample },
  );
  assert.equal(loaded.statusCode, 303, loaded.body);
  const after = await stored();
  assert.ok(after.rows > 0);
  assert.equal(after.files, before.files, 'the file is read, not kept');
  assert.equal(after.blobs, before.blobs);
  const page = await t.app.inject({ method: 'GET', url: String(loaded.headers.location), headers: moderator.headers });
  assert.match(page.body, /Les sites sont chargés\./);
  assert.match(page.body, new RegExp(`${after.rows} sites? chargés? le`));
  const entry = await t.db.transaction(a.id, (tx) =>
    tx.one<{ data: { rows: number } }>("select data from journal_entries where action = 'debates.dataset.load'"),
  );
  assert.equal(entry?.data.rows, after.rows);
});

test('a document uploaded, downloaded from the public page (drafts: the team only), then removed', async () => {
  const before = await stored();
  const up = await multipart(
    moderator,
    url('/documents/televerser'),
    { title: 'Dossier d’information mairie' },
    { name: 'DIM antenne.pdf', type: 'application/pdf', bytes: PDF },
  );
  assert.equal(up.statusCode, 303, up.body);
  const after = await stored();
  assert.deepEqual([after.documents, after.blobs, after.files], [before.documents + 1, before.blobs + 1, before.files + 1]);
  const info = await t.app.inject({ method: 'GET', url: `/${a.slug}/concertations/${slug}/informations`, headers: moderator.headers });
  const href = /href="([^"]+\/documents\/[0-9a-f-]{36})">Dossier d’information mairie/.exec(info.body)?.[1];
  assert.ok(href, info.body);
  const file = await t.app.inject({ method: 'GET', url: href, headers: moderator.headers });
  assert.equal(file.statusCode, 200);
  assert.equal(file.headers['content-type'], 'application/pdf');
  assert.match(String(file.headers['content-disposition']), /^attachment;/);
  assert.equal(file.headers['x-content-type-options'], 'nosniff');
  assert.deepEqual(file.rawPayload, PDF);
  // The debate is a draft: nobody else reads it, nor from another collectivité's address.
  assert.equal((await t.app.inject({ method: 'GET', url: href })).statusCode, 404);
  assert.equal((await t.app.inject({ method: 'GET', url: href.replace(a.slug, b.slug), headers: bModerator.headers })).statusCode, 404);
  await t.db.transaction(a.id, (tx) => tx.execute("update debates set status = 'published' where id = $1", [debateId]));
  assert.equal((await t.app.inject({ method: 'GET', url: href })).statusCode, 200);
  const docId = href.split('/').at(-1)!;
  const remove = (who: Browser, tenant = a) =>
    t.app.inject({
      method: 'POST',
      url: url(`/documents/${docId}/retirer`, tenant),
      headers: { ...who.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: who.csrf }).toString(),
    });
  assert.equal((await remove(citizen)).statusCode, 403);
  assert.equal((await remove(bModerator, b)).statusCode, 404);
  assert.equal((await stored()).documents, after.documents);
  assert.equal((await remove(moderator)).statusCode, 303);
  assert.equal((await stored()).documents, before.documents);
  assert.equal((await t.app.inject({ method: 'GET', url: href })).statusCode, 404);
  const actions = await t.db.transaction(a.id, (tx) =>
    tx.query<{ action: string }>("select action from journal_entries where action like 'debates.document.%' order by at"),
  );
  assert.deepEqual(
    actions.map((r) => r.action),
    ['debates.document.upload', 'debates.document.remove'],
  );
});

test('a published catalogue dataset linked to the debate is shown as a table; another’s or an unknown one is refused', async () => {
  const publish = (tenant: Tenant, slugName: string) =>
    publishGeneratedDataset(t.deps, {
      tenantId: tenant.id,
      slug: slugName,
      title: `Antennes par commune (${tenant.slug})`,
      description: 'Nombre d’antennes par commune.',
      keywords: ['antennes'],
      schema: {
        fields: [
          { name: 'commune', type: 'string' },
          { name: 'antennes', type: 'integer' },
        ],
      },
      fileName: 'antennes.csv',
      csv: Buffer.from('commune,antennes\nNantes,12\nRezé,<b>4</b>\n'),
      actor: 'system',
    });
  await publish(a, 'antennes-par-commune');
  await publish(b, 'antennes-de-b');
  const link = (who: Browser, dataset: string, tenant = a) =>
    t.app.inject({
      method: 'POST',
      url: url('/donnees/lier', tenant),
      headers: { ...who.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: who.csrf, dataset }).toString(),
    });
  const before = await stored();
  assert.equal((await link(citizen, 'antennes-par-commune')).statusCode, 403);
  assert.equal((await link(bModerator, 'antennes-par-commune', b)).statusCode, 404);
  const foreign = await link(moderator, 'antennes-de-b');
  assert.equal(foreign.statusCode, 422);
  assert.match(foreign.body, /Choisissez un jeu de données publié dans votre catalogue\./);
  assert.equal((await link(moderator, '../../etc')).statusCode, 422);
  assert.deepEqual(await stored(), before);
  const form = await t.app.inject({ method: 'GET', url: url('/donnees'), headers: moderator.headers });
  assert.match(form.body, /<option value="antennes-par-commune">/);
  assert.doesNotMatch(form.body, /antennes-de-b/);
  assert.equal((await link(moderator, 'antennes-par-commune')).statusCode, 303);
  const twice = await link(moderator, 'antennes-par-commune');
  assert.equal(twice.statusCode, 409);
  const info = await t.app.inject({ method: 'GET', url: `/${a.slug}/concertations/${slug}/informations` });
  assert.equal(info.statusCode, 200);
  assert.match(info.body, /<caption>Antennes par commune \([^)]+\) : les 2 premières lignes<\/caption>/);
  assert.match(info.body, /<th scope="col">commune<\/th><th scope="col">antennes<\/th>/);
  assert.match(info.body, /<td>Rezé<\/td><td>&lt;b&gt;4&lt;\/b&gt;<\/td>/, 'cells are text');
  assert.match(info.body, new RegExp(`href="/${a.slug}/donnees/antennes-par-commune"`));
  const entry = await t.db.transaction(a.id, (tx) =>
    tx.one<{ data: { dataset: string } }>("select data from journal_entries where action = 'debates.dataset.link'"),
  );
  assert.equal(entry?.data.dataset, 'antennes-par-commune');
});
