// Every text key the pages use exists, in French and in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { translate } from '../../core/i18n/i18n.ts';
import { installModuleMessages } from '../../core/module.ts';
import { modules } from '../../modules.ts';
import { FIELD_TYPES } from './fields/definition.ts';

installModuleMessages(modules);
const here = import.meta.dirname;

function sources(): string[] {
  // Recursive: routes/ has a folder per audience (agent/, citizen/, designer/, api/).
  return ['views', 'routes', 'fields'].flatMap((dir) =>
    readdirSync(join(here, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(here, dir, f), 'utf8')),
  );
}

test('the keys used literally by the pages are all defined', () => {
  const used = new Set(sources().flatMap((s) => [...s.matchAll(/t\('(procedures\.web\.[a-z0-9_.]+)'/g)].map((m) => m[1]!)));
  assert.ok(used.size > 100, `found ${used.size} keys`);
  const missing = [...used].filter((k) => translate('fr', k) === k);
  assert.deepEqual(missing, []);
});

// French and English parity over every dictionary: test/messages.test.ts.

test('keys built at run time exist for every state, action, type and operator', () => {
  const dynamic = [
    ...['brouillon', 'en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'].flatMap((s) => [
      `procedures.web.state.${s}`,
      `procedures.web.state_help.${s}`,
    ]),
    ...['en_instruction', 'accepte', 'refuse', 'sans_suite', 'en_construction'].map((s) => `procedures.web.action.${s}`),
    ...['equals', 'not_equals', 'gt', 'lt', 'filled', 'empty'].flatMap((op) => [`procedures.web.cond.${op}`, `procedures.web.designer.op.${op}`]),
    ...['draft', 'published', 'closed'].map((s) => `procedures.web.designer.state.${s}`),
    ...FIELD_TYPES.map((type) => `procedures.web.type.${type}`),
    ...['oral', 'written'].map((how) => `procedures.web.mediation.how.${how}`),
    ...['submitted_desc', 'submitted_asc', 'updated_desc', 'number_desc', 'number_asc'].map((s) => `procedures.web.inbox.sort.${s}`),
  ];
  for (const locale of ['fr', 'en'] as const)
    assert.deepEqual(
      dynamic.filter((k) => translate(locale, k) === k),
      [],
      locale,
    );
});

test('every notice a redirect announces has its text', () => {
  const notices = new Set(
    sources().flatMap((s) => [
      ...[...s.matchAll(/seeOther\(reply, [^\n]*?, '([a-z_]+)'\)/g)].map((m) => m[1]!),
      ...[...s.matchAll(/\}, '([a-z_]+)'(?:, \(\) => kind)?\)\);/g)].map((m) => m[1]!),
      ...s
        .split('\n')
        .filter((line) => line.includes('seeOther(') || line.includes("'message_sent'"))
        .flatMap((line) => [...line.matchAll(/\? '([a-z_]+)' : '([a-z_]+)'/g)].flatMap((m) => [m[1]!, m[2]!])),
    ]),
  );
  assert.ok(notices.size >= 10, [...notices].join(' '));
  for (const locale of ['fr', 'en'] as const)
    assert.deepEqual(
      [...notices].filter((n) => translate(locale, `procedures.web.notice.${n}`) === `procedures.web.notice.${n}`),
      [],
      locale,
    );
});
