// Creating a debate with its phases, in one transaction with its journal entry.
//
//   createDebate(db, p, input: DebateInput, origin?): Promise<{ debate: DebateRow; phases: PhaseRow[] }>
//     the team (moderator, tenant_admin) creates a debate; 422 with localised messages per field, nothing written.
//   createDebateIn(tx, actor, t, input: DebateInput, origin?): same, inside the caller's transaction
//     (the kits part copies a kit into a debate and writes its documents and FAQ in the same transaction).
//   checkDebateInput(input, t): the field errors of a debate (empty when valid), without writing.
import type { Database, Tx } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { unprocessable } from '../../../core/base/errors.ts';
import { slugify } from '../../../core/territory/cog.ts';
import type { Translate } from '../../../core/i18n/i18n.ts';
import { requireModerator, type Principal } from '../debates.policy.ts';
import { LIMITS, PHASE_KINDS, type DebateInput } from '../debates.schema.ts';
import { insertDebate, insertPhases, slugTaken, type DebateRow, type NewPhase, type PhaseRow } from '../debates.repository.ts';
import { isDay } from '../phases.ts';
import { membersOfHost, setForMembers } from '../members.repository.ts';

export interface CreatedDebate {
  debate: DebateRow;
  phases: PhaseRow[];
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Field errors of a debate's setup, localised; empty when it may be written. */
export function checkDebateInput(input: DebateInput, t: Translate): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const long = (field: string, value: string | undefined, max: number, required = false) => {
    const text = (value ?? '').trim();
    if (required && !text) add(field, t('debates.error.required'));
    if (text.length > max) add(field, t('debates.error.too_long', { max, length: text.length }));
  };
  long('title', input.title, LIMITS.title, true);
  long('presentation', input.presentation, LIMITS.presentation);
  long('charter', input.charter, LIMITS.charter);
  if (input.slug !== undefined && !SLUG.test(input.slug)) add('slug', t('debates.error.slug'));
  if (!input.phases.length) add('phases', t('debates.error.phases_required'));
  if (input.phases.length > LIMITS.phases) add('phases', t('debates.error.too_many_phases', { max: LIMITS.phases }));
  let previousEnd = '';
  input.phases.forEach((phase, i) => {
    const at = `phases.${i}`;
    if (!(PHASE_KINDS as readonly string[]).includes(phase.kind)) add(`${at}.kind`, t('debates.error.phase_kind'));
    long(`${at}.title`, phase.title, LIMITS.title);
    long(`${at}.summary`, phase.summary, LIMITS.phaseSummary);
    long(`${at}.description`, phase.description, LIMITS.phaseDescription);
    if (!isDay(phase.starts_on)) add(`${at}.starts_on`, t('debates.error.day'));
    if (!isDay(phase.ends_on)) add(`${at}.ends_on`, t('debates.error.day'));
    if (isDay(phase.starts_on) && isDay(phase.ends_on)) {
      if (phase.ends_on < phase.starts_on) add(`${at}.ends_on`, t('debates.error.ends_before_start'));
      // Phases follow each other without overlapping: "the current phase" is always one or none.
      if (previousEnd && phase.starts_on <= previousEnd) add(`${at}.starts_on`, t('debates.error.phase_overlap'));
      previousEnd = phase.ends_on;
    }
  });
  return errors;
}

async function freeSlug(tx: Tx, wanted: string | undefined, title: string): Promise<string> {
  if (wanted) return wanted;
  const base = slugify(title).slice(0, 70) || 'concertation';
  let slug = base;
  for (let i = 2; await slugTaken(tx, slug); i++) slug = `${base}-${i}`;
  return slug;
}

export async function createDebateIn(
  tx: Tx,
  actor: string,
  t: Translate,
  input: DebateInput,
  origin: Record<string, unknown> | null = null,
): Promise<CreatedDebate> {
  const errors = checkDebateInput(input, t);
  if (Object.keys(errors).length) throw unprocessable(errors);
  const slug = await freeSlug(tx, input.slug, input.title);
  if (input.slug && (await slugTaken(tx, slug))) throw unprocessable({ slug: [t('debates.error.slug_taken')] });
  const debate = await insertDebate(tx, {
    slug,
    title: input.title.trim(),
    presentation: (input.presentation ?? '').trim(),
    status: input.status ?? 'draft',
    moderation: input.moderation ?? 'post',
    charter: (input.charter ?? '').trim(),
    origin,
  });
  if (input.for_members) {
    if (!(await membersOfHost(tx)).length) throw unprocessable({ for_members: [t('debates.members.error.none')] });
    await setForMembers(tx, debate.id, true);
  }
  const phases = await insertPhases(
    tx,
    debate.id,
    input.phases.map((phase, position): NewPhase => ({
      position,
      kind: phase.kind,
      title: phase.title?.trim() || t(`debates.phase.${phase.kind}`),
      description: (phase.description ?? '').trim(),
      summary: (phase.summary ?? '').trim(),
      starts_on: phase.starts_on,
      ends_on: phase.ends_on,
    })),
  );
  await journal(tx, {
    actor,
    action: 'debates.debate.create',
    subjectType: 'debate',
    subjectId: debate.id,
    data: { slug, phases: phases.length, moderation: debate.moderation, origin },
  });
  return { debate, phases };
}

export async function createDebate(db: Database, p: Principal, input: DebateInput, origin: Record<string, unknown> | null = null): Promise<CreatedDebate> {
  requireModerator(p);
  const errors = checkDebateInput(input, p.t);
  if (Object.keys(errors).length) throw unprocessable(errors);
  return db.transaction(p.tenantId, (tx) => createDebateIn(tx, p.actor, p.t, input, origin));
}
