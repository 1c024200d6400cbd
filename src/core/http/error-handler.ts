// Errors become localised pages (HTML) or `{error: {code, message}}` (API), and never leak internals.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../views/html.ts';
import { page } from '../views/layout.ts';
import { negotiateLocale, translator } from '../i18n/i18n.ts';
import { HttpError } from '../base/errors.ts';
import { schemaErrorsToFields } from './validation.ts';
import { applySecurityHeaders } from './security.ts';

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url.startsWith('/_admin/') || (request.headers.accept ?? '').startsWith('application/json');
}

function ensureContext(request: FastifyRequest): void {
  // Errors thrown before the context hook finished (bad cookie, unknown tenant, malformed address) still
  // render a page, in the language the browser asks for.
  if (!request.ctx) {
    const locale = negotiateLocale(request.cookies?.bastide_lang, request.headers['accept-language']);
    request.ctx = { locale, t: translator(locale), tenant: null, person: null, sessionId: null, roles: [], api: null, csrfToken: '' };
  }
}

export function renderError(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message?: string, details?: unknown) {
  ensureContext(request);
  const { t } = request.ctx;
  const text = message && status < 500 ? message : t(`core.error.${status}`);
  if ((status === 429 || status === 503) && details && typeof details === 'object' && 'retryAfterSeconds' in details) {
    reply.header('retry-after', String((details as { retryAfterSeconds: number }).retryAfterSeconds));
  }
  if (wantsJson(request)) {
    const body: Record<string, unknown> = { error: { code, message: text } };
    if (details && typeof details === 'object' && 'errors' in details) body.errors = (details as { errors: unknown }).errors;
    return reply.code(status).type('application/json').send(body);
  }
  const title = t(`core.error.${status}.title`) !== `core.error.${status}.title` ? t(`core.error.${status}.title`) : t('core.error.title');
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(
      page(request.ctx, {
        title,
        body: html`<h1>${title}</h1><p>${text}</p><p><a href="${request.ctx.tenant ? `/${request.ctx.tenant.slug}/` : '/'}">${t('core.error.back_home')}</a></p>`,
      }).value,
    );
}

const CLIENT_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'timeout',
  411: 'length_required',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

export function registerErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => renderError(request, reply, 404, 'not_found'));
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    ensureContext(request);
    if (error instanceof HttpError && error.statusCode === 303 && error.details && typeof error.details === 'object' && 'location' in error.details) {
      return reply.redirect(String((error.details as { location: string }).location), 303);
    }
    if (error instanceof HttpError)
      return renderError(request, reply, error.statusCode, error.code, error.message === error.code ? undefined : error.message, error.details);
    const fe = error as FastifyError;
    if (fe.validation) {
      const errors = schemaErrorsToFields(request.ctx.t, fe.validation);
      return renderError(request, reply, 422, 'invalid', request.ctx.t('core.error.invalid'), { errors });
    }
    if (fe.statusCode === 413 || fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.code === 'FST_FILES_LIMIT' || fe.code === 'FST_PARTS_LIMIT') {
      return renderError(request, reply, 413, 'too_large', request.ctx.t('core.error.413'));
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Fastify's own client errors (malformed JSON, unsupported media type…): a stable code of ours and
      // a localised message, never Fastify's internal code or text.
      const code = CLIENT_CODES[fe.statusCode] ?? 'bad_request';
      const key = `core.error.${fe.statusCode}`;
      const message = request.ctx.t(key) === key ? request.ctx.t('core.error.400') : request.ctx.t(key);
      return renderError(request, reply, fe.statusCode, code, message);
    }
    if (fe.code === '22021' || fe.code === '22P05') {
      // PostgreSQL refused text it cannot store (a NUL character…): the client's input, not our fault.
      // request-guard.ts refuses NUL before any route; this is the net under it.
      request.log.warn({ code: fe.code }, 'text refused by the database');
      return renderError(request, reply, 400, 'bad_request', request.ctx.t('core.error.nul'));
    }
    // Logged in full for the operators; the response says only that something went wrong.
    request.log.error({ err: error }, 'unhandled error');
    return renderError(request, reply, 500, 'internal');
  });
}

/**
 * Fastify's `frameworkErrors`: the answers it gives before any hook runs, above all an address whose
 * route parameter does not percent-decode (`/%ZZ/…`, FST_ERR_BAD_URL). Same page or JSON as every other
 * error, with the security headers that the onSend hook would have added.
 */
export function frameworkErrorHandler(options: { https: boolean }) {
  // Fastify calls it for its effect and ignores what it returns: the reply (a thenable) is not returned.
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    ensureContext(request);
    applySecurityHeaders(reply, options);
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error }, 'unhandled error');
      void renderError(request, reply, 500, 'internal');
      return;
    }
    const key = error.code === 'FST_ERR_BAD_URL' ? 'core.error.bad_url' : 'core.error.400';
    void renderError(request, reply, status, CLIENT_CODES[status] ?? 'bad_request', request.ctx.t(key));
  };
}
