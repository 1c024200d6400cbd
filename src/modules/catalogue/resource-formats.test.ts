// Resources that are not UTF-8 CSV, through the staff page's upload: a Windows-1252 SCDL file (kept byte for
// byte, validated with the encoding warning, served with its charset), XLSX and ODS sheets (validated like
// CSV, previewed on the dataset page), and files that only claim to be spreadsheets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, postForm, type TestApp } from '../../../test/helpers/app.ts';
import { catalogueTenant, makeDataset, uploadFile, type Catalogue } from '../../../test/support/catalogue/datasets.ts';
import { ods, xlsx, xlsxFromParts, xlsxParts } from '../../../test/support/catalogue/spreadsheets.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const fixture = (path: string) => readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface VersionState {
  version: number;
  content_type: string;
  format: string;
  validation_state: string;
  valid: boolean | null;
  sha256: string;
}

async function versions(c: Catalogue): Promise<VersionState[]> {
  return t.db.transaction(c.tenant.id, (tx) =>
    tx.query<VersionState>(
      'select version, content_type, format, validation_state, valid, sha256 from catalogue_resource_versions order by uploaded_at, version',
    ),
  );
}

async function reportOf(c: Catalogue, page: string) {
  const html = (await t.app.inject({ url: page, headers: c.steward.headers })).body;
  const href = [...html.matchAll(/href="([^"]+\/rapport)"/g)].map((m) => m[1]!).pop()!;
  const json = await t.app.inject({ url: `${href}.json`, headers: c.steward.headers });
  assert.equal(json.statusCode, 200);
  return {
    href,
    report: json.json<{
      valid: boolean;
      warnings: { code: string; message: string }[];
      errors: { code: string; row: number | null; field: string | null }[];
      stats: Record<string, unknown>;
    }>(),
  };
}

async function publish(c: Catalogue, page: string): Promise<void> {
  for (const [who, op] of [
    [c.steward, 'submit'],
    [c.admin, 'approve'],
  ] as const) {
    const res = await postForm(t, who, `${page}/etat`, { op });
    assert.equal(res.statusCode, 303, `${op}: ${res.body.slice(0, 300)}`);
  }
}

test('a Windows-1252 SCDL file is uploaded as published, validated with the encoding warning, served with its charset', async () => {
  const c = await catalogueTenant(t);
  const d = await makeDataset(t, c);
  const bytes = fixture('windows-1252/subventions-windows-1252.csv');
  assert.ok(!new TextDecoder('utf-8', { fatal: false }).decode(bytes).includes('é'), 'the fixture is not UTF-8');
  const up = await uploadFile(t, c.steward, d.page, { name: 'subventions.csv', body: bytes }, { title: 'Subventions (Excel)' });
  assert.equal(up.statusCode, 303, up.body.slice(0, 500));
  const [v] = await versions(c);
  assert.equal(v!.content_type, 'text/csv');
  assert.equal(v!.format, 'CSV');
  assert.equal(v!.sha256, sha(bytes), 'the original bytes are the version');
  assert.equal(v!.valid, true);
  const { href, report } = await reportOf(c, d.page);
  assert.deepEqual(
    report.warnings.map((w) => w.code),
    ['encoding-warn'],
  );
  assert.match(report.warnings[0]!.message, /n'est pas en UTF-8 : il a été lu comme du Windows-1252/);
  assert.equal(report.stats.encoding, 'windows-1252');
  // The report page shows the warning to the steward.
  const page = await t.app.inject({ url: href, headers: c.steward.headers });
  assert.match(page.body, /il a été lu comme du Windows-1252/);
  // The download is the published bytes, declared as what they are.
  const download = await t.app.inject({ url: href.replace(/\/rapport$/, '/telecharger'), headers: c.steward.headers });
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers['content-type'], 'text/csv; charset=windows-1252');
  assert.deepEqual(download.rawPayload, bytes);
  // The public page's preview decodes it.
  await publish(c, d.page);
  const pub = await t.app.inject({ url: `/${c.tenant.slug}/donnees/${d.slug}` });
  assert.match(pub.body, /aide en numéraire/);
});

