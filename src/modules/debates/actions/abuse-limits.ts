// Limits on what a participant can post: contributions and comments per person and per client address
// (an IPv6 client per /64), counted before any check so that refused attempts count too (as procedures'
// filing limit). Kept in this process's memory (core/base/rate-limit.ts; N processes each keep their
// own). Limits are set by the installation (environment), generous enough for a mediation desk.
import type { Database } from '../../../core/db/database.ts';
import { RateLimiter } from '../../../core/base/rate-limit.ts';
import { HttpError } from '../../../core/base/errors.ts';
import type { Principal } from '../debates.policy.ts';

const WINDOW_MS = 10 * 60_000;

function setting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export class DebateLimits {
  private readonly contributionsPerPerson: RateLimiter;
  private readonly contributionsPerAddress: RateLimiter;
  private readonly commentsPerPerson: RateLimiter;
  private readonly commentsPerAddress: RateLimiter;
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.contributionsPerPerson = new RateLimiter(setting(env, 'BASTIDE_DEBATES_CONTRIBUTIONS_PER_PERSON', 10), WINDOW_MS);
    this.contributionsPerAddress = new RateLimiter(setting(env, 'BASTIDE_DEBATES_CONTRIBUTIONS_PER_ADDRESS', 60), WINDOW_MS);
    this.commentsPerPerson = new RateLimiter(setting(env, 'BASTIDE_DEBATES_COMMENTS_PER_PERSON', 30), WINDOW_MS);
    this.commentsPerAddress = new RateLimiter(setting(env, 'BASTIDE_DEBATES_COMMENTS_PER_ADDRESS', 120), WINDOW_MS);
  }

  contribution(p: Principal): void {
    this.hit(p, this.contributionsPerPerson, this.contributionsPerAddress, 'debates.error.too_many_contributions');
  }

  comment(p: Principal): void {
    this.hit(p, this.commentsPerPerson, this.commentsPerAddress, 'debates.error.too_many_comments');
  }

  private hit(p: Principal, perPerson: RateLimiter, perAddress: RateLimiter, message: string): void {
    try {
      // An API token is an integration: limited per person, not per address (as procedures' filings).
      if (p.address && !p.viaToken) {
        try {
          perAddress.hit(`${p.tenantId}:${p.address}`);
        } catch (error) {
          throw localised(p, error, 'debates.error.too_many_from_address');
        }
      }
      if (p.personId) perPerson.hit(`${p.tenantId}:${p.personId}`);
    } catch (error) {
      throw localised(p, error, message);
    }
  }
}

function localised(p: Principal, error: unknown, message: string): unknown {
  if (!(error instanceof HttpError) || error.statusCode !== 429) return error;
  if (error.message !== 'rate_limited') return error; // already worded
  const seconds = (error.details as { retryAfterSeconds: number }).retryAfterSeconds;
  return new HttpError(429, 'rate_limited', p.t(message, { minutes: Math.max(1, Math.ceil(seconds / 60)) }), { retryAfterSeconds: seconds });
}

const limits = new WeakMap<Database, DebateLimits>();

/** The limits of an installation (one per database, like procedures' filing limit). */
export function debateLimitsOf(db: Database): DebateLimits {
  let limit = limits.get(db);
  if (!limit) limits.set(db, (limit = new DebateLimits()));
  return limit;
}
