// The layers of src/ and the rules of its import graph (docs/architecture.md, "Layers and the import
// graph"): no import cycle anywhere; core imports down only and never a module or the application wiring;
// a module reaches another module through its index.ts only. The checker (import-graph.ts) is first shown
// to catch each kind of break on small fixtures, then run on src/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { checkImportGraph, findCycles, importsOf, readImportGraph, type ImportGraph, type Rules } from './import-graph.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Core's layers, lowest first. A file belongs to the layer of its longest matching path, and imports its
 * own layer or lower ones. A new folder under src/core/ must be placed here (the test says so).
 */
const BASTIDE_RULES: Rules = {
  core: 'src/core/',
  layers: [
    // Configuration, the database, translation, outbound HTTP, the territory reference: no web, no people.
    { name: 'foundation', paths: ['src/config.ts', 'src/core/db/', 'src/core/i18n/', 'src/core/net/', 'src/core/territory/'] },
    // The journal and the collectivités (a tenant row is what every request is about).
    { name: 'records', paths: ['src/core/audit/', 'src/core/tenancy/'] },
    // What every web layer speaks: the request context (Person, roles), HttpError and its helpers, the
    // rate limiter, the safe redirect.
    { name: 'base', paths: ['src/core/base/'] },
    // Services over base: HTML views, stored files, the job queue, outgoing mail, a collectivité's archive
    // (export, import) and the move of an installation to another database (transfer/), the usage report
    // a host shares its costs with (usage/; its routes are a core module's, below).
    { name: 'services', paths: ['src/core/views/', 'src/core/files/', 'src/core/jobs/', 'src/core/mail/', 'src/core/transfer/', 'src/core/usage/'] },
    // Who is who: accounts, sessions, API tokens, CSRF, OIDC, and auth's own views. Below http, which
    // reads sessions and tokens for every request.
    { name: 'auth', paths: ['src/core/auth/'] },
    // The core's demo collectivités and accounts (uses auth's password hashing).
    { name: 'demo', paths: ['src/core/seed/'] },
    // The HTTP wiring (request context hooks, errors to pages, core routes, OpenAPI, metrics…) and the
    // module contract (core/module.ts) that the wiring and every module speak.
    { name: 'http', paths: ['src/core/http/', 'src/core/module.ts', 'src/core/module.test.ts'] },
    // The core's own modules, declared with the same manifest as product modules and wired by app.ts:
    // auth's pages and routes, and the core's jobs (core-module.ts).
    { name: 'core modules', paths: ['src/core/auth/index.ts', 'src/core/auth/routes/', 'src/core/core-module.ts', 'src/core/usage/routes.ts'] },
    // Operations run by the CLI or through the administration socket.
    { name: 'operations', paths: ['src/core/backup/', 'src/core/admin-socket/'] },
  ],
  modules: 'src/modules/',
  appWiring: ['src/app.ts', 'src/modules.ts', 'src/seed.ts', 'src/server.ts', 'src/main.ts'],
};

/**
 * Breaks tolerated for a short while, each as the exact message the checker gives, with why. Only for
 * work already under way (a cycle inside a module being taken apart, test support being moved), never
 * for a new break of core's layers. Each must still occur: once it is fixed the test fails until the
 * line is removed, so the list only shrinks. Keep it empty.
 */
const KNOWN_VIOLATIONS: string[] = [];

const FIXTURE_RULES: Rules = {
  core: 'src/core/',
  layers: [
    { name: 'low', paths: ['src/core/low/'] },
    { name: 'high', paths: ['src/core/high/'] },
  ],
  modules: 'src/modules/',
  appWiring: ['src/app.ts'],
};

const graph = (edges: Array<[string, string, boolean?]>): ImportGraph => ({
  files: [...new Set(edges.flatMap(([from, to]) => [from, to]))].sort(),
  edges: edges.map(([from, to, typeOnly]) => ({ from, to, typeOnly: typeOnly ?? false })),
});

test('the parser sees value, type-only, re-exported and dynamic imports', () => {
  const found = importsOf(
    'x.ts',
    [
      `import { a } from './a.ts';`,
      `import type { B } from './b.ts';`,
      `import { type C, type D } from './c.ts';`,
      `import { type E, e } from './e.ts';`,
      `export { f } from './f.ts';`,
      `export type { G } from './g.ts';`,
      `import './side-effect.ts';`,
      `const h = async () => import('./h.ts');`,
      `let i: import('./i.ts').I;`,
      `import fs from 'node:fs';`,
    ].join('\n'),
  );
  assert.deepEqual(Object.fromEntries(found.map((f) => [f.specifier, f.typeOnly])), {
    './a.ts': false,
    './b.ts': true,
    './c.ts': true,
    './e.ts': false,
    './f.ts': false,
    './g.ts': true,
    './side-effect.ts': false,
    './h.ts': false,
    './i.ts': true,
    'node:fs': false,
  });
  // A file importing the same path for a type and for a value depends on it at run time.
  assert.deepEqual(importsOf('y.ts', `import type { A } from './a.ts';\nimport { a } from './a.ts';`), [{ specifier: './a.ts', typeOnly: false }]);
});

