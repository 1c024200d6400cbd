// Sharing the bill (issue 14): a host's usage report. Attack first: a member commune's administrator
// reads neither its host's report nor another member's line, an outsider reads nothing, an agent of the
// host is refused; then the figures (core's and the modules' through their manifests), the CSV (no
// formula injection), the page, the month's validation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, browserFor, createPerson, createTestTenant, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { call, fileDossier, published, type ApiTenant } from '../../../test/support/procedures/api.ts';
import type { Tenant } from '../tenancy/tenants.ts';
import { currentMonth, parseMonth, type UsageReport } from './report.ts';

let t: TestApp;
let host: Tenant;
let memberA: Tenant;
let memberB: Tenant;
let outsider: Tenant;
let hostAdmin: string;
let hostAgent: string;
let adminA: string;
let adminOutsider: string;
let personA: string;
const month = currentMonth().label;

before(async () => {
  t = await startTestApp();
  host = await createTestTenant(t.db, { kind: 'syndicate', name: 'Syndicat mixte du numérique' });
  memberA = await createTestTenant(t.db, { kind: 'syndicate', name: 'Commune A', hostSlug: host.slug });
  // A name a spreadsheet would run as a formula, if the CSV let it.
  memberB = await createTestTenant(t.db, { kind: 'syndicate', name: '=HYPERLINK("http://evil.example")', hostSlug: host.slug });
  outsider = await createTestTenant(t.db, { kind: 'syndicate', name: 'Commune voisine' });
  hostAdmin = await apiToken(t, host.id, 'tenant_admin');
  hostAgent = await apiToken(t, host.id, 'agent');
  adminA = await apiToken(t, memberA.id, 'tenant_admin');
  adminOutsider = await apiToken(t, outsider.id, 'tenant_admin');
  // Member A: a procedure and one dossier, through the API, by a staff person (an active staff account)…
  personA = (await createPerson(t.db, { [memberA.id]: ['procedure_admin'] })).id;
  const a: ApiTenant = { tenant: memberA, admin: await apiToken(t, memberA.id, 'procedure_admin', personA), agent: '' };
  await fileDossier(t, a, await published(t, a));
  // …and a stored file of 1,234 bytes (the report reads the blob store's table).
  await t.db.transaction(memberA.id, (tx) =>
    tx.query(`insert into blobs (tenant_id, sha256, size, content_type) values (app_tenant(), $1, 1234, 'application/pdf')`, ['a'.repeat(64)]),
  );
});
after(() => t.close());

const slugs = (report: UsageReport) => report.rows.map((r) => r.tenant.slug);
const figure = (report: UsageReport, slug: string, key: string) => report.rows.find((r) => r.tenant.slug === slug)?.figures.find((f) => f.key === key)?.value;

test('attack: a member’s administrator cannot read its host’s report nor another member’s line; an outsider and an agent are refused', async () => {
  for (const url of [`/api/v1/${host.slug}/usage`, `/api/v1/${host.slug}/usage.csv`, `/api/v1/${memberB.slug}/usage`]) {
    const res = await call(t, 'GET', url, adminA);
    assert.equal(res.statusCode, 404, `${url}: a token of another collectivité`);
    assert.doesNotMatch(res.body, /Commune A|HYPERLINK|Syndicat mixte/);
  }
  const outside = await call(t, 'GET', `/api/v1/${host.slug}/usage`, adminOutsider);
  assert.equal(outside.statusCode, 404);
  const agent = await call(t, 'GET', `/api/v1/${host.slug}/usage`, hostAgent);
  assert.equal(agent.statusCode, 403);
  const anonymous = await call(t, 'GET', `/api/v1/${host.slug}/usage`, null);
  assert.ok([401, 403].includes(anonymous.statusCode), String(anonymous.statusCode));

  // Its own report: its line only, none of its host's or its neighbour's.
  const own = await call(t, 'GET', `/api/v1/${memberA.slug}/usage`, adminA);
  assert.equal(own.statusCode, 200, own.body);
  assert.deepEqual(slugs(own.json() as UsageReport), [memberA.slug]);
  assert.doesNotMatch(own.body, /HYPERLINK|Syndicat mixte/);

  // The same through the pages, signed in as member A's administrator.
  const admin = await createPerson(t.db, { [memberA.id]: ['tenant_admin'] });
  const browser = await browserFor(t, admin.id);
  for (const url of [`/${host.slug}/admin/usage`, `/${host.slug}/admin/usage.csv`, `/${memberB.slug}/admin/usage`]) {
    const res = await t.app.inject({ method: 'GET', url, headers: browser.headers });
    assert.equal(res.statusCode, 403, url);
    // The refusal page names the collectivité of the path (public), never a figure of the report.
    assert.doesNotMatch(res.body, /<table|Consommation|1[  ,.]?234|Commune A/);
  }
  const page = await t.app.inject({ method: 'GET', url: `/${memberA.slug}/admin/usage`, headers: browser.headers });
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /HYPERLINK|Syndicat mixte/);
});

