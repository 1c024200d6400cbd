// Elimination, as the Code du patrimoine wants it (art. L212-2, R212-14: no public archive is destroyed
// without the visa of the archives administration, here the Archives départementales):
//   1. proposal: units whose appraisal period (DUA) has ended with the final action "destroy", not held;
//   2. approval: the archivist records the visa (authority, signatory, date, reference);
//   3. execution: only then, in one transaction that names the approved elimination
//      (`bastide.archives_elimination`, which the database triggers check), objects are tombstoned
//      through archives_tombstone(), blob rows no one else uses are deleted, the certificate (PDF, kept
//      as a blob) and the journal entry are written; the bytes leave the store after the commit.
// A legal hold (a "hold" rule, effective on the unit, inherited or its own) blocks proposal and execution.
import type { Database, Tx } from '../../../core/db/database.ts';
import { blobStoreFor, type FilesConfig, type SealRelease } from '../../../core/files/store.ts';
import { journal } from '../../../core/audit/journal.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { conflict, notFound, unprocessable } from '../../../core/base/errors.ts';
import { recordBlob } from '../../../core/files/upload.ts';
import { renderPdf, type PdfBlock } from '../../procedures/index.ts';
import { requireArchivist, today, type Principal } from '../archives.policy.ts';
import { loadAncestry, visibleLibrary } from '../archives.repository.ts';
import { effectiveRules, type LibraryRule } from '../rules.ts';
import { stageObject } from '../objects.ts';
import { Readable } from 'node:stream';

export interface Candidate {
  id: string;
  title: string;
  appraisal_end: string;
  objects: number;
  size: number;
  held: boolean;
  pending: string | null;
  /** 'pending': in a transfer the archival agency has not answered (not eliminable); 'transferred': accepted by it. */
  transfer: TransferState | null;
}

export type TransferState = 'pending' | 'transferred';

/**
 * Where the units stand with the definitive archive (transfers and their replies). A unit in a transfer
 * with no reply yet is on its way: destroying it here could lose the only copy if the reply refuses it, so
 * it is never eliminated while the answer is awaited. A unit of a transfer the archival agency accepted is
 * kept there: its local copy may be eliminated with the same visa, whatever its own DUA says. A refused
 * transfer leaves the unit as it was.
 */
/** Whether the last reply recorded for the transfer `tu` accepted it (null: no reply yet), as the transfer's status says. */
const LAST_REPLY = `(select r.accepted from archives_transfer_replies r where r.transfer_id = tu.transfer_id order by r.created_at desc, r.id desc limit 1)`;

export async function transferStates(tx: Tx, unitIds: string[]): Promise<Map<string, TransferState>> {
  const rows = await tx.query<{ unit_id: string; pending: boolean; transferred: boolean }>(
    `select tu.unit_id, bool_or(${LAST_REPLY} is null) as pending, coalesce(bool_or(${LAST_REPLY}), false) as transferred
       from archives_transfer_units tu where tu.unit_id = any($1::uuid[]) group by tu.unit_id`,
    [unitIds],
  );
  return new Map(rows.filter((r) => r.pending || r.transferred).map((r) => [r.unit_id, r.pending ? 'pending' : 'transferred']));
}

/** Held today: a hold rule among the unit's effective rules whose end has not come. */
async function heldUnits(tx: Tx, unitIds: string[], library: Map<string, LibraryRule>): Promise<Set<string>> {
  const now = today();
  const held = new Set<string>();
  for (const id of unitIds) {
    const chain = await loadAncestry(tx, id);
    if (!chain) continue;
    const holds = effectiveRules(chain.nodes, library).filter((r) => r.category === 'hold');
    if (holds.some((r) => r.end_date === null || r.end_date === 'infinity' || r.end_date > now)) held.add(id);
  }
  return held;
}

