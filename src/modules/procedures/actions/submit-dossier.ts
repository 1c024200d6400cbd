// Filing a dossier: as a guest (email, then a number and a private tracking code), signed in, through an
// API token, or by a mediator with the recorded consent of the person helped. One transaction: load the
// published revision, validate, route, then one statement inserts the dossier, its history, journal entry and jobs.
//
// Group commit: filings that reach one collectivité while an earlier one is being written wait for it,
// then are written together by one transaction and one statement (a commit costs a write to disk and
// every statement a round trip; see docs/performance.md). A lone filing is written at once, so batching
// adds no delay when the platform is quiet. Each filing is validated on its own and gets its own answer;
// if the shared statement fails, every filing of the batch is written again alone, so that one bad
// filing fails only itself. An answer is given only after the commit that holds its dossier.
import { createHash, createHmac } from 'node:crypto';
import type { Database } from '../../../core/db/database.ts';
import { jobSignals } from '../../../core/jobs/queue.ts';
import { uuidv7 } from '../../../core/db/ids.ts';
import { grants } from '../../../core/base/roles.ts';
import { HttpError, notFound, unprocessable } from '../../../core/base/errors.ts';
import type { Principal } from '../procedures.policy.ts';
import { findProcedureForFiling, findRevision, type ProcedureRow } from '../procedures.repository.ts';
import { findDossierByIdempotencyKey, insertDossiers, type DossierRow, type FilingRecords, type NewDossier } from '../dossiers.repository.ts';
import { evaluateCondition } from '../fields/conditions.ts';
import { validateAnswers, searchableText } from '../fields/answers.ts';
import { checkValue, type FileAnswer } from '../fields/values.ts';
import { filingLimitOf, type FilingClient } from './filing-limit.ts';
import type { Answers } from '../fields/conditions.ts';
import { dossierEventJobs } from '../dossier-events.ts';
import { trackingCodeFor, trackingCodeHash } from '../tracking-code.ts';
import { fileAnswersOf, recordDossierFile } from './record-files.ts';

export interface SubmitInput {
  /** Procedure id or slug. */
  procedure: string;
  data: unknown;
  /** Required from a guest (no person); optional otherwise. */
  email?: unknown;
  /** Checked uploads of file fields by path (`key`, `block.0.key`); their blobs are stored already. */
  files?: Record<string, FileAnswer[]>;
  idempotencyKey?: string | null;
  /** A mediator's filing: the consent of the person helped (who, how, when). */
  mediation?: { name?: unknown; how?: unknown; given_at?: unknown } | null;
  /** Save as a draft (brouillon): nothing required yet, no notification. */
  draft?: boolean;
  /** The client of a request (filingClientOf): its filings are limited per address (filing-limit.ts). */
  client?: FilingClient | null;
}

export interface SubmitResult {
  dossier: DossierRow;
  procedure: ProcedureRow;
  /** The private tracking code of a dossier without an account, shown once; null on a retry or with an account. */
  trackingCode: string | null;
  /** False when an Idempotency-Key retry returned the dossier filed the first time. */
  created: boolean;
}

function checkMediation(p: Principal, input: SubmitInput['mediation']): Record<string, unknown> | null {
  if (!input) return null;
  const errors: Record<string, string[]> = {};
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  const how = typeof input.how === 'string' ? input.how.trim() : '';
  if (!name || name.length > 200 || !how || how.length > 500) errors.mediation = [p.t('procedures.error.consent')];
  const at = typeof input.given_at === 'string' && !Number.isNaN(Date.parse(input.given_at)) ? new Date(input.given_at) : new Date();
  if (Object.keys(errors).length) throw unprocessable(errors);
  if (!grants(p.roles, 'mediator') || !p.personId) throw new HttpError(403, 'forbidden');
  return { mediator_person_id: p.personId, consent: { name, how, given_at: at.toISOString() } };
}

interface Filing {
  p: Principal;
  input: SubmitInput;
  key: string | null;
  email: string | null;
  mediation: Record<string, unknown> | null;
}

type Outcome = { ok: true; result: SubmitResult } | { ok: false; error: unknown };

export async function submitDossier(deps: { db: Database; secret: string }, p: Principal, input: SubmitInput): Promise<SubmitResult> {
  // First, before any check: invalid filings count too (the limit protects the server, not only the table).
  filingLimitOf(deps.db).hit(p, input.client);
  const key = input.idempotencyKey ?? null;
  if (key !== null && !IDEMPOTENCY_KEY.test(key)) throw unprocessable({ 'Idempotency-Key': [p.t('procedures.error.idempotency_key')] });
  let email: string | null = null;
  if (input.email !== undefined && input.email !== null && input.email !== '') {
    const checked = checkValue({ key: 'email', label: 'email', type: 'email' }, input.email, p.t);
    if ('errors' in checked) throw unprocessable({ email: checked.errors });
    email = checked.value as string;
  } else if (!p.personId && !p.viaToken) throw unprocessable({ email: [p.t('procedures.error.email_required')] });
  const mediation = checkMediation(p, input.mediation);
  return filingQueueOf(deps).add({ p, input, key, email, mediation });
}

