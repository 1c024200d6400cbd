// Inputs no route should ever see, refused with a 400 before any route (or the request context's
// lookups) runs:
// - a NUL character, in the address (path or query, `%00`) or in any string of a parsed body (JSON or
//   urlencoded; multipart fields are checked as they are read, see `assertNoNul`). PostgreSQL cannot
//   store U+0000 in `text` (error 22021) nor in `jsonb` (22P05): without this guard the first query
//   given such a value failed, and the request ended as a 500 with a logged stack trace;
// - an address whose path does not percent-decode (`/%ZZ/…`): the request context would fail to
//   decode the collectivité's slug. (Fastify itself answers such addresses when a route parameter holds
//   them; error-handler.ts, `frameworkErrorHandler`, renders that answer.)
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { negotiateLocale, translator, type Translate } from '../i18n/i18n.ts';
import { HttpError } from '../base/errors.ts';

const NUL = '\u0000';

function nulRefused(t: Translate): HttpError {
  return new HttpError(400, 'bad_request', t('core.error.nul'));
}

/** Throws the 400 when `value` holds a NUL character (a multipart field read by a route…). */
export function assertNoNul(value: string, t: Translate): void {
  if (value.includes(NUL)) throw nulRefused(t);
}

/** The refusal an address deserves, or null when it is fine. */
function urlProblem(url: string, t: Translate): HttpError | null {
  if (url.includes(NUL) || /%00/i.test(url)) return nulRefused(t);
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path.includes('%')) {
    try {
      decodeURIComponent(path);
    } catch {
      return new HttpError(400, 'bad_request', t('core.error.bad_url'));
    }
  }
  return null;
}

/**
 * Whether a parsed body holds a NUL in any string, key or value. Walked with an explicit stack, not by
 * recursion: a deeply nested JSON document must not exhaust the call stack.
 */
export function holdsNul(body: unknown): boolean {
  const pending: unknown[] = [body];
  while (pending.length) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes(NUL)) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes(NUL)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/** The request's language: these refusals may come before the request context is filled. */
function translate(request: FastifyRequest): Translate {
  return request.ctx?.t ?? translator(negotiateLocale(request.cookies?.bastide_lang, request.headers['accept-language']));
}

export function registerRequestGuards(app: FastifyInstance): void {
  // Registered (app.ts) before the request context's hook, which looks up tenants and sessions.
  app.addHook('onRequest', async (request) => {
    const problem = urlProblem(request.raw.url ?? request.url, translate(request));
    if (problem) throw problem;
  });
  // After the body is parsed, before validation and the handler.
  app.addHook('preValidation', async (request) => {
    if (request.body !== undefined && holdsNul(request.body)) throw nulRefused(translate(request));
  });
}
