// Results of a debate: the collectivité's official answer to a question or a proposal (status retained /
// studied / not retained, and its text), the published synthesis, and the contributions as an anonymised
// open dataset of the catalogue (no names, no person ids, hidden or waiting contributions left out),
// refreshed by a job (queueDatasetRefresh) each time an answer or the synthesis is published, a visible
// contribution is posted, or the team hides, shows or lets through a text.
import type { Database, Tx } from '../../../../core/db/database.ts';
import type { AppDeps } from '../../../../core/module.ts';
import { journal } from '../../../../core/audit/journal.ts';
import { enqueue } from '../../../../core/jobs/queue.ts';
import { notFound, unprocessable } from '../../../../core/base/errors.ts';
import { requireModerator, type Principal } from '../../debates.policy.ts';
import { findDebate, type DebateRow } from '../../debates.repository.ts';
import { ANSWER_STATUSES, type AnswerStatus } from '../../debates.schema.ts';
import { publishGeneratedDataset } from '../../../catalogue/index.ts';
import { FOLLOW_MAIL_JOB } from './follow.ts';

export const DATASET_JOB = 'debates.kits.dataset';
export const MAX_ANSWER = 10_000;

/**
 * Queues the refresh of a debate's open dataset, inside the transaction of the change: one queued job per
 * debate (unique key), so a burst of contributions makes one refresh. A change committed while the job
 * runs is caught by the job itself (refreshContributionsDataset reads again after publishing).
 */
export async function queueDatasetRefresh(tx: Tx, debateId: string): Promise<void> {
  await enqueue(tx, DATASET_JOB, { debateId }, { uniqueKey: `${DATASET_JOB}:${debateId}` });
}
export const MAX_SYNTHESIS = 50_000;

export async function answerContribution(db: Database, p: Principal, debateRef: string, contributionId: string, status: string, answer: string) {
  requireModerator(p);
  const errors: Record<string, string[]> = {};
  if (!(ANSWER_STATUSES as readonly string[]).includes(status)) errors.status = [p.t('debates.kits.answer.status_required')];
  const text = answer.trim();
  if (!text) errors.answer = [p.t('debates.kits.answer.required')];
  if (text.length > MAX_ANSWER) errors.answer = [p.t('debates.kits.answer.too_long', { max: MAX_ANSWER })];
  if (Object.keys(errors).length) throw unprocessable(errors);
  return db.transaction(p.tenantId, async (tx) => {
    const debate = await findDebate(tx, debateRef);
    if (!debate || !/^[0-9a-f-]{36}$/i.test(contributionId)) throw notFound();
    const c = await tx.one<{ id: string; kind: string; title: string }>(
      'select id, kind, title from debate_contributions where tenant_id = app_tenant() and debate_id = $1 and id = $2 for update',
      [debate.id, contributionId],
    );
    if (!c) throw notFound();
    if (c.kind === 'opinion') throw unprocessable({ contribution: [p.t('debates.kits.answer.not_answerable')] });
    await tx.execute(
      `insert into debate_answers (tenant_id, contribution_id, debate_id, status, answer, answered_by) values (app_tenant(), $1, $2, $3, $4, $5)
       on conflict (tenant_id, contribution_id) do update set status = excluded.status, answer = excluded.answer, answered_by = excluded.answered_by, answered_at = now()`,
      [c.id, debate.id, status, text, p.actor],
    );
    await tx.execute('update debate_contributions set answer_status = $2 where tenant_id = app_tenant() and id = $1', [c.id, status as AnswerStatus]);
    await journal(tx, { actor: p.actor, action: 'debates.answer', subjectType: 'debate_contribution', subjectId: c.id, data: { status } });
    await enqueue(tx, FOLLOW_MAIL_JOB, { debateId: debate.id, event: 'answer', contributionId: c.id });
    await queueDatasetRefresh(tx, debate.id);
    return { status };
  });
}

