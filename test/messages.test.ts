// Every message dictionary the manifests declare (modules.ts): French and English define the same keys,
// with the same placeholders, plural forms on both sides with the categories each language needs, keys
// in the module's namespace, and no key defined twice (installing them all must not throw).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuplicateMessageError, installMessages, LOCALES, translate, type Locale, type Message } from '../src/core/i18n/i18n.ts';
import { installModuleMessages } from '../src/core/module.ts';
import { modules } from '../src/modules.ts';

const INTL: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

function placeholders(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  return [...new Set(texts.flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();
}

const dictionaries = modules.flatMap((m) => (m.messages ?? []).map((d, i) => ({ module: m.name, label: `${m.name} dictionary #${i + 1}`, d })));

test('every module declares its texts, and each dictionary has French and English', () => {
  assert.deepEqual(
    modules.filter((m) => !m.messages?.length).map((m) => m.name),
    [],
  );
  for (const { label, d } of dictionaries) for (const locale of LOCALES) assert.ok(Object.keys(d[locale]).length > 0, `${label}: no ${locale} texts`);
});

test('French and English: same keys, same placeholders, plural forms on both sides', () => {
  const problems: string[] = [];
  for (const { module, label, d } of dictionaries) {
    for (const key of Object.keys(d.fr)) if (!(key in d.en)) problems.push(`${label}: ${key} has no English`);
    for (const key of Object.keys(d.en)) if (!(key in d.fr)) problems.push(`${label}: ${key} has no French`);
    for (const locale of LOCALES)
      for (const key of Object.keys(d[locale])) if (!key.startsWith(`${module}.`)) problems.push(`${label}: ${key} is outside the namespace ${module}.`);
    for (const key of Object.keys(d.fr).filter((k) => k in d.en)) {
      const fr = d.fr[key]!;
      const en = d.en[key]!;
      if (placeholders(fr).join() !== placeholders(en).join())
        problems.push(`${label}: ${key} placeholders {${placeholders(fr).join('}, {')}} in French, {${placeholders(en).join('}, {')}} in English`);
      if ((typeof fr === 'string') !== (typeof en === 'string')) {
        problems.push(`${label}: ${key} has plural forms in one language only`);
        continue;
      }
      for (const locale of LOCALES) {
        const m = d[locale][key]!;
        if (typeof m === 'string') continue;
        const categories = new Intl.PluralRules(INTL[locale]).resolvedOptions().pluralCategories as string[];
        // `many` (French millions) may fall back to `other`; every other category must be written.
        for (const c of categories) if (c !== 'many' && !(c in m)) problems.push(`${label}: ${key} lacks the ${locale} plural form ${c}`);
        for (const c of Object.keys(m)) if (!categories.includes(c)) problems.push(`${label}: ${key} has a plural form ${c} that ${locale} does not use`);
        if (!placeholders(m).includes('count')) problems.push(`${label}: ${key} has plural forms but never shows {count}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('no key is defined by two dictionaries: installing all of them succeeds', () => {
  assert.doesNotThrow(() => installModuleMessages(modules));
  assert.ok(dictionaries.length >= 8);
});

test('a key defined twice stops the installation, naming both owners', () => {
  const a = { fr: { 'demo.title': 'Titre' }, en: { 'demo.title': 'Title' } };
  const b = { fr: { 'demo.other': 'Autre', 'demo.title': 'Autre titre' }, en: { 'demo.other': 'Other', 'demo.title': 'Other title' } };
  assert.throws(
    () =>
      installMessages([
        { owner: 'module a', dictionary: a },
        { owner: 'module b', dictionary: b },
      ]),
    (e: Error) => e instanceof DuplicateMessageError && e.message.includes('demo.title') && e.message.includes('module a') && e.message.includes('module b'),
  );
  // The same dictionary listed twice is one dictionary, not a conflict.
  assert.doesNotThrow(() =>
    installMessages([
      { owner: 'module a', dictionary: a },
      { owner: 'module a', dictionary: a },
    ]),
  );
});

test("plural forms follow each language's rules through the count parameter", () => {
  installMessages([
    {
      owner: 'test',
      dictionary: {
        fr: { 'demo.files': { one: '{count} fichier', other: '{count} fichiers' } },
        en: { 'demo.files': { one: '{count} file', other: '{count} files' } },
      },
    },
  ]);
  // French counts 0 and 1 as singular, English only 1.
  assert.equal(translate('fr', 'demo.files', { count: 0 }), '0 fichier');
  assert.equal(translate('fr', 'demo.files', { count: 1 }), '1 fichier');
  assert.equal(translate('fr', 'demo.files', { count: 2 }), '2 fichiers');
  assert.equal(translate('en', 'demo.files', { count: 0 }), '0 files');
  assert.equal(translate('en', 'demo.files', { count: 1 }), '1 file');
  // French `many` (a million) falls back to `other`.
  assert.equal(translate('fr', 'demo.files', { count: 1_000_000 }), '1000000 fichiers');
  installModuleMessages(modules);
});

test("the agents' digest says one new dossier in the singular, in French and in English", () => {
  installModuleMessages(modules);
  assert.equal(translate('fr', 'procedures.digest.fresh', { count: 1 }), '1 nouveau dossier');
  assert.equal(translate('fr', 'procedures.digest.fresh', { count: 3 }), '3 nouveaux dossiers');
  assert.equal(translate('en', 'procedures.digest.fresh', { count: 1 }), '1 new application');
  assert.equal(translate('en', 'procedures.digest.waiting', { count: 2 }), '2 applications being completed or examined are waiting for you');
});