/** Units whose DUA ended with "destroy" and that are not eliminated yet (held ones flagged, not hidden). */
export async function eliminationCandidates(db: Database, p: Principal, limit = 500): Promise<Candidate[]> {
  requireArchivist(p);
  return db.transaction(p.tenantId, async (tx) => {
    const rows = await tx.query<Omit<Candidate, 'held'>>(
      `select u.id, u.title, to_char(u.appraisal_end, 'YYYY-MM-DD') as appraisal_end,
              (select count(*)::int from archives_objects o where o.unit_id = u.id) as objects,
              (select coalesce(sum(o.size), 0)::float8 from archives_objects o where o.unit_id = u.id) as size,
              (select e.id from archives_elimination_units eu join archives_eliminations e on e.id = eu.elimination_id
                where eu.unit_id = u.id and e.state in ('proposed', 'approved') limit 1) as pending
       from archives_units u
       where u.eliminated_at is null
         and ((u.appraisal_final = 'destroy' and u.appraisal_end <> 'infinity' and u.appraisal_end <= $1::date)
              or u.id in (select tu.unit_id from archives_transfer_units tu where ${LAST_REPLY}))
       order by u.appraisal_end nulls last, u.id limit $2`,
      [today(), limit],
    );
    const ids = rows.map((r) => r.id);
    const held = await heldUnits(tx, ids, await visibleLibrary(tx));
    const transfers = await transferStates(tx, ids);
    return rows.map((r) => ({ ...r, held: held.has(r.id), transfer: transfers.get(r.id) ?? null }));
  });
}

/** Checks that each unit may be eliminated today; gives the reasons per unit otherwise. */
async function checkEliminable(tx: Tx, p: Principal, unitIds: string[]): Promise<void> {
  const rows = await tx.query<{ id: string; title: string; due: boolean; eliminated: boolean }>(
    `select id, title, eliminated_at is not null as eliminated,
            (appraisal_final = 'destroy' and appraisal_end <> 'infinity' and appraisal_end <= $2::date) as due
     from archives_units where id = any($1)`,
    [unitIds, today()],
  );
  if (rows.length !== unitIds.length) throw notFound();
  const transfers = await transferStates(tx, unitIds);
  const errors: Record<string, string[]> = {};
  for (const r of rows) {
    const transfer = transfers.get(r.id);
    if (transfer === 'pending') (errors[r.id] ??= []).push(p.t('archives.elimination.transfer_pending', { title: r.title }));
    else if (r.eliminated || (!r.due && transfer !== 'transferred')) (errors[r.id] ??= []).push(p.t('archives.elimination.not_due', { title: r.title }));
  }
  const held = await heldUnits(tx, unitIds, await visibleLibrary(tx));
  for (const r of rows) if (held.has(r.id)) (errors[r.id] ??= []).push(p.t('archives.elimination.held', { title: r.title }));
  if (Object.keys(errors).length) throw unprocessable(errors);
}

export async function proposeElimination(db: Database, p: Principal, unitIds: string[]): Promise<{ id: string }> {
  requireArchivist(p);
  const ids = [...new Set(unitIds)];
  if (ids.length === 0) throw unprocessable({ units: [p.t('archives.elimination.none_selected')] });
  if (ids.length > 10_000 || !ids.every(isUuid)) throw notFound();
  return db.transaction(p.tenantId, async (tx) => {
    await checkEliminable(tx, p, ids);
    const pending = await tx.one(
      `select 1 from archives_elimination_units eu join archives_eliminations e on e.id = eu.elimination_id
       where eu.unit_id = any($1) and e.state in ('proposed', 'approved')`,
      [ids],
    );
    if (pending) throw conflict(p.t('archives.elimination.already_pending'));
    const row = (await tx.one<{ id: string }>(`insert into archives_eliminations (tenant_id, created_by) values (app_tenant(), $1) returning id`, [p.actor]))!;
    await tx.query(`insert into archives_elimination_units (tenant_id, elimination_id, unit_id) select app_tenant(), $1, unnest($2::uuid[])`, [row.id, ids]);
    await journal(tx, { actor: p.actor, action: 'archives.elimination.propose', subjectType: 'archive_elimination', subjectId: row.id, data: { units: ids } });
    return row;
  });
}

export interface Visa {
  authority: string;
  signatory: string;
  date: string;
  reference: string;
}

