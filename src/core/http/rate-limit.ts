// Fixed-window rate limits kept in this process's memory. With N processes behind a proxy each keeps
// its own counts (documented in docs/deployment.md); the limits are set so that this stays protective.
import { tooManyRequests } from './errors.ts';

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  readonly limit: number;
  readonly windowMs: number;
  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Throws a 429 HttpError when `key` went over the limit in the current window. */
  hit(key: string, now = Date.now()): void {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.prune(now);
    }
    w.count += 1;
    if (w.count > this.limit) throw tooManyRequests(Math.ceil((w.start + this.windowMs - now) / 1000));
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}
