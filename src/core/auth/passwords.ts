// Password hashing with argon2id from Node's own crypto (Node.js ≥ 24.7), in the PHC string format so
// that parameters can be raised later without breaking existing hashes. Parameters: OWASP's minimum
// recommendation (19 MiB, 2 passes, 1 lane).
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { HttpError } from '../base/errors.ts';

const PARAMS = { memory: 19456, passes: 2, parallelism: 1, tagLength: 32 };

/**
 * A counting semaphore with a bounded queue: at most `size` holders at once, at most `maxWaiting` callers
 * waiting; one more is refused at once (WorkSlotsFull) rather than queued without end.
 */
export class WorkSlots {
  readonly size: number;
  readonly maxWaiting: number;
  active = 0;
  private readonly queue: Array<() => void> = [];
  constructor(size: number, maxWaiting: number) {
    this.size = size;
    this.maxWaiting = maxWaiting;
  }
  get waiting(): number {
    return this.queue.length;
  }
  /** A slot; call the returned function once to give it back (to the next waiting caller, if any). */
  acquire(): Promise<() => void> {
    if (this.active < this.size) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.maxWaiting) return Promise.reject(new WorkSlotsFull());
    return new Promise((resolve) => this.queue.push(() => resolve(this.releaser())));
  }
  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.queue.shift();
      // Handed over: the slot stays taken by the next caller.
      if (next) next();
      else this.active -= 1;
    };
  }
}

export class WorkSlotsFull extends Error {}

/**
 * Argon2 runs on libuv's thread pool (UV_THREADPOOL_SIZE, 4 by default), which file reads and writes share:
 * a burst of anonymous sign-in, sign-up or reset requests must neither queue unbounded 19 MiB derivations
 * nor take every thread from file I/O. So at most 2 × cores derivations at once, never the whole pool, and
 * 32 waiting per slot; past that the request gets a 503 with Retry-After.
 */
const POOL = Number(process.env.UV_THREADPOOL_SIZE) || 4;
const ARGON2_SLOTS = Math.max(1, Math.min(2 * availableParallelism(), POOL - 1));
export const argon2Slots = new WorkSlots(ARGON2_SLOTS, 32 * ARGON2_SLOTS);

/** Derivations computed by this process, and the most ever running at once (tests and metrics read them). */
export const argon2Stats = { computed: 0, peak: 0 };

async function derive(password: string, nonce: Buffer, p: typeof PARAMS): Promise<Buffer> {
  let release: () => void;
  try {
    release = await argon2Slots.acquire();
  } catch (error) {
    if (error instanceof WorkSlotsFull) throw new HttpError(503, 'busy', 'busy', { retryAfterSeconds: 2 });
    throw error;
  }
  try {
    argon2Stats.computed += 1;
    argon2Stats.peak = Math.max(argon2Stats.peak, argon2Slots.active);
    return await new Promise<Buffer>((resolve, reject) => {
      argon2('argon2id', { message: password, nonce, memory: p.memory, passes: p.passes, parallelism: p.parallelism, tagLength: p.tagLength }, (error, key) =>
        error ? reject(error) : resolve(key),
      );
    });
  } finally {
    release();
  }
}

export async function hashPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const key = await derive(password, nonce, PARAMS);
  return `$argon2id$v=19$m=${PARAMS.memory},t=${PARAMS.passes},p=${PARAMS.parallelism}$${nonce.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(hash ?? '');
  if (!match) {
    // Same work whether or not the account exists, so timing does not reveal registered emails.
    await derive(password, randomBytes(16), PARAMS);
    return false;
  }
  const expected = Buffer.from(match[5]!, 'base64url');
  const key = await derive(password, Buffer.from(match[4]!, 'base64url'), {
    memory: Number(match[1]),
    passes: Number(match[2]),
    parallelism: Number(match[3]),
    tagLength: expected.length,
  });
  return timingSafeEqual(key, expected);
}

/** Minimal policy (ANSSI / CNIL guidance): length matters more than composition. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < 12) problems.push('too_short');
  if (password.length > 256) problems.push('too_long');
  return problems;
}
