// Fixed-window rate limits kept in this process's memory. With N processes behind a proxy each keeps
// its own counts (documented in docs/deployment.md); the limits are set so that this stays protective.
// Keys come from clients (addresses, emails, slugs): the table of windows is bounded (maxKeys), so a
// flood of new keys costs a bounded amount of memory; past the bound, expired windows go first, then the
// oldest ones (whose count restarts: the price of a bounded table, docs/architecture.md).
import { isIP } from 'node:net';
import { tooManyRequests } from './errors.ts';

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  readonly limit: number;
  readonly windowMs: number;
  readonly maxKeys: number;
  constructor(limit: number, windowMs: number, options: { maxKeys?: number } = {}) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.maxKeys = options.maxKeys ?? 50_000;
  }

  /** Throws a 429 HttpError when `key` went over the limit in the current window. */
  hit(key: string, now = Date.now()): void {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (w) this.windows.delete(key);
      else if (this.windows.size >= this.maxKeys) this.makeRoom(now);
      w = { start: now, count: 0 };
      // Insertion order is window start order: the first entries are the oldest windows.
      this.windows.set(key, w);
    }
    w.count += 1;
    if (w.count > this.limit) throw tooManyRequests(Math.ceil((w.start + this.windowMs - now) / 1000));
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  /** Keys held (tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private makeRoom(now: number): void {
    // Windows are in start order: the expired ones are at the front.
    for (const [key, w] of this.windows) {
      if (now - w.start < this.windowMs) break;
      this.windows.delete(key);
    }
    // Still full: drop the oldest tenth at once, so that a flood does not pay this on every request.
    if (this.windows.size >= this.maxKeys) {
      let drop = Math.max(1, Math.floor(this.maxKeys / 10));
      for (const key of this.windows.keys()) {
        if (drop-- <= 0) break;
        this.windows.delete(key);
      }
    }
  }
}

/**
 * The key of a client address for per-address limits: an IPv4 address as is, an IPv6 address by its /64
 * prefix (one subscriber or host usually holds a whole /64, and could otherwise use a new address per
 * request), an IPv4-mapped IPv6 address as the IPv4 address.
 */
export function clientAddressKey(ip: string): string {
  const address = ip.split('%')[0]!;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const [head, tail] = address.toLowerCase().split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []).flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${all
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
