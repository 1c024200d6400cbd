// Messages in French (default) and English. Each module declares its dictionaries in its manifest
// (`messages`, core/module.ts); app.ts installs them all at build time, and a key defined by two
// dictionaries stops the start (no "last write wins"). Keys are namespaced by module (`core.`,
// `procedures.`). A missing English text falls back to French (the parity test keeps none missing).
//
// A text may have plural forms, chosen by the `count` parameter through Intl.PluralRules:
// `{ one: '{count} nouveau dossier', other: '{count} nouveaux dossiers' }`. `other` is required; a
// category a language has but the text leaves out (French `many`, for millions) falls back to `other`.

export type Locale = 'fr' | 'en';
export const LOCALES: Locale[] = ['fr', 'en'];
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralForms;
export type Messages = Record<string, Message>;
/** A module's texts: the same keys in both languages. */
export interface Dictionary {
  fr: Messages;
  en: Messages;
}

/** Where a dictionary comes from, for the message naming a duplicate key. */
export interface DictionarySource {
  owner: string;
  dictionary: Dictionary;
}

let dictionaries: Record<Locale, Messages> = { fr: {}, en: {} };

/** A key defined twice: a programming error, caught when the app is built. */
export class DuplicateMessageError extends Error {}

/**
 * Makes these dictionaries the ones translate() reads (replacing any installed before: an app built
 * with fewer modules has fewer texts). Throws DuplicateMessageError when two dictionaries define a key.
 */
export function installMessages(sources: DictionarySource[]): void {
  const next: Record<Locale, Messages> = { fr: {}, en: {} };
  const ownerOf = new Map<string, string>();
  const seen = new Set<Dictionary>();
  for (const { owner, dictionary } of sources) {
    if (seen.has(dictionary)) continue;
    seen.add(dictionary);
    const mine = new Set<string>();
    for (const locale of LOCALES) {
      for (const [key, value] of Object.entries(dictionary[locale])) {
        const first = ownerOf.get(key);
        if (first !== undefined && !mine.has(key)) throw new DuplicateMessageError(`message key ${key} is defined by ${first} and again by ${owner}`);
        ownerOf.set(key, owner);
        mine.add(key);
        next[locale][key] = value;
      }
    }
  }
  dictionaries = next;
}

const INTL_LOCALES: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };
const pluralRules: Partial<Record<Locale, Intl.PluralRules>> = {};

/** The plural category of `count` in this language ('one', 'other'…). */
export function pluralCategory(locale: Locale, count: number): Intl.LDMLPluralRule {
  return (pluralRules[locale] ??= new Intl.PluralRules(INTL_LOCALES[locale])).select(count);
}

export function translate(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const message = dictionaries[locale][key] ?? dictionaries.fr[key];
  if (message === undefined) return key;
  const template = typeof message === 'string' ? message : (message[pluralCategory(locale, Number(params.count ?? 0))] ?? message.other);
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

export function isLocale(value: unknown): value is Locale {
  return value === 'fr' || value === 'en';
}

/** Picks the locale: explicit choice (cookie), else the browser's first supported language, else French. */
export function negotiateLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (isLocale(tag)) return tag;
  }
  return 'fr';
}

// Formatters built once per language, on first use: building one costs far more than formatting with
// it (a page of the inbox formats a hundred dates, every receipt several), and building them at import
// would load ICU's locale data into a process that may never format anything.

/** Date formatting in Paris time with these options, one formatter per language. */
export function dateFormatter(options: Intl.DateTimeFormatOptions): (locale: Locale) => Intl.DateTimeFormat {
  const built: Partial<Record<Locale, Intl.DateTimeFormat>> = {};
  return (locale) => (built[locale] ??= new Intl.DateTimeFormat(INTL_LOCALES[locale], { ...options, timeZone: 'Europe/Paris' }));
}

/** Number formatting with these options, one formatter per language. */
export function numberFormatter(options: Intl.NumberFormatOptions): (locale: Locale) => Intl.NumberFormat {
  const built: Partial<Record<Locale, Intl.NumberFormat>> = {};
  return (locale) => (built[locale] ??= new Intl.NumberFormat(INTL_LOCALES[locale], options));
}

const DATE_TIME = dateFormatter({ dateStyle: 'medium', timeStyle: 'short' });
const DATE = dateFormatter({ dateStyle: 'long' });

export function formatDateTime(locale: Locale, value: Date | string | null | undefined): string {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  return DATE_TIME(locale).format(date);
}

export function formatDate(locale: Locale, value: Date | string | null | undefined): string {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  return DATE(locale).format(date);
}
