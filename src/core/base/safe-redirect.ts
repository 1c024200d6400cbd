// The one gate for redirect targets that come from the client (`?back=`, `?next=`, a form's `back`): a
// target is kept only when a browser would stay on this installation. String checks ("starts with one
// slash") are not enough: browsers drop tabs and newlines anywhere in a URL, read `\` as `/`, and resolve
// dot segments, so `/\t/evil.example`, `/\evil.example` or `/.//evil.example` all reach another host.
// The WHATWG URL parser is the browser's own algorithm: we resolve the candidate against the configured
// base URL with it, compare origins, and send back the *parsed* path, never the raw text.

/** Longer targets are refused outright (a page address is far shorter). */
const MAX_LENGTH = 2000;

/**
 * `candidate` as a same-origin path (`/x?y#z`, normalised as the browser would), or `fallback` when it is
 * not a string, does not parse, or resolves to another origin (other host, port or scheme, `javascript:`…).
 */
export function safeRedirectPath(candidate: unknown, baseUrl: string, fallback: string): string {
  if (typeof candidate !== 'string' || candidate === '' || candidate.length > MAX_LENGTH) return fallback;
  let base: URL;
  let target: URL;
  try {
    base = new URL(baseUrl);
    target = new URL(candidate, base);
  } catch {
    return fallback;
  }
  if (target.origin !== base.origin || target.origin === 'null') return fallback;
  // `/.//evil.example` parses to the path `//evil.example` on our host; written into a Location header,
  // that path would be read as a scheme-relative URL naming evil.example.
  if (target.pathname.startsWith('//')) return fallback;
  return `${target.pathname}${target.search}${target.hash}`;
}
