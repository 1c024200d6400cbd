// mergeManifestParts: a module written in parts behaves as one manifest — every part's routes, jobs,
// texts, pages and demo data are there, in the parts' order, and a part that declares nothing adds nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { mergeManifestParts, type AppDeps, type ManifestPart } from './module.ts';
import type { RequestContext } from './base/context.ts';
import { html } from './views/html.ts';

const calls: string[] = [];
const first: ManifestPart = {
  routes(app) {
    calls.push('routes first');
    app.get('/first', () => 'first');
  },
  jobs: () => ({ 'm.a': { handler: async () => {} } as never }),
  schedules: [{ kind: 'm.a', everySeconds: 60 }],
  staffNav: () => [{ href: '/a', label: 'A' }],
  tenantHome: () => Promise.resolve(html`<p>first</p>`),
  privacyRegister: () => Promise.resolve([{ name: 'A', purpose: 'a' }]),
  seedDemo: async (_deps, log) => {
    calls.push('seed first');
    log('first');
  },
  messages: [{ fr: { 'm.a': 'a' }, en: { 'm.a': 'a' } }],
  openApiTags: [{ name: 'a', description: 'a' }],
  tourPages: [{ name: 'a', path: '/a', kind: 'citizen' }],
};
const second: ManifestPart = {
  async routes(app) {
    await Promise.resolve();
    calls.push('routes second');
    app.get('/second', () => 'second');
  },
  jobs: () => ({ 'm.b': { handler: async () => {} } as never }),
  tenantHome: () => Promise.resolve(null),
  seedDemo: async () => {
    calls.push('seed second');
  },
  tourPages: [{ name: 'b', path: '/b', kind: 'staff', as: 'agent' }],
};

test('a module merged from parts has every part’s declarations, in order', async () => {
  calls.length = 0;
  const m = mergeManifestParts({ name: 'm', migrations: { dir: '/x', first: 900, last: 999 } }, [first, {}, second]);
  assert.equal(m.name, 'm');
  assert.deepEqual(m.migrations, { dir: '/x', first: 900, last: 999 });
  const app = Fastify();
  await m.routes!(app, {} as AppDeps);
  assert.equal((await app.inject('/second')).body, 'second');
  assert.equal((await app.inject('/first')).body, 'first');
  await m.seedDemo!({} as never, () => {});
  assert.deepEqual(calls, ['routes first', 'routes second', 'seed first', 'seed second']);
  assert.deepEqual(Object.keys(m.jobs!({} as AppDeps)), ['m.a', 'm.b']);
  assert.deepEqual(m.schedules, [{ kind: 'm.a', everySeconds: 60 }]);
  assert.deepEqual(
    m.tourPages!.map((p) => p.name),
    ['a', 'b'],
  );
  assert.equal(m.messages!.length, 1);
  assert.deepEqual(m.staffNav!({} as RequestContext), [{ href: '/a', label: 'A' }]);
  assert.equal(String(await m.tenantHome!({} as RequestContext, {} as AppDeps)), '<p>first</p>');
  assert.deepEqual(await m.privacyRegister!({} as AppDeps, 't'), [{ name: 'A', purpose: 'a' }]);
});

test('parts that declare no home block, register or demo data leave those fields out', () => {
  const m = mergeManifestParts({ name: 'm' }, [{}, {}]);
  assert.equal(m.tenantHome, undefined);
  assert.equal(m.privacyRegister, undefined);
  assert.equal(m.seedDemo, undefined);
  assert.deepEqual(m.tourPages, []);
});
