// Reading a parsed form, query or path by name (a name once or repeated); anything else is left out.
export function formValues(value: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!value || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

export function one(form: Record<string, string | string[]>, name: string): string {
  const v = form[name];
  return ((Array.isArray(v) ? v[0] : v) ?? '').trim();
}