test('a Windows-1252 file with errors gets its report (a 0x92 quote read as ’)', async () => {
  const c = await catalogueTenant(t);
  const d = await makeDataset(t, c);
  const up = await uploadFile(t, c.steward, d.page, { name: 'erreurs.csv', body: fixture('windows-1252/subventions-erreurs-windows-1252.csv') });
  assert.equal(up.statusCode, 303);
  const { report } = await reportOf(c, d.page);
  assert.equal(report.valid, false);
  assert.ok(report.warnings.some((w) => w.code === 'encoding-warn'));
  const utf8 = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${c.tenant.slug}/validate?schema=scdl-subventions`,
    headers: { 'content-type': 'text/csv' },
    payload: fixture('scdl/scdl-subventions/exemple_invalide_erreurs_cellules.csv'),
  });
  // Same errors as the UTF-8 original: the conversion loses nothing.
  assert.deepEqual(report.errors, utf8.json<{ errors: unknown[] }>().errors);
});

test('XLSX and ODS resources are validated like CSV (same codes, sheet rows) and previewed on the dataset page', async () => {
  const c = await catalogueTenant(t);
  const d = await makeDataset(t, c);
  const text = fixture('scdl/scdl-subventions/exemple_valide.csv').toString('utf8');
  const records = text
    .trim()
    .split('\n')
    .map((l) => l.split(','))
    .filter((r) => r.length === 16);
  assert.ok(records.length > 5);
  // Row 3 gets a bad date and row 4 a bad SIRET: the report names them by their sheet row.
  const rows = records.map((r, i) =>
    i === 2 ? r.map((v, j) => (j === 2 ? '07/07/2015' : v)) : i === 3 ? r.map((v, j) => (j === 1 ? '12345678901234' : v)) : r,
  );
  for (const [name, body, format] of [
    ['subventions.xlsx', xlsx(rows), 'XLSX'],
    ['subventions.ods', ods(rows), 'ODS'],
  ] as const) {
    const up = await uploadFile(t, c.steward, d.page, { name, body }, { title: `Subventions ${format}` });
    assert.equal(up.statusCode, 303, up.body.slice(0, 500));
    const v = (await versions(c)).pop()!;
    assert.equal(v.format, format);
    assert.equal(v.validation_state, 'done');
    assert.equal(v.valid, false);
    const { report } = await reportOf(c, d.page);
    assert.equal(report.stats.format, format.toLowerCase());
    assert.deepEqual(
      report.errors.map((e) => [e.code, e.row, e.field]),
      [
        ['type-error', 3, 'dateConvention'],
        ['french-siret-value', 4, 'idAttribuant'],
      ],
      format,
    );
  }
  await publish(c, d.page);
  const pub = await t.app.inject({ url: `/${c.tenant.slug}/donnees/${d.slug}` });
  assert.equal(pub.statusCode, 200);
  // The preview table: the sheet's header and first rows.
  assert.match(pub.body, /<th scope="col">nomAttribuant<\/th>/);
  assert.match(pub.body, /CEA DU PERSONNEL DE LA VILLE D&#39;ANTIBES|CEA DU PERSONNEL DE LA VILLE D'ANTIBES/);
});

test('a file that claims to be a spreadsheet is typed from its bytes; a hostile one gets a report, never a crash', async () => {
  const c = await catalogueTenant(t);
  const d = await makeDataset(t, c);
  // CSV text named .xlsx: stored as text, not read as a spreadsheet.
  const fake = await uploadFile(t, c.steward, d.page, { name: 'faux.xlsx', body: 'nom,montant\nA,1\n' });
  assert.equal(fake.statusCode, 303);
  assert.deepEqual(
    (await versions(c)).map((v) => [v.content_type, v.validation_state]),
    [['text/plain', 'none']],
  );
  // Random bytes named .xlsx: refused, localised, nothing kept.
  const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
  const refused = await uploadFile(t, c.steward, d.page, { name: 'bruit.xlsx', body: noise });
  assert.equal(refused.statusCode, 422);
  assert.match(refused.body, /Ce type de fichier n|type de fichier/);
  assert.equal((await versions(c)).length, 1);
  assert.equal(existsSync(join(t.config.dataDir, 'files', c.tenant.id, sha(noise).slice(0, 2), sha(noise))), false);
  // A billion-laughs workbook: uploaded (it is the steward's file), its report says why it cannot be read.
  const p = xlsxParts([['nomAttribuant'], ['x']]);
  const laughs = xlsxFromParts({
    ...p,
    sheet: p.sheet.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'),
  });
  const up = await uploadFile(t, c.steward, d.page, { name: 'rires.xlsx', body: laughs });
  assert.equal(up.statusCode, 303);
  const { report } = await reportOf(c, d.page);
  assert.equal(report.valid, false);
  assert.deepEqual(
    report.errors.map((e) => e.code),
    ['source-error'],
  );
});
