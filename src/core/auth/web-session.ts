// The session cookie and the redirects around sign-in: rotation at every sign-in, same-site `next` only.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { createSession, destroySession, SESSION_COOKIE, SESSION_DAYS } from './sessions.ts';
import { safeRedirectPath } from '../base/safe-redirect.ts';

/**
 * Where to send the browser after signing in: `next` when it stays on this site (core/base/safe-redirect.ts
 * decides, as a browser would parse it), `fallback` otherwise.
 */
export function safeNext(value: unknown, baseUrl: string, fallback = '/account'): string {
  return safeRedirectPath(value, baseUrl, fallback);
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: SESSION_DAYS * 86400 });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/**
 * Starts a new session for `personId`, deleting the one this browser had (fixation: a cookie planted
 * before sign-in never becomes a signed-in session).
 */
export async function rotateSession(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  personId: string,
  options: { secondFactorPending: boolean; secure: boolean },
): Promise<void> {
  const previous = request.cookies[SESSION_COOKIE];
  const token = await db.transaction(null, async (tx) => {
    if (previous) await destroySession(tx, previous);
    return createSession(tx, personId, { secondFactorPending: options.secondFactorPending, userAgent: request.headers['user-agent'] });
  });
  setSessionCookie(reply, token, options.secure);
}