test('the host’s report: itself and the collectivités it hosts, with core’s figures and the modules’ (dossiers, datasets, archives)', async () => {
  const res = await call(t, 'GET', `/api/v1/${host.slug}/usage?month=${month}`, hostAdmin);
  assert.equal(res.statusCode, 200, res.body);
  const report = res.json() as UsageReport;
  assert.equal(report.month, month);
  assert.deepEqual(new Set(slugs(report)), new Set([host.slug, memberA.slug, memberB.slug]));
  assert.equal(slugs(report)[0], host.slug);
  assert.ok(!slugs(report).includes(outsider.slug));
  const keys = report.columns.map((c) => c.key);
  for (const key of ['core.storage_bytes', 'core.active_staff', 'procedures.dossiers_filed', 'catalogue.datasets', 'archives.bytes'])
    assert.ok(keys.includes(key), key);
  assert.equal(figure(report, memberA.slug, 'procedures.dossiers_filed'), 1);
  assert.equal(figure(report, memberA.slug, 'procedures.dossiers_held'), 1);
  assert.equal(figure(report, memberB.slug, 'procedures.dossiers_filed'), 0);
  assert.ok(figure(report, memberA.slug, 'core.storage_bytes')! >= 1234);
  assert.equal(figure(report, memberA.slug, 'core.active_staff'), 1, 'the person who created and published the procedure');
  assert.equal(figure(report, memberB.slug, 'core.active_staff'), 0);
  assert.equal(report.totals['procedures.dossiers_filed'], 1);

  // The month before: the dossier was filed this month, and the file stored this month.
  const start = parseMonth(month)!.start;
  const previous = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  const before = (await call(t, 'GET', `/api/v1/${host.slug}/usage?month=${previous}`, hostAdmin)).json() as UsageReport;
  assert.equal(figure(before, memberA.slug, 'procedures.dossiers_filed'), 0);
  assert.equal(figure(before, memberA.slug, 'core.storage_bytes'), 0);
  assert.equal(figure(before, memberA.slug, 'core.active_staff'), 0);
});

test('CSV: one line per collectivité and a total, a formula-like name quoted as text', async () => {
  const res = await call(t, 'GET', `/api/v1/${host.slug}/usage.csv?month=${month}`, hostAdmin);
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/csv/);
  const lines = res.body.trimEnd().split('\r\n');
  assert.equal(lines.length, 1 + 3 + 1);
  assert.match(lines[0]!, /^month,slug,name,kind,official_code,core\.storage_bytes,/);
  const b = lines.find((l) => l.includes(memberB.slug))!;
  assert.ok(b.includes(`"'=HYPERLINK(""http://evil.example"")"`), b);
  assert.match(lines.at(-1)!, new RegExp(`^${month},,total,`));
});

test('the page, for the host’s administrator and the host operator; a bad month is a clear error (fr/en)', async () => {
  const admin = await createPerson(t.db, { [host.id]: ['tenant_admin'] });
  const operator = await createPerson(t.db, {}, { hostOperator: true });
  for (const person of [admin, operator]) {
    const browser = await browserFor(t, person.id);
    const res = await t.app.inject({ method: 'GET', url: `/${host.slug}/admin/usage?month=${month}`, headers: browser.headers });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Commune A/);
    assert.match(res.body, /=HYPERLINK\(&quot;http/);
    assert.match(res.body, new RegExp(`/${host.slug}/admin/usage.csv\\?month=${month}`));
    const csv = await t.app.inject({ method: 'GET', url: `/${host.slug}/admin/usage.csv?month=${month}`, headers: browser.headers });
    assert.equal(csv.statusCode, 200);
  }
  const browser = await browserFor(t, admin.id);
  const bad = await t.app.inject({ method: 'GET', url: `/${host.slug}/admin/usage?month=2026-13`, headers: { ...browser.headers, 'accept-language': 'fr' } });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /Indiquez un mois au format AAAA-MM/);
  const api = await call(t, 'GET', `/api/v1/${host.slug}/usage?month=1999-12`, hostAdmin, undefined, { 'accept-language': 'en' });
  assert.equal(api.statusCode, 422);
  assert.match(api.body, /Give a month as YYYY-MM/);
});
