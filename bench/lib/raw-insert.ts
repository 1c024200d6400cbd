// The limit of the submission benchmark: the rows one submission writes (dossier with its search vector,
// first history step, journal entry, notification job), inserted directly with the same driver and the
// same number of concurrent clients, one transaction each, as the application role under RLS. No HTTP,
// no validation, no JSON parsing: what the database and driver alone can take.
import { createHmac } from 'node:crypto';
import type { Database } from '../../src/core/db/database.ts';
import { uuidv7 } from '../../src/core/db/ids.ts';
import { searchableText, validateAnswers } from '../../src/modules/procedures/fields/answers.ts';
import { translator } from '../../src/core/i18n/i18n.ts';
import { FORM20, guestSubmission } from '../fixtures/form20.ts';
import type { BenchTenant } from './setup.ts';

/** Prepared bodies (validated once, outside the timed loop). */
function prepare(count: number): Array<{ email: string; data: string; search: string }> {
  const t = translator('fr');
  const out = [];
  for (let i = 0; i < count; i++) {
    const body = guestSubmission(1_000_000 + i);
    const checked = validateAnswers(FORM20.fields, body.data, t);
    if (!checked.ok) throw new Error(`fixture ${i} invalid: ${JSON.stringify(checked.errors)}`);
    out.push({ email: body.email, data: JSON.stringify(checked.data), search: searchableText(checked.data) });
  }
  return out;
}

export async function insertOne(db: Database, b: BenchTenant, body: { email: string; data: string; search: string }, key: string): Promise<void> {
  await db.transaction(b.tenantId, async (tx) => {
    const id = uuidv7();
    const row = await tx.one<{ number: number }>(
      `insert into dossiers (tenant_id, id, procedure_id, revision, state, applicant_email, data, search, idempotency_key, submitted_at)
       values (app_tenant(), $1, $2, $3, 'en_construction', $4, $5, to_tsvector('french_unaccent', $6), $7, now())
       returning number`,
      // The server stores an HMAC of the key and the request, never the key (submit-dossier.ts).
      [id, b.procedureId, b.revision, body.email, body.data, body.search, createHmac('sha256', 'bench').update(key).update(body.data).digest('hex')],
    );
    await tx.query(
      `insert into dossier_transitions (tenant_id, dossier_id, seq, from_state, to_state, actor) values (app_tenant(), $1, 1, null, 'en_construction', $2)`,
      [id, `guest:${body.email}`],
    );
    await tx.query(
      `insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data) values ($1, $2, now(), $3, 'procedures.dossier.submit', 'dossier', $4, $5)`,
      [
        b.tenantId,
        uuidv7(),
        `guest:${body.email}`,
        id,
        JSON.stringify({ number: row!.number, procedure: b.procedureId, revision: b.revision, mediated: false }),
      ],
    );
    await tx.query(`insert into jobs (tenant_id, kind, payload, run_at, max_attempts) values ($1, 'procedures.dossier.notify', $2, now(), 8)`, [
      b.tenantId,
      JSON.stringify({ dossierId: id, event: 'submitted' }),
    ]);
  });
}

/** Runs `concurrency` loops inserting for `seconds`; returns dossiers per second. */
export async function rawInsertRate(
  db: Database,
  b: BenchTenant,
  options: { concurrency: number; seconds: number; keyPrefix: string },
): Promise<{ rate: number; count: number }> {
  const bodies = prepare(500);
  let count = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const started = performance.now();
  const loop = async (worker: number) => {
    let i = 0;
    while (performance.now() < deadline) {
      await insertOne(db, b, bodies[(worker * 31 + i) % bodies.length]!, `${options.keyPrefix}-${worker}-${i}`);
      i += 1;
      count += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, w) => loop(w)));
  const elapsed = (performance.now() - started) / 1000;
  return { rate: count / elapsed, count };
}