export async function publishSynthesis(db: Database, p: Principal, debateRef: string, text: string) {
  requireModerator(p);
  const body = text.trim();
  if (!body) throw unprocessable({ synthesis: [p.t('debates.kits.synthesis.required')] });
  if (body.length > MAX_SYNTHESIS) throw unprocessable({ synthesis: [p.t('debates.kits.synthesis.too_long', { max: MAX_SYNTHESIS })] });
  return db.transaction(p.tenantId, async (tx) => {
    const debate = await findDebate(tx, debateRef);
    if (!debate) throw notFound();
    await tx.execute(
      `insert into debate_syntheses (tenant_id, debate_id, text, published_at) values (app_tenant(), $1, $2, now())
       on conflict (tenant_id, debate_id) do update set text = excluded.text, published_at = coalesce(debate_syntheses.published_at, now()), updated_at = now()`,
      [debate.id, body],
    );
    await journal(tx, { actor: p.actor, action: 'debates.synthesis.publish', subjectType: 'debate', subjectId: debate.id, data: { length: body.length } });
    await queueDatasetRefresh(tx, debate.id);
  });
}

export interface AnswerRow {
  contribution_id: string;
  status: AnswerStatus;
  answer: string;
  answered_at: Date;
}

export async function answersOf(tx: Tx, debateId: string): Promise<AnswerRow[]> {
  return tx.query<AnswerRow>(
    `select a.contribution_id, a.status, a.answer, a.answered_at from debate_answers a
     join debate_contributions c on c.tenant_id = a.tenant_id and c.id = a.contribution_id
     where a.tenant_id = app_tenant() and a.debate_id = $1 and c.moderation = 'visible' order by a.answered_at`,
    [debateId],
  );
}

export async function synthesisOf(tx: Tx, debateId: string): Promise<{ text: string; published_at: Date | null; dataset_slug: string | null } | null> {
  return tx.one('select text, published_at, dataset_slug from debate_syntheses where tenant_id = app_tenant() and debate_id = $1', [debateId]);
}

/** The Table Schema of the contributions dataset: what each column holds, none of them a person. */
export const CONTRIBUTIONS_SCHEMA = {
  name: 'bastide-contributions-concertation',
  title: 'Contributions à une concertation (anonymisées)',
  description: 'Une ligne par contribution visible. Ni nom, ni pseudonyme, ni identifiant de personne.',
  fields: [
    { name: 'numero', title: 'Numéro', type: 'integer', constraints: { required: true } },
    { name: 'type', title: 'Type', type: 'string', constraints: { required: true, enum: ['proposition', 'question', 'avis'] } },
    { name: 'position', title: 'Position (avis)', type: 'string', constraints: { enum: ['pour', 'contre', 'neutre'] } },
    { name: 'phase', title: 'Phase', type: 'string' },
    { name: 'date', title: 'Date', type: 'date', constraints: { required: true } },
    { name: 'titre', title: 'Titre', type: 'string', constraints: { required: true } },
    { name: 'texte', title: 'Texte', type: 'string', constraints: { required: true } },
    { name: 'soutiens', title: 'Soutiens', type: 'integer', constraints: { required: true, minimum: 0 } },
    { name: 'commentaires', title: 'Commentaires', type: 'integer', constraints: { required: true, minimum: 0 } },
    { name: 'statut_reponse', title: 'Statut de la réponse', type: 'string', constraints: { enum: ['retenue', 'a_l_etude', 'non_retenue'] } },
    { name: 'reponse', title: 'Réponse de la collectivité', type: 'string' },
  ],
  primaryKey: ['numero'],
};

const KIND = { proposal: 'proposition', question: 'question', opinion: 'avis' } as Record<string, string>;
const STANCE = { for: 'pour', against: 'contre', neutral: 'neutre' } as Record<string, string>;
const STATUS = { retained: 'retenue', studied: 'a_l_etude', not_retained: 'non_retenue' } as Record<string, string>;

