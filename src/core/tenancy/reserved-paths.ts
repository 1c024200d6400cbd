// First path segments that are not collectivités. Core's own are listed here; a module adds its own
// root addresses through its manifest (`reservedRootPaths`, e.g. the catalogue's /catalogue.jsonld), and
// app.ts installs them from modules.ts before any request is read (as it installs the dictionaries).
// The request context reads no tenant from such a segment, and no collectivité may take one as its slug:
// it would be unreachable, or worse, shadow the installation's own address.

/** Core's first segments: its API, assets, account and language pages, probes, development tools. */
export const CORE_RESERVED_ROOT_PATHS: readonly string[] = [
  'api',
  'assets',
  'auth',
  'account',
  'lang',
  'healthz',
  'readyz',
  'metrics',
  '_dev',
  '_admin',
  'favicon.ico',
];

let reserved = new Set(CORE_RESERVED_ROOT_PATHS);

/** One path segment: no slash, no dot-only name, nothing to decode. */
const SEGMENT = /^[a-z0-9_][a-z0-9_.-]{0,62}$/;

/** Core's segments plus the modules' (replaces what an earlier call installed: buildApp may run more than once). */
export function installReservedRootPaths(fromModules: ReadonlyArray<{ module: string; paths: readonly string[] }>): void {
  const next = new Set(CORE_RESERVED_ROOT_PATHS);
  for (const { module, paths } of fromModules) {
    for (const p of paths) {
      if (!SEGMENT.test(p)) throw new Error(`module ${module}: reserved root path "${p}" is not a single lower-case path segment`);
      next.add(p);
    }
  }
  reserved = next;
}

export function isReservedRootPath(segment: string): boolean {
  return reserved.has(segment);
}