test('a cycle is found and reported as a path, type-only or not', () => {
  const g = graph([
    ['src/core/low/a.ts', 'src/core/low/b.ts'],
    ['src/core/low/b.ts', 'src/core/low/c.ts', true],
    ['src/core/low/c.ts', 'src/core/low/a.ts'],
    ['src/core/low/c.ts', 'src/core/low/d.ts'],
    ['src/core/low/self.ts', 'src/core/low/self.ts'],
  ]);
  assert.deepEqual(findCycles(g), [
    ['src/core/low/a.ts', 'src/core/low/b.ts', 'src/core/low/c.ts', 'src/core/low/a.ts'],
    ['src/core/low/self.ts', 'src/core/low/self.ts'],
  ]);
  assert.deepEqual(
    checkImportGraph(g, FIXTURE_RULES).map((v) => v.message),
    [
      'import cycle: src/core/low/a.ts → src/core/low/b.ts → src/core/low/c.ts → src/core/low/a.ts',
      'import cycle: src/core/low/self.ts → src/core/low/self.ts',
    ],
  );
  assert.deepEqual(
    findCycles(
      graph([
        ['src/core/low/a.ts', 'src/core/low/b.ts'],
        ['src/core/low/c.ts', 'src/core/low/b.ts'],
      ]),
    ),
    [],
  );
});

test('an upward import between layers is reported, type-only included; a downward one is not', () => {
  const violations = checkImportGraph(
    graph([
      ['src/core/low/a.ts', 'src/core/high/b.ts', true],
      ['src/core/high/b.ts', 'src/core/low/c.ts'],
      ['src/core/low/a.test.ts', 'src/core/high/b.ts'],
    ]),
    FIXTURE_RULES,
  );
  assert.deepEqual(violations, [
    {
      rule: 'upward',
      message: 'src/core/low/a.ts (low) imports src/core/high/b.ts (high) (type-only): a layer imports its own or lower layers only',
    },
  ]);
});

test('core importing a module or the wiring, a module reaching into another, a folder in no layer: all reported', () => {
  const violations = checkImportGraph(
    graph([
      ['src/core/high/admin.ts', 'src/app.ts'],
      ['src/core/low/x.ts', 'src/modules/things/index.ts', true],
      ['src/modules/things/a.ts', 'src/modules/others/internal/repo.ts'],
      ['src/modules/things/b.ts', 'src/modules/others/index.ts'],
      ['src/modules/things/c.ts', 'src/modules/things/d/e.ts'],
      ['src/modules/things/f.ts', 'src/app.ts'],
      ['src/core/new-folder/y.ts', 'src/core/low/z.ts'],
      // Tests build the application: allowed, in core and in modules, but not another module's internals.
      ['src/core/high/admin.test.ts', 'src/app.ts'],
      ['src/modules/things/g.test.ts', 'src/app.ts'],
      ['src/modules/things/h.test.ts', 'src/modules/others/internal/repo.ts'],
    ]),
    FIXTURE_RULES,
  );
  assert.deepEqual(violations.map((v) => `${v.rule}: ${v.message.split(':')[0]}`).sort(), [
    'core-imports-app: src/core/high/admin.ts imports src/app.ts',
    'core-imports-app: src/core/low/x.ts imports src/modules/things/index.ts (type-only)',
    'module-imports-app: src/modules/things/f.ts imports src/app.ts',
    'module-internals: src/modules/things/a.ts imports src/modules/others/internal/repo.ts',
    'module-internals: src/modules/things/h.test.ts imports src/modules/others/internal/repo.ts',
    'unlayered: src/core/new-folder/y.ts is in no layer',
  ]);
});

test('the fixture folder, read from disk, shows its cycle and its upward import', () => {
  const g = readImportGraph(root, 'test/architecture/fixtures');
  const rules: Rules = {
    ...FIXTURE_RULES,
    core: 'test/architecture/fixtures/core/',
    layers: [
      { name: 'base', paths: ['test/architecture/fixtures/core/base/'] },
      { name: 'http', paths: ['test/architecture/fixtures/core/http/'] },
    ],
    modules: 'test/architecture/fixtures/modules/',
  };
  assert.deepEqual(
    checkImportGraph(g, rules).map((v) => v.message),
    [
      'import cycle: test/architecture/fixtures/core/http/page.ts → test/architecture/fixtures/core/http/routes.ts → test/architecture/fixtures/core/http/page.ts',
      'test/architecture/fixtures/core/base/context.ts (base) imports test/architecture/fixtures/core/http/routes.ts (http) (type-only): a layer imports its own or lower layers only',
    ],
  );
});

test('src/ keeps the rules: no cycle, core imports down only and no module, modules meet through index.ts', () => {
  const g = readImportGraph(root, 'src');
  assert.ok(g.files.length > 100 && g.edges.length > 500, 'the whole of src/ was read');
  const found = checkImportGraph(g, BASTIDE_RULES).map((v) => v.message);
  assert.deepEqual(
    found.filter((m) => !KNOWN_VIOLATIONS.includes(m)),
    [],
    'the import graph of src/ breaks these rules',
  );
  assert.deepEqual(
    KNOWN_VIOLATIONS.filter((m) => !found.includes(m)),
    [],
    'fixed: remove these from KNOWN_VIOLATIONS',
  );
});

test('on src/, one import added back up is caught twice: the cycle it closes and the upward step', () => {
  const g = readImportGraph(root, 'src');
  g.edges.push({ from: 'src/core/base/errors.ts', to: 'src/core/http/error-handler.ts', typeOnly: true });
  const found = checkImportGraph(g, BASTIDE_RULES)
    .map((v) => v.message)
    .filter((m) => !KNOWN_VIOLATIONS.includes(m));
  assert.deepEqual(found, [
    'import cycle: src/core/base/errors.ts → src/core/http/error-handler.ts → src/core/base/errors.ts',
    'src/core/base/errors.ts (base) imports src/core/http/error-handler.ts (http) (type-only): a layer imports its own or lower layers only',
  ]);
});