const cell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** The CSV of a debate's visible contributions, numbered in order of posting. */
export async function contributionsCsv(tx: Tx, debateId: string): Promise<Buffer> {
  const rows = await tx.query<{
    kind: string;
    stance: string | null;
    phase: string;
    day: string;
    title: string;
    body: string;
    support_count: number;
    comment_count: number;
    status: string | null;
    answer: string | null;
  }>(
    `select c.kind, c.stance, ph.title as phase, to_char(c.created_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as day, c.title, c.body,
            c.support_count, c.comment_count, a.status, a.answer
     from debate_contributions c
     join debate_phases ph on ph.tenant_id = c.tenant_id and ph.id = c.phase_id
     left join debate_answers a on a.tenant_id = c.tenant_id and a.contribution_id = c.id
     where c.tenant_id = app_tenant() and c.debate_id = $1 and c.moderation = 'visible'
     order by c.created_at, c.id`,
    [debateId],
  );
  const lines = [CONTRIBUTIONS_SCHEMA.fields.map((f) => f.name).join(',')];
  rows.forEach((r, i) =>
    lines.push(
      [
        i + 1,
        KIND[r.kind] ?? r.kind,
        r.stance ? (STANCE[r.stance] ?? '') : '',
        r.phase,
        r.day,
        r.title,
        r.body,
        r.support_count,
        r.comment_count,
        r.status ? (STATUS[r.status] ?? '') : '',
        r.answer ?? '',
      ]
        .map(cell)
        .join(','),
    ),
  );
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

export const datasetSlugOf = (debate: Pick<DebateRow, 'slug'>) => `contributions-${debate.slug}`.slice(0, 100);

/** Publishes (or refreshes) the contributions of one debate in the catalogue. */
export async function publishContributionsDataset(deps: Pick<AppDeps, 'db' | 'config'>, tenantId: string, debateId: string) {
  const found = await deps.db.transaction(tenantId, async (tx) => {
    const debate = await findDebate(tx, debateId);
    if (!debate || debate.status === 'draft') return null;
    return { debate, csv: await contributionsCsv(tx, debate.id) };
  });
  if (!found) return null;
  const slug = datasetSlugOf(found.debate);
  const result = await publishGeneratedDataset(deps, {
    tenantId,
    slug,
    title: `Contributions à la concertation « ${found.debate.title} »`.slice(0, 200),
    description:
      'Les contributions publiées de la concertation (propositions, questions, avis), avec leurs soutiens et la réponse officielle de la collectivité. Données anonymisées : ni nom, ni pseudonyme, ni identifiant de personne ; les contributions masquées par la modération sont exclues. Mis à jour pendant la concertation.',
    keywords: ['concertation', 'participation citoyenne'],
    frequency: 'CONT',
    schema: CONTRIBUTIONS_SCHEMA,
    fileName: `${slug}.csv`,
    csv: found.csv,
    actor: 'system',
    generator: DATASET_JOB,
    resourceTitle: 'Contributions (CSV)',
  });
  if (result.outcome !== 'skipped') {
    await deps.db.transaction(tenantId, (tx) =>
      tx.execute(
        `insert into debate_syntheses (tenant_id, debate_id, text, dataset_slug) values (app_tenant(), $1, '—', $2)
         on conflict (tenant_id, debate_id) do update set dataset_slug = excluded.dataset_slug`,
        [debateId, slug],
      ),
    );
  }
  return { slug, outcome: result.outcome, csv: found.csv };
}

/**
 * The job: publishes, then reads the rows again; while a change committed during the run altered them
 * (its own enqueue was skipped, this job being still running), publishes again, three rounds at most.
 */
export async function refreshContributionsDataset(deps: Pick<AppDeps, 'db' | 'config'>, tenantId: string, debateId: string): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const published = await publishContributionsDataset(deps, tenantId, debateId);
    if (!published) return;
    const now = await deps.db.transaction(tenantId, (tx) => contributionsCsv(tx, debateId));
    if (now.equals(published.csv)) return;
  }
}
