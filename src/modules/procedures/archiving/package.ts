// Retention "archive" (issue 13), the procedures side. The retention sweep flags a decided dossier
// (dossier_retention.outcome = 'archive'); the archives module, which imports this module and not the
// reverse (no import cycle), pulls the flagged dossiers on a schedule:
//   1. dossiersAwaitingArchive: the flagged dossiers of the transaction's collectivité not yet filed;
//   2. dossierArchivePackage: what the archive unit is made of — the answers, history, messages and
//      attachment list as JSON, the agents' PDF print, the citizen's receipt, the journal entries about the
//      dossier as JSON lines, and the attachments' blob keys (the archives read the bytes themselves);
//   3. the archives ingest it (one transaction, committed);
//   4. recordDossierArchived: only then does procedures record the link and apply its own `then`
//      (keep, anonymise or delete), in one transaction with its journal entry.
// A crash between 3 and 4 leaves the dossier flagged: the next run finds the committed ingest (source_ref =
// dossier id, unique in the archives) and does step 4 only. A dossier is never deleted before its unit exists.
import type { Tx } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { loadDossierSnapshot } from '../operations/dossier-snapshot.ts';
import { dossierPdf, receiptPdf, STATE_LABELS } from '../receipt/documents.ts';
import { listMessages, listTransitions } from '../dossiers.repository.ts';
import { anonymiseDossier } from '../retention/sweep.ts';
import { operationsSettings, type AfterArchive } from '../operations/settings.ts';

export interface DossierArchiveFile {
  filename: string;
  bytes: Buffer;
  /** SEDA DataObjectVersion: the record itself, or a rendering for reading. */
  usage: 'BinaryMaster' | 'Dissemination';
}

export interface DossierArchivePackage {
  dossierId: string;
  number: string;
  procedureId: string;
  procedureTitle: string;
  state: string;
  stateLabel: string;
  tenantName: string;
  submittedAt: Date | null;
  createdAt: Date;
  decidedAt: Date;
  motivation: string | null;
  /** Rule codes of the collectivité's archive library (the procedure's retention, or the defaults). */
  rules: { appraisal: string; access: string };
  /** Documents written for the archive, with their bytes. */
  files: DossierArchiveFile[];
  /** The dossier's attachments: blob keys of the transaction's collectivité, with what the dossier recorded. */
  attachments: Array<{ filename: string; sha256: string; size: number; contentType: string; fieldKey: string | null }>;
}

