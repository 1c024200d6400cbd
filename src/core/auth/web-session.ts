// The session cookie and the redirects around sign-in: rotation at every sign-in, same-site `next` only.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { createSession, destroySession, SESSION_COOKIE, SESSION_DAYS } from './sessions.ts';

/** Only a path of this site: `/x`, never `//host`, `/\host` or an absolute URL. */
export function safeNext(value: unknown, fallback = '/account'): string {
  if (typeof value !== 'string' || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\r\n]/.test(value)) return fallback;
  return value;
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
export async function rotateSession(db: Database, request: FastifyRequest, reply: FastifyReply, personId: string,
  options: { secondFactorPending: boolean; secure: boolean }): Promise<void> {
  const previous = request.cookies[SESSION_COOKIE];
  const token = await db.transaction(null, async (tx) => {
    if (previous) await destroySession(tx, previous);
    return createSession(tx, personId, { secondFactorPending: options.secondFactorPending, userAgent: request.headers['user-agent'] });
  });
  setSessionCookie(reply, token, options.secure);
}
