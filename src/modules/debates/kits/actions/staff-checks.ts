// Checks the team's pages share: a text is plain text (no markup: a debate may be saved as a kit, and a
// kit never carries markup to another collectivité), well formed, within its limit; a required one is
// there. Messages are localised and keyed by field, as every form of the module shows them.
import type { Translate } from '../../../../core/i18n/i18n.ts';
import { HttpError } from '../../../../core/base/errors.ts';

// A tag opening (<a, </p, <!--, <?xml) or an entity, as the kit format refuses them. "< 6 V/m" passes.
const MARKUP = /<\s*[a-z!/?]|&[a-z#0-9]+;/i;

export type FieldErrors = Record<string, string[]>;

export function checker(t: Translate) {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  /** The trimmed text, or '' after adding its error. */
  const text = (field: string, value: string | undefined, max: number, required = false): string => {
    const v = (value ?? '').replace(/\r\n/g, '\n').trim();
    if (required && !v) add(field, t('debates.error.required'));
    else if (v.length > max) add(field, t('debates.error.too_long', { max, length: v.length }));
    else if (!v.isWellFormed() || v.includes('\u0000')) add(field, t('debates.staff.error.bad_text'));
    else if (MARKUP.test(v)) add(field, t('debates.staff.error.markup'));
    else return v;
    return '';
  };
  /** An https:// address (empty allowed unless required). */
  const url = (field: string, value: string | undefined, required = false): string | null => {
    const v = (value ?? '').trim();
    if (!v) {
      if (required) add(field, t('debates.error.required'));
      return null;
    }
    let ok: boolean;
    try {
      ok = v.length <= 2000 && new URL(v).protocol === 'https:' && v.startsWith('https://') && !/\s/.test(v);
    } catch {
      ok = false;
    }
    if (!ok) add(field, t('debates.staff.error.url'));
    return ok ? v : null;
  };
  return { errors, add, text, url, failed: () => Object.keys(errors).length > 0 };
}

/** The field errors of a refusal (422), else the error is thrown on. */
export function fieldErrors(error: unknown): FieldErrors {
  if (error instanceof HttpError && error.statusCode === 422) return (error.details as { errors: FieldErrors }).errors;
  throw error;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a form or an address that names a row: anything else is simply not found (never a SQL error). */
export function isId(value: string): boolean {
  return UUID.test(value);
}
