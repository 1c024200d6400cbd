// The one rule for paths inside a package, for the zip's entries and the manifest's Uris alike.

/** True when a path would leave the package: absolute, a drive letter, "..", ".", empty segments, backslashes, NUL. */
export function unsafePath(name: string): boolean {
  if (name.includes('\\') || name.includes('\0') || name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return true;
  const segments = name.replace(/\/$/, '').split('/');
  return segments.some((s) => s === '..' || s === '.' || s === '');
}