export async function approveElimination(db: Database, p: Principal, id: string, visa: Visa): Promise<void> {
  requireArchivist(p);
  if (!isUuid(id)) throw notFound();
  const errors: Record<string, string[]> = {};
  for (const k of ['authority', 'signatory', 'reference'] as const) {
    const v = (visa[k] ?? '').trim();
    if (!v) (errors[`visa_${k}`] ??= []).push(p.t('archives.error.required'));
    else if (v.length > 300) (errors[`visa_${k}`] ??= []).push(p.t('archives.error.too_long', { max: 300 }));
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(visa.date ?? '') || Number.isNaN(Date.parse(visa.date))) (errors.visa_date ??= []).push(p.t('archives.error.date'));
  else if (visa.date > today()) (errors.visa_date ??= []).push(p.t('archives.elimination.visa_future'));
  if (Object.keys(errors).length) throw unprocessable(errors);
  await db.transaction(p.tenantId, async (tx) => {
    const e = await tx.one<{ state: string }>('select state from archives_eliminations where id = $1 for update', [id]);
    if (!e) throw notFound();
    if (e.state !== 'proposed') throw conflict(p.t('archives.elimination.wrong_state'));
    await tx.query(
      `update archives_eliminations set state = 'approved', visa_authority = $2, visa_signatory = $3, visa_date = $4, visa_reference = $5, approved_by = $6, approved_at = now()
       where id = $1`,
      [id, visa.authority.trim(), visa.signatory.trim(), visa.date, visa.reference.trim(), p.actor],
    );
    await journal(tx, {
      actor: p.actor,
      action: 'archives.elimination.approve',
      subjectType: 'archive_elimination',
      subjectId: id,
      data: { visa: { authority: visa.authority.trim(), signatory: visa.signatory.trim(), date: visa.date, reference: visa.reference.trim() } },
    });
  });
}

export async function cancelElimination(db: Database, p: Principal, id: string): Promise<void> {
  requireArchivist(p);
  if (!isUuid(id)) throw notFound();
  await db.transaction(p.tenantId, async (tx) => {
    const n = await tx.execute(`update archives_eliminations set state = 'cancelled' where id = $1 and state in ('proposed', 'approved')`, [id]);
    if (!n) throw notFound();
    await journal(tx, { actor: p.actor, action: 'archives.elimination.cancel', subjectType: 'archive_elimination', subjectId: id });
  });
}

interface EliminatedObject {
  id: string;
  unit_id: string;
  filename: string;
  sha256: string;
  sha512: string;
  size: string;
  format_id: string | null;
}

export async function executeElimination(
  deps: { db: Database; config: FilesConfig },
  p: Principal,
  id: string,
): Promise<{ objects: number; certificate: string }> {
  requireArchivist(p);
  if (!isUuid(id)) throw notFound();
  const store = blobStoreFor(deps.config);
  const removed: string[] = [];
  let certificateBlob: Awaited<ReturnType<typeof stageObject>> | null = null;
  try {
    const result = await deps.db.transaction(p.tenantId, async (tx) => {
      const e = await tx.one<{ state: string; visa_authority: string; visa_signatory: string; visa_date: string; visa_reference: string; created_at: Date }>(
        `select state, visa_authority, visa_signatory, to_char(visa_date, 'YYYY-MM-DD') as visa_date, visa_reference, created_at from archives_eliminations where id = $1 for update`,
        [id],
      );
      if (!e) throw notFound();
      if (e.state !== 'approved') throw conflict(p.t('archives.elimination.not_approved'));
      const units = await tx.query<{ id: string; title: string; appraisal_end: string }>(
        `select u.id, u.title, to_char(u.appraisal_end, 'YYYY-MM-DD') as appraisal_end from archives_elimination_units eu join archives_units u on u.id = eu.unit_id
         where eu.elimination_id = $1 order by u.title, u.id`,
        [id],
      );
      // Checked again: a hold placed since the approval stops everything.
      await checkEliminable(
        tx,
        p,
        units.map((u) => u.id),
      );
      const objects = await tx.query<EliminatedObject>(
        `select o.id, o.unit_id, o.filename, o.sha256, o.sha512, o.size::text as size, o.format_id from archives_objects o join archives_elimination_units eu on eu.unit_id = o.unit_id
         where eu.elimination_id = $1 and o.eliminated_at is null order by o.id`,
        [id],
      );
      await tx.query(`select set_config('bastide.archives_elimination', $1, true)`, [id]);
      await tx.query('select archives_tombstone($1)', [id]);
      // A blob row goes when nothing refers to it any more (another unit, a catalogue version, an attachment
      // may hold the same bytes): tried in a savepoint, a foreign-key refusal leaves it in place.
      for (const sha of [...new Set(objects.map((o) => o.sha256))]) {
        await tx.query('savepoint archives_blob');
        try {
          const n = await tx.execute('delete from blobs where sha256 = $1', [sha]);
          await tx.query('release savepoint archives_blob');
          if (n) removed.push(sha);
        } catch {
          await tx.query('rollback to savepoint archives_blob');
        }
      }
      const executedAt = new Date();
      const pdf = certificatePdf(p, { id, units, objects, visa: e, executedAt });
      certificateBlob = await stageObject(deps, p.tenantId, Readable.from([pdf]), { filename: `certificat-elimination-${id}.pdf` });
      await recordBlob(tx, { sha256: certificateBlob.sha256, size: certificateBlob.size, contentType: 'application/pdf' });
      await tx.query(`update archives_eliminations set state = 'executed', executed_by = $2, executed_at = $3, certificate_sha256 = $4 where id = $1`, [
        id,
        p.actor,
        executedAt,
        certificateBlob.sha256,
      ]);
      await journal(tx, {
        actor: p.actor,
        action: 'archives.elimination.execute',
        subjectType: 'archive_elimination',
        subjectId: id,
        data: {
          visa: { authority: e.visa_authority, signatory: e.visa_signatory, date: e.visa_date, reference: e.visa_reference },
          units: units.map((u) => ({ id: u.id, title: u.title })),
          objects: objects.map((o) => ({ id: o.id, unit: o.unit_id, filename: o.filename, sha512: o.sha512, size: Number(o.size) })),
          certificate_sha256: certificateBlob.sha256,
        },
      });
      return { objects: objects.length, certificate: certificateBlob.sha256 };
    });
    // Committed: the bytes of the blob rows deleted leave the store (a crash here leaves bytes without a
    // row, which the daily sweep removes).
    // The store asks again, at the deletion, that the records allow it: no `blobs` row is left and the
    // bytes belong to objects this executed elimination tombstoned.
    const release = eliminationRelease(deps.db, p.tenantId, id);
    for (const sha of removed) await store.remove(p.tenantId, sha, release);
    // The certificate is a record the collectivité keeps: write-once like the objects.
    await store.seal(p.tenantId, result.certificate);
    certificateBlob = null;
    return result;
  } finally {
    const c = certificateBlob as Awaited<ReturnType<typeof stageObject>> | null;
    if (c?.created) await c.created.discard();
  }
}