/** Queues of filings waiting for a transaction, per collectivité (row-level security scopes a transaction to one). */
class FilingQueue {
  /** Filings written by one statement, at most. */
  static readonly MAX_BATCH = 64;
  /** Batches of one collectivité written at the same time, at most (the others wait and grow). */
  static readonly MAX_WRITING = 2;
  private readonly waiting = new Map<string, Array<{ filing: Filing; resolve: (r: SubmitResult) => void; reject: (e: unknown) => void }>>();
  private readonly writing = new Map<string, number>();
  private readonly deps: { db: Database; secret: string };

  constructor(deps: { db: Database; secret: string }) {
    this.deps = deps;
  }

  add(filing: Filing): Promise<SubmitResult> {
    return new Promise((resolve, reject) => {
      const tenantId = filing.p.tenantId;
      const queue = this.waiting.get(tenantId) ?? [];
      queue.push({ filing, resolve, reject });
      this.waiting.set(tenantId, queue);
      this.pump(tenantId);
    });
  }

  private pump(tenantId: string): void {
    const queue = this.waiting.get(tenantId);
    while (queue?.length && (this.writing.get(tenantId) ?? 0) < FilingQueue.MAX_WRITING) {
      const batch = queue.splice(0, FilingQueue.MAX_BATCH);
      if (queue.length === 0) this.waiting.delete(tenantId);
      this.writing.set(tenantId, (this.writing.get(tenantId) ?? 0) + 1);
      void this.write(tenantId, batch).finally(() => {
        const left = (this.writing.get(tenantId) ?? 1) - 1;
        if (left > 0) this.writing.set(tenantId, left);
        else this.writing.delete(tenantId);
        this.pump(tenantId);
      });
    }
  }

  private async write(tenantId: string, batch: Array<{ filing: Filing; resolve: (r: SubmitResult) => void; reject: (e: unknown) => void }>): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await fileTogether(
        this.deps,
        tenantId,
        batch.map((b) => b.filing),
      );
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // The shared statement failed: written again one by one, only the filing at fault fails.
      for (const one of batch) await this.write(tenantId, [one]);
      return;
    }
    outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.result) : batch[i]!.reject(o.error)));
  }
}

const queues = new WeakMap<Database, FilingQueue>();

function filingQueueOf(deps: { db: Database; secret: string }): FilingQueue {
  let queue = queues.get(deps.db);
  if (!queue) queues.set(deps.db, (queue = new FilingQueue(deps)));
  return queue;
}

/**
 * Files every filing of one collectivité in one transaction. An error of one filing (not published,
 * invalid answers) is its outcome and leaves the others alone; any other
 * error rolls the whole transaction back and is thrown.
 */
