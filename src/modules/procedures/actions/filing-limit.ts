// The limit on filings per client address. It is counted by the filing action itself (submitDossier),
// so every way in — the API (JSON or multipart), the HTML form and its mediation variant — is limited
// alike. A route that receives files counts the request before reading them (the same count: one request
// is counted once), so that a client over its limit writes nothing to disk. API tokens (integrations)
// are not limited here; everyone else is, per address (an IPv6 client per /64).
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../../core/db/database.ts';
import { clientAddressKey, RateLimiter } from '../../../core/base/rate-limit.ts';
import { HttpError } from '../../../core/base/errors.ts';
import type { Principal } from '../procedures.policy.ts';

/** Where a filing comes from: one object per request (filingClientOf), counted once. */
export interface FilingClient {
  readonly address: string;
}

const clients = new WeakMap<FastifyRequest, FilingClient>();

/** The client of a request, the same object for every call during that request. */
export function filingClientOf(request: FastifyRequest): FilingClient {
  let client = clients.get(request);
  if (!client) clients.set(request, (client = { address: clientAddressKey(request.ip) }));
  return client;
}

/** Filings per address and minute: generous, a mediation desk files for many people from one address. */
export function filingsPerMinute(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.BASTIDE_GUEST_SUBMISSIONS_PER_MINUTE) || 120;
}

export class FilingLimit {
  private readonly perMinute: RateLimiter;
  private readonly counted = new WeakSet<FilingClient>();
  constructor(perMinute = filingsPerMinute()) {
    this.perMinute = new RateLimiter(perMinute, 60_000);
  }

  /** Counts the filing of `client` (once per request); a 429 in the reader's language when over. */
  hit(p: Principal, client: FilingClient | null | undefined): void {
    if (!client || p.viaToken || this.counted.has(client)) return;
    this.counted.add(client);
    try {
      this.perMinute.hit(client.address);
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode !== 429) throw error;
      const seconds = (error.details as { retryAfterSeconds: number }).retryAfterSeconds;
      throw new HttpError(429, 'rate_limited', p.t('procedures.error.too_many_filings', { minutes: Math.max(1, Math.ceil(seconds / 60)) }), {
        retryAfterSeconds: seconds,
      });
    }
  }

  /** Addresses held (tests): bounded by the rate limiter's table. */
  get size(): number {
    return this.perMinute.size;
  }
}

const limits = new WeakMap<Database, FilingLimit>();

/** The limit of an installation (one per database, like the filing queue). */
export function filingLimitOf(db: Database): FilingLimit {
  let limit = limits.get(db);
  if (!limit) limits.set(db, (limit = new FilingLimit()));
  return limit;
}
