// CSRF protection for HTML forms, signed double-submit: a random cookie per browser, and in each form
// an HMAC of it under the installation secret. Works before sign-in (guest filing, sign-in form).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CSRF_COOKIE = 'bastide_csrf';

export function newCsrfCookie(): string {
  return randomBytes(24).toString('base64url');
}

export function csrfTokenFor(secret: string, cookie: string): string {
  return createHmac('sha256', secret).update(`csrf:${cookie}`).digest('base64url');
}

export function csrfTokenValid(secret: string, cookie: string | undefined, token: unknown): boolean {
  if (!cookie || typeof token !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(secret, cookie));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
