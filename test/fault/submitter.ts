// A client of the submission API for the fault tests: concurrent loops posting guest submissions, each
// with its own Idempotency-Key, remembering which were acknowledged (201) and with which dossier.
import { randomUUID } from 'node:crypto';
import { guestSubmission } from '../../bench/fixtures/form20.ts';

export interface Attempt {
  key: string;
  n: number;
  status: number | null;
  /** The dossier number the server acknowledged. */
  number: number | null;
  error?: string;
}

export function dossierNumberOf(body: unknown): number | null {
  const b = body as { number?: unknown; dossier?: { number?: unknown } } | null;
  const n = b?.dossier?.number ?? b?.number;
  return typeof n === 'number' ? n : typeof n === 'string' && /^\d+$/.test(n) ? Number(n) : null;
}

export async function submitOnce(url: string, key: string, n: number, timeoutMs = 15_000): Promise<Attempt> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(guestSubmission(n)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { key, n, status: res.status, number: dossierNumberOf(body), error: res.ok ? undefined : text.slice(0, 300) };
  } catch (error) {
    return { key, n, status: null, number: null, error: (error as Error).message };
  }
}

/** Loops posting until stop() is called; every attempt (answered or not) is kept. */
export function startSubmitting(url: () => string, options: { concurrency: number; keyPrefix: string }) {
  const attempts: Attempt[] = [];
  let next = 0;
  let stopped = false;
  const loops = Array.from({ length: options.concurrency }, async () => {
    while (!stopped) {
      const n = next++;
      // A key is a random secret of at least 32 characters (submit-dossier.ts).
      const attempt = await submitOnce(url(), `${options.keyPrefix}-${n}-${randomUUID()}`, n);
      attempts.push(attempt);
      // A refused connection (server gone) must not spin: the test decides when to stop.
      if (attempt.status === null) await new Promise((r) => setTimeout(r, 50));
    }
  });
  return {
    attempts,
    acknowledged: () => attempts.filter((a) => a.status === 201),
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return attempts;
    },
  };
}
