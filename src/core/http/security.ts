// Security headers on every response, and a strict Content-Security-Policy: nothing from other hosts,
// no inline script or style.
import type { FastifyInstance, FastifyReply } from 'fastify';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The headers every response carries. Also called directly for the answers Fastify gives before any hook
 * runs (an address that does not decode: error-handler.ts, `frameworkErrorHandler`).
 */
export function applySecurityHeaders(reply: FastifyReply, options: { https: boolean }): void {
  // A route may set a stricter policy (downloads use `default-src 'none'; sandbox`).
  if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
  reply.header('cross-origin-opener-policy', 'same-origin');
  if (options.https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

export function registerSecurityHeaders(app: FastifyInstance, options: { https: boolean }): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    applySecurityHeaders(reply, options);
    return payload;
  });
}