async function fileTogether(deps: { db: Database; secret: string }, tenantId: string, filings: Filing[]): Promise<Outcome[]> {
  const { db, secret } = deps;
  return db.transaction(tenantId, async (tx) => {
    const outcomes = new Array<Outcome>(filings.length);
    const procedures = new Map<string, Awaited<ReturnType<typeof findProcedureForFiling>>>();
    const prepared: Array<{ index: number; dossier: NewDossier; records: FilingRecords; procedure: ProcedureRow; trackingCode: string | null; data: Answers }> =
      [];
    const settle = async (index: number, fn: () => Promise<SubmitResult | null>) => {
      try {
        const result = await fn();
        if (result) outcomes[index] = { ok: true, result };
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        outcomes[index] = { ok: false, error };
      }
    };
    for (const [index, f] of filings.entries()) {
      await settle(index, async () => {
        const { p, input, key, email, mediation } = f;
        if (!procedures.has(input.procedure)) procedures.set(input.procedure, await findProcedureForFiling(tx, input.procedure));
        const procedure = procedures.get(input.procedure);
        if (!procedure || procedure.state !== 'published' || !procedure.current_revision) throw notFound(p.t('procedures.error.not_published'));
        const revision = (await findRevision(tx, procedure.id, procedure.current_revision))!;
        const digest = key ? idempotencyDigest(secret, tenantId, procedure.id, p, key, f) : null;
        const checked = validateAnswers(revision.definition.fields, input.data, p.t, { files: input.files, partial: input.draft });
        if (!checked.ok) {
          // A retry (same key, same request) is answered with the dossier filed the first time even if
          // the procedure changed since.
          const previous = digest ? await findDossierByIdempotencyKey(tx, digest) : null;
          if (previous) return replay(p, previous, procedure, secret);
          throw unprocessable(checked.errors);
        }
        const id = uuidv7();
        // A guest is named by the email given (history and journal alike); others by their principal.
        const actor = p.personId || p.viaToken ? p.actor : `guest:${email}`;
        // The applicant: the signed-in person, or nobody with an account (a guest, a person helped by a
        // mediator, an integration's filing), who then follows the dossier with the private tracking code.
        const applicantPersonId = mediation ? null : p.personId;
        const trackingCode = applicantPersonId ? null : trackingCodeFor(secret, tenantId, id);
        prepared.push({
          index,
          procedure,
          trackingCode,
          data: checked.data,
          dossier: {
            id,
            procedureId: procedure.id,
            revision: revision.revision,
            state: input.draft ? 'brouillon' : 'en_construction',
            groupId: procedure.rules.find((r) => evaluateCondition(r.condition, checked.data))?.group_id ?? null,
            applicantPersonId,
            applicantEmail: email,
            mediation,
            data: checked.data,
            searchText: searchableText(checked.data),
            trackingCodeHash: trackingCode ? trackingCodeHash(trackingCode) : null,
            idempotencyKey: digest,
          },
          records: {
            actor,
            journal: {
              id: uuidv7(),
              action: input.draft ? 'procedures.dossier.draft' : 'procedures.dossier.submit',
              data: { procedure: procedure.id, revision: revision.revision, mediated: !!mediation },
            },
            jobs: input.draft ? [] : dossierEventJobs(procedure, { dossierId: id, event: 'submitted' }),
          },
        });
        return null;
      });
    }
    // No look-up of the Idempotency-Keys first: the insert skips a used key (on conflict do nothing) and
    // only then is the first dossier loaded, so first filings cost one statement for all their rows.
    const inserted = new Map((await insertDossiers(tx, prepared)).map((d) => [d.id, d]));
    let queued = false;
    for (const item of prepared) {
      const f = filings[item.index]!;
      await settle(item.index, async () => {
        const dossier = inserted.get(item.dossier.id);
        if (!dossier) return replay(f.p, (await findDossierByIdempotencyKey(tx, item.dossier.idempotencyKey!))!, item.procedure, secret);
        for (const { key: fieldKey, file } of fileAnswersOf(item.data)) await recordDossierFile(tx, dossier.id, file, { fieldKey });
        queued ||= item.records.jobs.length > 0;
        return { dossier, procedure: item.procedure, trackingCode: item.trackingCode, created: true };
      });
    }
    if (queued) tx.afterCommit(() => jobSignals.emit('enqueued'));
    return outcomes;
  });
}

/** A retry: the dossier filed the first time by the same request (see idempotencyDigest). */
function replay(p: Principal, previous: DossierRow, procedure: ProcedureRow, secret: string): SubmitResult {
  const trackingCode = previous.applicant_person_id ? null : trackingCodeFor(secret, p.tenantId, previous.id);
  return { dossier: previous, procedure, trackingCode, created: false };
}

/** An Idempotency-Key: a random secret of the client's, 32 to 200 visible ASCII characters (a UUID will do). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{32,200}$/;

/**
 * What is stored of an Idempotency-Key (issue 10, row 7): an HMAC, under the installation secret, of the
 * key with the collectivité, the procedure, the caller (a person, a token, or any guest) and a hash of the
 * whole request (email, answers, files, consent, draft or not). A retry finds its dossier only by sending
 * the same key and the same request from the same caller; anything else (someone else's key, another
 * body, another procedure or caller) is a first filing, answered exactly as an unknown key would be: no
 * 409, no "already used", nothing to learn about another filing. A guest's key is the secret that proves
 * the retry comes from the same client, which is why it must be long and random; the key itself is
 * never stored, so the table cannot be used to replay.
 */
function idempotencyDigest(secret: string, tenantId: string, procedureId: string, p: Principal, key: string, f: Filing): string {
  const caller = p.personId ? `person:${p.personId}` : p.viaToken ? p.actor : 'guest';
  const files = Object.entries(f.input.files ?? {}).map(([path, list]) => [path, list.map((x) => [x.sha256, x.filename, x.size, x.content_type])]);
  const request = createHash('sha256')
    .update(JSON.stringify([f.email, f.input.data ?? null, files, f.input.mediation ?? null, !!f.input.draft]))
    .digest('hex');
  return createHmac('sha256', secret)
    .update(JSON.stringify(['idempotency', tenantId, procedureId, caller, key, request]))
    .digest('hex');
}
