// The CKAN action API subset through HTTP: CKAN's envelope, published datasets only, a collectivité as an
// organization, CKAN's errors (404 Not Found Error, 409 Validation Error, 400 unknown action), hostile input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { catalogueTenant, type Catalogue } from '../../../../test/support/catalogue/datasets.ts';
import { datasetIn } from '../../../../test/support/catalogue/publishing.ts';

let t: TestApp;
let a: Catalogue;
let b: Catalogue;
let published: { id: string; slug: string };
let draft: { id: string; slug: string };
before(async () => {
  t = await startTestApp();
  a = await catalogueTenant(t);
  b = await catalogueTenant(t);
  published = await datasetIn(t, a, 'published', 'Subventions attribuées');
  await datasetIn(t, a, 'published', 'Délibérations du conseil', { keywords: 'deliberations, conseil' });
  draft = await datasetIn(t, a, 'draft', 'Brouillon secret');
  await datasetIn(t, b, 'published', 'Équipements sportifs', { keywords: 'sport' });
});
after(() => t.close());

interface Envelope {
  help: string;
  success: boolean;
  result?: unknown;
  error?: { __type: string; message: string };
}

async function call(path: string): Promise<{ status: number; body: Envelope }> {
  const res = await t.app.inject(`/api/3/action/${path}`);
  assert.match(String(res.headers['content-type']), /^application\/json/, path);
  const body = JSON.parse(res.body) as Envelope;
  assert.match(body.help, /\/api\/3\/action\/help_show\?name=/, path);
  assert.equal(body.success, res.statusCode === 200, path);
  return { status: res.statusCode, body };
}

const nameOf = (c: Catalogue, slug: string) => `${c.tenant.slug}--${slug}`;

test('package_list names the published datasets of every collectivité, never a draft', async () => {
  const { status, body } = await call('package_list');
  assert.equal(status, 200);
  const names = body.result as string[];
  assert.ok(names.includes(nameOf(a, published.slug)));
  assert.ok(names.includes(nameOf(a, 'deliberations-du-conseil')));
  assert.ok(names.includes(nameOf(b, 'equipements-sportifs')));
  assert.ok(!names.includes(nameOf(a, draft.slug)));
  const limited = (await call('package_list?limit=1&offset=1')).body.result as string[];
  assert.deepEqual(limited, names.slice(1, 2));
});

test("package_show by name or id gives the keys harvesters read; a draft, an unknown id or a missing id is CKAN's error", async () => {
  for (const id of [nameOf(a, published.slug), published.id]) {
    const { status, body } = await call(`package_show?id=${encodeURIComponent(id)}`);
    assert.equal(status, 200, id);
    const p = body.result as Record<string, unknown> & {
      organization: { name: string };
      resources: Array<Record<string, unknown>>;
      tags: Array<{ name: string }>;
    };
    for (const key of [
      'id',
      'name',
      'title',
      'notes',
      'license_id',
      'license_title',
      'tags',
      'metadata_created',
      'metadata_modified',
      'organization',
      'resources',
      'private',
      'type',
      'author',
      'author_email',
      'maintainer',
      'maintainer_email',
      'state',
    ]) {
      assert.ok(key in p, key);
    }
    assert.equal(p.id, published.id);
    assert.equal(p.name, nameOf(a, published.slug));
    assert.equal(p.type, 'dataset');
    assert.equal(p.private, false);
    assert.equal(p.organization.name, a.tenant.slug);
    assert.deepEqual(
      p.tags.map((x) => x.name),
      ['subventions', 'associations'],
    );
    assert.equal(p.resources.length, 1);
    const r = p.resources[0]!;
    for (const key of ['id', 'position', 'name', 'description', 'format', 'mimetype', 'size', 'hash', 'created', 'last_modified', 'url', 'resource_type'])
      assert.ok(key in r, key);
    assert.equal(r.format, 'CSV');
    assert.match(String(r.hash), /^sha256:[0-9a-f]{64}$/);
    assert.equal((await t.app.inject(String(r.url).replace(t.config.baseUrl, ''))).statusCode, 200, 'the resource URL serves the file');
  }
  for (const id of [nameOf(a, draft.slug), draft.id, nameOf(b, published.slug), '00000000-0000-7000-8000-000000000000', "x' or 1=1--", 'a--b--c']) {
    const { status, body } = await call(`package_show?id=${encodeURIComponent(id)}`);
    assert.equal(status, 404, id);
    assert.equal(body.error?.__type, 'Not Found Error', id);
  }
  const missing = await call('package_show');
  assert.equal(missing.status, 409);
  assert.equal(missing.body.error?.__type, 'Validation Error');
});

test('package_search: full text, organization and tags filters, rows and start, bounded; hostile q is only text', async () => {
  const all = (await call('package_search?q=*:*&rows=1000')).body.result as { count: number; results: Array<{ name: string }> };
  assert.equal(all.results.length, all.count);
  assert.ok(!all.results.some((r) => r.name === nameOf(a, draft.slug)));
  const found = (await call(`package_search?q=${encodeURIComponent('attribuée')}&fq=${encodeURIComponent(`organization:${a.tenant.slug}`)}`)).body.result as {
    count: number;
    results: Array<{ name: string }>;
  };
  assert.deepEqual(
    found.results.map((r) => r.name),
    [nameOf(a, published.slug)],
    'stemmed French search, one organization',
  );
  const byOrg = (await call(`package_search?q=${encodeURIComponent(`organization:${b.tenant.slug}`)}`)).body.result as {
    count: number;
    results: Array<{ name: string }>;
  };
  assert.deepEqual(
    byOrg.results.map((r) => r.name),
    [nameOf(b, 'equipements-sportifs')],
  );
  const byTag = (await call(`package_search?q=${encodeURIComponent(`organization:${a.tenant.slug} AND tags:conseil`)}`)).body.result as { count: number };
  assert.equal(byTag.count, 1);
  const paged = (await call(`package_search?fq=${encodeURIComponent(`organization:${a.tenant.slug}`)}&rows=1&start=1`)).body.result as {
    count: number;
    results: unknown[];
  };
  assert.equal(paged.count, 2);
  assert.equal(paged.results.length, 1);
  const huge = await call(`package_search?rows=${10 ** 9}`);
  assert.equal(huge.status, 200, 'rows is capped (1000), as CKAN does');
  for (const q of ["'; drop table catalogue_datasets; --", '"unterminated', '(((', 'a & | ! <-> b', '\\', '%00']) {
    const res = await call(`package_search?q=${encodeURIComponent(q)}`);
    assert.equal(res.status, 200, q);
  }
  for (const bad of ['rows=-1', 'start=-5', 'rows=abc']) {
    const res = await call(`package_search?${bad}`);
    assert.equal(res.status, 409, bad);
    assert.equal(res.body.error?.__type, 'Validation Error');
  }
  assert.equal((await call('package_search?q=x&fq=organization:../../etc')).body.success, true);
});

test('organization_list: collectivités that publish, as names or with all_fields; an unknown action is a 400', async () => {
  const names = (await call('organization_list')).body.result as string[];
  assert.ok(names.includes(a.tenant.slug) && names.includes(b.tenant.slug));
  const full = (await call('organization_list?all_fields=true')).body.result as Array<{ name: string; package_count: number; title: string }>;
  assert.equal(full.find((o) => o.name === a.tenant.slug)?.package_count, 2, 'the draft is not counted');
  const unknown = await call('package_create');
  assert.equal(unknown.status, 400);
  assert.equal((await call('__proto__')).status, 400);
  assert.equal((await call('constructor')).status, 400);
});
