// The server's log (pino, through Fastify) without the secrets that travel in addresses. Password-reset
// and address-verification links carry `?token=`, a guest's tracking and draft links `?code=`, the
// OpenID Connect callback `?code=&state=`, and a sign-in `?next=` may hold any of these addresses.
// Request logs would copy them to files, log collectors and backups that many more people read than
// the mailbox they were sent to. So every URL the logger writes goes through `redactUrl`:
// - the value of a query parameter named like a secret (SECRET_PARAMS) is replaced;
// - `next` and `back` (addresses inside the address) are redacted the same way, recursively;
// - any path segment or query value that looks like a random token (long, base64url, mixed case: what
//   randomBytes(…).toString('base64url') and our HMACs give) is replaced too, so that a route added
//   later with a secret in its path is covered without a list to keep up to date;
// and the free text of log lines (Fastify's own warnings quote the URL) gets the same treatment for
// `name=value` pairs. Errors of the database lose their bound parameters (`err.params`: the values of
// a failed query, personal data or secrets), keeping the SQL text.
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Config } from '../../config.ts';

export const REDACTED = '[redacted]';

/** Query parameters whose value is a secret, whatever it looks like (lower case). */
const SECRET_PARAMS = new Set([
  'token',
  'code',
  'state',
  'key',
  'secret',
  'password',
  'passwd',
  'signature',
  'sig',
  'nonce',
  'access_token',
  'id_token',
  'refresh_token',
  'api_key',
  'apikey',
  'session',
  'session_state',
  'idem',
  '_idem',
  '_csrf',
]);
/** Query parameters that hold another address of the site. */
const NESTED_URL_PARAMS = new Set(['next', 'back']);

/** Random tokens: 20+ characters of base64url (an optional `.` for signed ones), upper and lower case. */
export function looksLikeToken(text: string): boolean {
  return text.length >= 20 && /^[A-Za-z0-9_~-]+(\.[A-Za-z0-9_~-]+)*$/.test(text) && /[A-Z]/.test(text) && /[a-z]/.test(text);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** An address encoded more than once (`%252F…`) decoded until it stops changing, so that its query shows. */
function decodeFully(text: string): string {
  let current = text;
  for (let i = 0; i < 4 && /%[0-9a-f]{2}/i.test(current); i++) {
    const next = decode(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** `url` (a path with its query, as a request carries it) with its secrets replaced by [redacted]. */
export function redactUrl(url: string, depth = 0): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q))
    .split('/')
    .map((s) => (looksLikeToken(decode(s)) ? REDACTED : s))
    .join('/');
  if (q === -1) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return looksLikeToken(decode(pair)) ? REDACTED : pair;
      const name = pair.slice(0, eq);
      const key = decode(name).toLowerCase();
      const value = decode(pair.slice(eq + 1));
      if (SECRET_PARAMS.has(key)) return `${name}=${REDACTED}`;
      if (NESTED_URL_PARAMS.has(key)) return depth < 3 ? `${name}=${encodeURIComponent(redactUrl(decodeFully(value), depth + 1))}` : `${name}=${REDACTED}`;
      return looksLikeToken(value) ? `${name}=${REDACTED}` : pair;
    });
  return `${path}?${query.join('&')}`;
}

/** Free text (a log message): `secret=value` pairs and anything token-like in it. */
export function redactText(text: string): string {
  return text
    .replace(/([?&;\s]|^)([A-Za-z_]+)=([^&\s"'#]*)/g, (whole, lead: string, name: string) =>
      SECRET_PARAMS.has(name.toLowerCase()) || NESTED_URL_PARAMS.has(name.toLowerCase()) ? `${lead}${name}=${REDACTED}` : whole,
    )
    .replace(/[A-Za-z0-9_~-]{20,}(\.[A-Za-z0-9_~-]+)*/g, (word) => (looksLikeToken(word) ? REDACTED : word));
}

/** Fastify's request serializer (same fields), with the URL redacted. */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket ? request.socket.remotePort : undefined,
  };
}

export interface LogDestination {
  write(line: string): void;
}

/**
 * Fastify's `logger` option: off at LOG_LEVEL=silent (unless a test hands a destination to read the
 * lines), otherwise pino at that level with the redactions above.
 */
export function loggerOptions(config: Pick<Config, 'logLevel'>, destination?: LogDestination): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent' && !destination) return false;
  return {
    level: config.logLevel === 'silent' ? 'info' : config.logLevel,
    ...(destination ? { stream: destination } : {}),
    serializers: { req: serializeRequest as never },
    redact: { paths: ['err.params', 'err.cause.params'], censor: REDACTED },
    hooks: {
      logMethod(args, method) {
        // The message (and its printf arguments) is free text: strings only, objects went through the serializers.
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>);
      },
    },
  };
}