/** Flagged dossiers of the transaction's collectivité that no archive unit holds yet, oldest decision first. */
export async function dossiersAwaitingArchive(tx: Tx, limit = 50): Promise<Array<{ id: string; number: string }>> {
  return tx.query<{ id: string; number: string }>(
    `select d.id, d.number::text as number from dossier_retention r
     join dossiers d on d.tenant_id = r.tenant_id and d.id = r.dossier_id
     where r.tenant_id = app_tenant() and r.outcome = 'archive' and r.archived_at is null
     order by d.decided_at, d.id limit $1`,
    [limit],
  );
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** Everything the archive unit of a flagged, decided dossier holds; null when it is not (or no longer) one. */
export async function dossierArchivePackage(tx: Tx, dossierId: string): Promise<DossierArchivePackage | null> {
  const flagged = await tx.one('select 1 from dossier_retention where tenant_id = app_tenant() and dossier_id = $1 and outcome = $2', [dossierId, 'archive']);
  if (!flagged) return null;
  const d = await loadDossierSnapshot(tx, { id: dossierId });
  if (!d || !d.decidedAt || !['accepte', 'refuse', 'sans_suite'].includes(d.state)) return null;
  const transitions = await listTransitions(tx, d.id);
  const messages = await listMessages(tx, d.id, { includePrivate: true });
  const attachments = await tx.query<{
    filename: string;
    sha256: string;
    size: string;
    content_type: string;
    field_key: string | null;
    message_id: string | null;
  }>(
    `select filename, sha256, size::text as size, content_type, field_key, message_id from dossier_attachments
     where tenant_id = app_tenant() and dossier_id = $1 order by created_at, id`,
    [d.id],
  );
  const journalRows = await tx.query<Record<string, unknown>>(
    `select id, at, actor, action, subject_type, subject_id, data, chain_pos::text as chain_pos, prev_hash, hash from journal_entries
     where tenant_id = app_tenant() and subject_type = 'dossier' and subject_id = $1 order by seq`,
    [d.id],
  );
  const record = {
    number: d.number,
    procedure: { id: d.procedureId, slug: d.procedureSlug, title: d.procedureTitle, revision: d.revision },
    state: d.state,
    created_at: iso(d.createdAt),
    submitted_at: iso(d.submittedAt),
    decided_at: iso(d.decidedAt),
    motivation: d.motivation,
    applicant_email: d.applicantEmail,
    mediation: d.mediation,
    group: d.groupName,
    assignee: d.assigneeEmail,
    labels: d.labels,
    fields: d.fields,
    answers: d.data,
    history: transitions.map((t) => ({ at: iso(t.at), from: t.from_state, to: t.to_state, actor: t.actor, motivation: t.motivation })),
    messages: messages.map((m) => ({ at: iso(m.created_at), author: m.author, author_kind: m.author_kind, visibility: m.visibility, body: m.body })),
    attachments: attachments.map((a) => ({ filename: a.filename, sha256: a.sha256, size: Number(a.size), content_type: a.content_type, field: a.field_key })),
  };
  const print = dossierPdf(d, {
    transitions: transitions.map((t) => ({ at: new Date(t.at), from: t.from_state, to: t.to_state, actor: t.actor, motivation: t.motivation })),
    messages: messages.map((m) => ({ at: new Date(m.created_at), author: m.author, visibility: m.visibility, body: m.body })),
  });
  const retention = d.settings.retention;
  return {
    dossierId: d.id,
    number: d.number,
    procedureId: d.procedureId,
    procedureTitle: d.procedureTitle,
    state: d.state,
    stateLabel: STATE_LABELS.fr[d.state] ?? d.state,
    tenantName: d.tenantName,
    submittedAt: d.submittedAt,
    createdAt: d.createdAt,
    decidedAt: d.decidedAt,
    motivation: d.motivation,
    rules: { appraisal: retention?.appraisalRule ?? 'APP-DOSSIER-10-D', access: retention?.accessRule ?? 'ACC-50' },
    files: [
      { filename: `dossier-${d.number}.json`, bytes: Buffer.from(JSON.stringify(record, null, 2) + '\n'), usage: 'BinaryMaster' },
      { filename: `dossier-${d.number}.pdf`, bytes: print, usage: 'Dissemination' },
      { filename: `accuse-reception-${d.number}.pdf`, bytes: receiptPdf(d, 'fr'), usage: 'BinaryMaster' },
      {
        filename: `journal-dossier-${d.number}.jsonl`,
        bytes: Buffer.from(journalRows.map((r) => JSON.stringify({ ...r, at: iso(r.at as Date) })).join('\n') + '\n'),
        usage: 'BinaryMaster',
      },
    ],
    attachments: attachments.map((a) => ({ filename: a.filename, sha256: a.sha256, size: Number(a.size), contentType: a.content_type, fieldKey: a.field_key })),
  };
}

/**
 * Called by the archives once the dossier's unit is committed: records the link and applies the
 * procedure's `then` (keep, anonymise, delete), journaled `procedures.dossier.archived`. Returns what was
 * done, or null when the dossier is not awaiting archive (already recorded, deleted, another collectivité's).
 */
export async function recordDossierArchived(tx: Tx, dossierId: string, link: { unitId: string; ingestId: string }): Promise<AfterArchive | null> {
  const row = await tx.one<{ number: string; procedure_id: string; settings: unknown }>(
    `select d.number::text as number, d.procedure_id, p.settings from dossier_retention r
     join dossiers d on d.tenant_id = r.tenant_id and d.id = r.dossier_id
     join procedures p on p.tenant_id = d.tenant_id and p.id = d.procedure_id
     where r.tenant_id = app_tenant() and r.dossier_id = $1 and r.outcome = 'archive' and r.archived_at is null
     for update of r`,
    [dossierId],
  );
  if (!row) return null;
  const then = operationsSettings(row.settings).retention?.then ?? 'keep';
  if (then === 'delete') await tx.execute('delete from dossiers where tenant_id = app_tenant() and id = $1', [dossierId]);
  else {
    if (then === 'anonymise') await anonymiseDossier(tx, dossierId);
    await tx.execute(
      `update dossier_retention set archived_at = now(), archive_unit_id = $2, archive_ingest_id = $3, after_archive = $4
       where tenant_id = app_tenant() and dossier_id = $1`,
      [dossierId, link.unitId, link.ingestId, then],
    );
  }
  await journal(tx, {
    actor: 'system',
    action: 'procedures.dossier.archived',
    subjectType: 'dossier',
    subjectId: dossierId,
    data: { number: row.number, procedure: row.procedure_id, unit: link.unitId, ingest: link.ingestId, then },
  });
  return then;
}
