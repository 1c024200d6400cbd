// Governance of a dataset: create, edit, submit for review, approve (publish), send back, archive. One
// transaction each, journaled; the policy (catalogue.policy.ts) says who, the state says when.
import type { Database } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { conflict, forbidden, notFound, unprocessable } from '../../../core/base/errors.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { canApprove, editable, requirePreparer, TRANSITIONS, type Principal, type Transition } from '../catalogue.policy.ts';
import { findDataset, insertDataset, setDatasetState, slugTaken, updateDatasetFields, type DatasetRow } from '../catalogue.repository.ts';
import { readDatasetInput, slugify, type DatasetInput } from '../dataset-input.ts';

export async function createDataset(db: Database, p: Principal, input: DatasetInput): Promise<{ id: string; slug: string }> {
  requirePreparer(p);
  const read = readDatasetInput(input, p.t);
  if (!read.ok) throw unprocessable(read.errors);
  return db.transaction(p.tenantId, async (tx) => {
    const base = slugify(read.fields.title);
    let slug = base;
    for (let n = 2; await slugTaken(tx, slug); n++) slug = `${base}-${n}`;
    const id = await insertDataset(tx, slug, read.fields, p.personId);
    await journal(tx, { actor: p.actor, action: 'catalogue.dataset.create', subjectType: 'dataset', subjectId: id, data: { slug, title: read.fields.title } });
    return { id, slug };
  });
}

/** The dataset of a staff request (a preparer or approver of this collectivité); 404 when it is not there. */
export async function loadForStaff(db: Database, p: Principal, id: string): Promise<DatasetRow> {
  if (!canApprove(p)) requirePreparer(p);
  if (!isUuid(id)) throw notFound();
  const d = await db.transaction(p.tenantId, (tx) => findDataset(tx, id));
  if (!d) throw notFound();
  return d;
}

export async function updateDataset(db: Database, p: Principal, id: string, input: DatasetInput): Promise<void> {
  requirePreparer(p);
  if (!isUuid(id)) throw notFound();
  await db.transaction(p.tenantId, async (tx) => {
    const d = await findDataset(tx, id, true);
    if (!d) throw notFound();
    if (!editable(d.state)) throw conflict(p.t('catalogue.error.not_editable'));
    const read = readDatasetInput(input, p.t, d.custom_schema);
    if (!read.ok) throw unprocessable(read.errors);
    // Marking a published dataset as holding personal data takes it through review again: that decision is the administrator's.
    if (d.state === 'published' && read.fields.personal_data && !d.personal_data) {
      throw unprocessable({ personal_data: [p.t('catalogue.error.personal_data_published')] });
    }
    await updateDatasetFields(tx, id, read.fields);
    const changed = Object.keys(read.fields).filter(
      (k) => JSON.stringify(read.fields[k as keyof typeof read.fields]) !== JSON.stringify(d[k as keyof DatasetRow]),
    );
    await journal(tx, { actor: p.actor, action: 'catalogue.dataset.update', subjectType: 'dataset', subjectId: id, data: { changed } });
  });
}

export interface TransitionInput {
  /** The administrator's comment when sending back. */
  comment?: string;
  /** The recorded decision to publish a dataset holding personal data (why it may be opened). */
  decision?: string;
}

export async function transitionDataset(
  db: Database,
  p: Principal,
  id: string,
  transition: Transition,
  input: TransitionInput = {},
): Promise<DatasetRow['state']> {
  const rule = TRANSITIONS[transition];
  if (rule.who === 'approver' ? !canApprove(p) : false) throw forbidden();
  if (rule.who === 'preparer') requirePreparer(p);
  if (!isUuid(id)) throw notFound();
  return db.transaction(p.tenantId, async (tx) => {
    const d = await findDataset(tx, id, true);
    if (!d) throw notFound();
    if (!(rule.from as readonly string[]).includes(d.state)) throw conflict(p.t('catalogue.error.transition', { state: p.t(`catalogue.state.${d.state}`) }));
    const data: Record<string, unknown> = { from: d.state, to: rule.to };
    let decision: string | null = null;
    let comment: string | null | undefined;
    if (transition === 'approve' && d.personal_data) {
      decision = (input.decision ?? '').trim();
      if (decision.length < 10) throw unprocessable({ decision: [p.t('catalogue.error.decision_required')] });
      if (decision.length > 5000) throw unprocessable({ decision: [p.t('catalogue.error.too_long', { max: 5000 })] });
      data.personal_data_decision = decision;
    }
    if (transition === 'send_back') {
      comment = (input.comment ?? '').trim().slice(0, 5000) || null;
      data.comment = comment;
    }
    if (transition === 'submit') comment = null;
    await setDatasetState(tx, id, rule.to, { reviewComment: comment, decision });
    await journal(tx, { actor: p.actor, action: `catalogue.dataset.${transition}`, subjectType: 'dataset', subjectId: id, data });
    return rule.to;
  });
}