/** Leave to delete write-once bytes, checked against the database where the store deletes them. */
export function eliminationRelease(db: Database, tenantId: string, eliminationId: string): SealRelease {
  return {
    reason: 'elimination',
    reference: eliminationId,
    confirm: (sha256) =>
      db.transaction(tenantId, async (tx) => {
        const r = await tx.one<{ ok: boolean }>(
          `select not exists (select 1 from blobs where sha256 = $1)
              and exists (select 1 from archives_eliminations where id = $2 and state = 'executed')
              and exists (select 1 from archives_objects where sha256 = $1 and elimination_id = $2 and eliminated_at is not null)
              and not exists (select 1 from archives_objects where sha256 = $1 and eliminated_at is null) as ok`,
          [sha256, eliminationId],
        );
        return r?.ok === true;
      }),
  };
}

function certificatePdf(
  p: Principal,
  d: {
    id: string;
    units: Array<{ id: string; title: string; appraisal_end: string }>;
    objects: EliminatedObject[];
    visa: { visa_authority: string; visa_signatory: string; visa_date: string; visa_reference: string };
    executedAt: Date;
  },
): Buffer {
  const t = p.t;
  const blocks: PdfBlock[] = [
    { type: 'title', text: t('archives.certificate.title') },
    { type: 'field', label: t('archives.certificate.elimination'), value: d.id },
    { type: 'field', label: t('archives.certificate.executed'), value: d.executedAt.toISOString() },
    { type: 'field', label: t('archives.certificate.by'), value: p.actor },
    { type: 'heading', text: t('archives.certificate.visa') },
    { type: 'field', label: t('archives.elimination.visa_authority'), value: d.visa.visa_authority },
    { type: 'field', label: t('archives.elimination.visa_signatory'), value: d.visa.visa_signatory },
    { type: 'field', label: t('archives.elimination.visa_date'), value: d.visa.visa_date },
    { type: 'field', label: t('archives.elimination.visa_reference'), value: d.visa.visa_reference },
    { type: 'rule' },
    { type: 'heading', text: t('archives.certificate.units', { count: d.units.length }) },
    ...d.units.map((u): PdfBlock => ({ type: 'paragraph', text: `${u.title} — ${u.id} (DUA : ${u.appraisal_end})` })),
    { type: 'heading', text: t('archives.certificate.objects', { count: d.objects.length }) },
    ...d.objects.map((o): PdfBlock => ({ type: 'paragraph', text: `${o.filename} — ${o.size} o — ${o.format_id ?? '?'} — SHA-512 ${o.sha512}`, size: 8 })),
  ];
  return renderPdf({ title: t('archives.certificate.title'), subject: d.id, blocks, footer: `${t('archives.certificate.title')} ${d.id}`, compress: true });
}
