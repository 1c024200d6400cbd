// What the manifests of modules.ts declare besides routes and jobs, checked against the running app:
// every tag the API uses is one a module declares and describes; the tour's pages name real demo
// accounts and answer; every migration folder is inside its module's folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { modules } from '../src/modules.ts';
import { DEMO_ACCOUNTS, DEMO_TENANTS } from '../src/core/seed/demo.ts';
import { seedDemo } from '../src/seed.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});

test('every OpenAPI tag is declared by one module and described in /api/openapi.json', async () => {
  const declared = modules.flatMap((m) => (m.openApiTags ?? []).map((tag) => ({ ...tag, module: m.name })));
  assert.equal(new Set(declared.map((d) => d.name)).size, declared.length, 'a tag declared twice');
  for (const d of declared) assert.ok(d.description.length > 10, `${d.module}: tag ${d.name} needs a description`);
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  const doc = res.json() as { tags?: Array<{ name: string }>; paths: Record<string, Record<string, { tags: string[] }>> };
  assert.deepEqual(
    doc.tags?.map((x) => x.name),
    declared.map((d) => d.name),
  );
  const used = new Set(Object.values(doc.paths).flatMap((ops) => Object.values(ops).flatMap((op) => op.tags)));
  assert.ok(used.size > 0);
  assert.deepEqual(
    [...used].filter((tag) => !declared.some((d) => d.name === tag)),
    [],
    'tags used by routes but declared by no manifest',
  );
});

test('tour pages: unique names, demo accounts that exist, paths that answer on the demo installation', { timeout: 300_000 }, async () => {
  const pages = modules.flatMap((m) => m.tourPages ?? []);
  assert.ok(pages.length > 0);
  assert.equal(new Set(pages.map((p) => p.name)).size, pages.length, 'two tour pages with one name');
  // As the tour sees them: the demo data loaded, the first demo collectivité (test/e2e/tours/state.ts).
  await seedDemo(t.db, t.config);
  const tenant = DEMO_TENANTS[0];
  for (const p of pages) {
    assert.ok(p.path.startsWith('/'), p.path);
    if (p.as)
      assert.ok(
        DEMO_ACCOUNTS.some((a) => a.role === p.as),
        `${p.name}: no demo account with role ${p.as}`,
      );
    // The page exists: it answers, or sends the anonymous visitor to sign in.
    const res = await t.app.inject({ method: 'GET', url: p.path.replace('{tenant}', tenant.slug) });
    assert.ok(
      res.statusCode === 200 || (res.statusCode >= 300 && res.statusCode < 400 && /sign-in/.test(String(res.headers.location))),
      `${p.name}: ${p.path} answers ${res.statusCode}`,
    );
  }
});

test("each module's migrations live in its own folder", () => {
  const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
  for (const m of modules) {
    if (!m.migrations) continue;
    assert.ok(m.migrations.dir.startsWith(src), `${m.name}: ${m.migrations.dir}`);
    assert.ok(m.migrations.dir.replace(/\/$/, '').endsWith('/migrations'), m.migrations.dir);
  }
});
