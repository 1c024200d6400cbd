// Messages in French (default) and English. Each module adds its own dictionary with addMessages();
// keys are namespaced by module (`core.`, `procedures.`). A missing English text falls back to French.

export type Locale = 'fr' | 'en';
export const LOCALES: Locale[] = ['fr', 'en'];
export type Messages = Record<string, string>;

const dictionaries: Record<Locale, Messages> = { fr: {}, en: {} };

export function addMessages(locale: Locale, messages: Messages): void {
  Object.assign(dictionaries[locale], messages);
}

export function translate(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const template = dictionaries[locale][key] ?? dictionaries.fr[key] ?? key;
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
const INTL_LOCALES: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

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
