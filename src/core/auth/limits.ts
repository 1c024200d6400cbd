// Rate limits of the sign-in pages. Counted in this process's memory (see docs/authentication.md: with
// N processes each keeps its own counts). Exceeding one gives a localised 429 page with Retry-After.
import type { FastifyRequest } from 'fastify';
import { RateLimiter } from '../base/rate-limit.ts';
import { HttpError } from '../base/errors.ts';

const MINUTE = 60_000;

export class AuthLimits {
  /** Password guesses against one account, whoever makes them. */
  readonly signInEmail = new RateLimiter(10, 15 * MINUTE);
  /** Password spraying from one address over many accounts. */
  readonly signInIp = new RateLimiter(50, 15 * MINUTE);
  /** TOTP codes for one pending session: a million codes, five tries per quarter hour. */
  readonly totp = new RateLimiter(5, 15 * MINUTE);
  /** Reset mails to one address (mailbox flooding) and from one client. */
  readonly resetEmail = new RateLimiter(3, 60 * MINUTE);
  readonly resetIp = new RateLimiter(20, 60 * MINUTE);
  /** Accounts created from one client. */
  readonly signUpIp = new RateLimiter(20, 60 * MINUTE);

  /** Counts one attempt; throws a 429 whose page says when to come back. */
  hit(request: FastifyRequest, limiter: RateLimiter, key: string): void {
    try {
      limiter.hit(key);
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode !== 429) throw error;
      const seconds = (error.details as { retryAfterSeconds: number }).retryAfterSeconds;
      const minutes = Math.max(1, Math.ceil(seconds / 60));
      throw new HttpError(429, 'rate_limited', request.ctx.t('auth.rate_limited', { minutes }), { retryAfterSeconds: seconds });
    }
  }
}
