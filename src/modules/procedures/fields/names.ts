// Names of form controls and their ids. A top-level answer is posted as `key`, a field of a repeated
// block as `key[0][sub]` (what PHP, Rails and most form tools use); ids keep only safe characters so
// that error summary links and scripts can find them.

/** `members[0][name]` → `field-members-0-name`. */
export function idOf(name: string): string {
  return `field-${name.replace(/\]\[|\[|\]/g, '-').replace(/-+$/, '')}`;
}

/** Path parts of a name or an error key: `members[0][name]`, `members.0.name`, `members[0].name` → ['members', '0', 'name']. */
export function pathOf(key: string): string[] {
  return key.split(/[.[\]]+/).filter(Boolean);
}

/** The control name of a path: ['members', '0', 'name'] → `members[0][name]`. */
export function nameOf(path: string[]): string {
  return (
    path[0]! +
    path
      .slice(1)
      .map((p) => `[${p}]`)
      .join('')
  );
}

/** Errors re-keyed by control name, whatever notation the validator used. */
export function errorsByName(errors: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, list] of Object.entries(errors)) (out[nameOf(pathOf(key))] ??= []).push(...list);
  return out;
}
