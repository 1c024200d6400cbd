// Reading a parsed urlencoded form, query string or path parameters by name: a name sent once is a string,
// a repeated name a list. Values are read, not cast: anything else a body might hold (an object or number
// from JSON) is left out. A route validates what it reads with its action; nothing is refused here.
export type FormValues = Record<string, string | string[]>;

/** The text values of `value` (a name once, or repeated); anything else is left out. */
export function formValues(value: unknown): FormValues {
  const out: FormValues = {};
  if (!value || typeof value !== 'object') return out;
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') out[name] = v;
    else if (Array.isArray(v)) out[name] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

/** The first value sent under `name`, trimmed; '' when absent. */
export function firstValue(form: Readonly<Record<string, string | string[] | undefined>>, name: string): string {
  const v = form[name];
  return ((Array.isArray(v) ? v[0] : v) ?? '').trim();
}

/** Every value sent under `name`, as sent (a checkbox list). */
export function allValues(form: Readonly<Record<string, string | string[] | undefined>>, name: string): string[] {
  const v = form[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
