// Decided dossiers flow into the archives by themselves (issue 13). The procedures module's retention sweep
// flags a dossier whose procedure says "archive"; this job (hourly) pulls the flagged dossiers of each
// collectivité and, for each one:
//   1. looks for its committed ingest (kind 'procedures', source_ref = dossier id; unique in 0610): a run
//      that crashed after the ingest, or a second process, does not file it twice;
//   2. otherwise builds the unit from procedures' package (answers and record as JSON, the PDF print, the
//      receipt, the journal extract as JSON lines, the attachments read from the blob store and checked
//      against the SHA-256 and size the dossier recorded) and ingests it through ingestUnits — one
//      transaction with its journal entry `archives.ingest`;
//   3. then, in a second transaction, procedures records the link and applies its own `then` (keep,
//      anonymise, delete), journaled `procedures.dossier.archived`.
// Nothing is deleted before step 2 has committed; a failure leaves the dossier flagged for the next run and
// is journaled (`archives.dossier.failed`, with the reasons: an unknown rule code, a missing attachment…).
// Every step runs in the dossier's own collectivité (row-level security): no other collectivité's row is seen.
import { Readable } from 'node:stream';
import type { Database } from '../../../core/db/database.ts';
import { blobStoreFor, type FilesConfig } from '../../../core/files/store.ts';
import { journal } from '../../../core/audit/journal.ts';
import { translator } from '../../../core/i18n/i18n.ts';
import { HttpError } from '../../../core/base/errors.ts';
import { dossierArchivePackage, dossiersAwaitingArchive, recordDossierArchived, type DossierArchivePackage } from '../../procedures/index.ts';
import type { Principal } from '../archives.policy.ts';
import { ingestUnits, type IngestObjectInput, type IngestUnitInput } from './ingest.ts';

export const ARCHIVE_DOSSIERS_JOB = 'archives.dossiers';

export interface ArchiveDossiersResult {
  /** Dossiers filed by this run. */
  archived: number;
  /** Dossiers whose unit a previous run had committed: only the link was recorded. */
  relinked: number;
  failed: Array<{ tenantId: string; dossierId: string; errors: unknown }>;
}

type Deps = { db: Database; config: FilesConfig };

function systemArchivist(tenantId: string): Principal {
  return { tenantId, actor: 'system', personId: null, roles: ['archivist'], t: translator('fr') };
}

const day = (d: Date | null) => (d ? new Date(d).toISOString().slice(0, 10) : null);

/** The unit of one dossier: a File with its objects and the procedure's rules, starting at the decision. */
export async function dossierUnit(deps: Deps, tenantId: string, pkg: DossierArchivePackage): Promise<IngestUnitInput> {
  const store = blobStoreFor(deps.config);
  const objects: IngestObjectInput[] = pkg.files.map((f) => ({ filename: f.filename, source: Readable.from([f.bytes]), usage: f.usage }));
  for (const a of pkg.attachments) {
    const opened = await store.open(tenantId, a.sha256);
    // A missing blob is named by ingestUnits' staging error (size mismatch on an empty stream).
    objects.push({ filename: a.filename, source: opened ? opened.stream : Readable.from([]), expected: { sha256: a.sha256, size: a.size } });
  }
  const decided = day(pkg.decidedAt)!;
  const filed = day(pkg.submittedAt ?? pkg.createdAt)!;
  return {
    title: `Dossier n° ${pkg.number} — ${pkg.procedureTitle}`,
    description:
      `Dossier de la démarche « ${pkg.procedureTitle} », déposé le ${filed}, ${pkg.stateLabel.toLowerCase()} le ${decided}.` +
      (pkg.motivation ? ` Motivation : ${pkg.motivation}` : '') +
      ` Contient : les réponses, l'historique et les messages (JSON), l'impression du dossier (PDF), l'accusé de réception (PDF), ` +
      `l'extrait du journal d'audit du dossier (JSON lines) et ${pkg.attachments.length} pièce(s) jointe(s).`,
    level: 'File',
    // A dossier's dates come from different columns (a decision recorded with an earlier date, data moved
    // in from another system): the unit's span is never inverted.
    start_date: filed < decided ? filed : decided,
    end_date: decided,
    originating_agency: pkg.tenantName,
    keywords: [pkg.procedureTitle, pkg.stateLabel, `dossier ${pkg.number}`],
    rules: [
      { category: 'appraisal', rule_code: pkg.rules.appraisal, start_date: decided },
      { category: 'access', rule_code: pkg.rules.access, start_date: decided },
    ],
    objects,
  };
}

async function committedIngest(db: Database, tenantId: string, dossierId: string): Promise<{ ingestId: string; unitId: string } | null> {
  const row = await db.transaction(tenantId, (tx) =>
    tx.one<{ ingest_id: string; unit_id: string }>(
      `select i.id as ingest_id, u.id as unit_id from archives_ingests i
       join archives_units u on u.tenant_id = i.tenant_id and u.ingest_id = i.id and u.parent_id is null
       where i.tenant_id = app_tenant() and i.kind = 'procedures' and i.source_ref = $1 limit 1`,
      [dossierId],
    ),
  );
  return row ? { ingestId: row.ingest_id, unitId: row.unit_id } : null;
}

/** Files one dossier (steps 1–3 above); throws what refused it. Returns 'archived', 'relinked' or 'gone'. */
export async function archiveDossier(deps: Deps, tenantId: string, dossierId: string): Promise<'archived' | 'relinked' | 'gone'> {
  let link = await committedIngest(deps.db, tenantId, dossierId);
  let outcome: 'archived' | 'relinked' = 'relinked';
  if (!link) {
    const pkg = await deps.db.transaction(tenantId, (tx) => dossierArchivePackage(tx, dossierId));
    if (!pkg) return 'gone';
    const unit = await dossierUnit(deps, tenantId, pkg);
    try {
      const result = await ingestUnits(deps, systemArchivist(tenantId), { kind: 'procedures', source_ref: dossierId, units: [unit] });
      link = { ingestId: result.id, unitId: result.units[0]!.id };
      outcome = 'archived';
    } catch (error) {
      // Another process filed it meanwhile (archives_ingests_source): take its unit.
      link = (error as { code?: string }).code === '23505' ? await committedIngest(deps.db, tenantId, dossierId) : null;
      if (!link) throw error;
    } finally {
      // Streams a refused ingest did not read to their end (open files of the blob store).
      for (const o of unit.objects ?? []) if (o.source instanceof Readable) o.source.destroy();
    }
  }
  const done = link;
  await deps.db.transaction(tenantId, (tx) => recordDossierArchived(tx, dossierId, done));
  return outcome;
}

/** Every collectivité (or one), until no flagged dossier is left but those that failed in this run. */
export async function archiveDecidedDossiers(deps: Deps, options: { tenantId?: string } = {}): Promise<ArchiveDossiersResult> {
  const result: ArchiveDossiersResult = { archived: 0, relinked: 0, failed: [] };
  const tenants = options.tenantId
    ? [{ id: options.tenantId }]
    : await deps.db.transaction(null, (tx) => tx.query<{ id: string }>('select id from tenants order by id'));
  for (const tenant of tenants) {
    const failed = new Set<string>();
    for (;;) {
      const pending = (await deps.db.transaction(tenant.id, (tx) => dossiersAwaitingArchive(tx, 50 + failed.size))).filter((d) => !failed.has(d.id));
      if (!pending.length) break;
      for (const d of pending) {
        try {
          const outcome = await archiveDossier(deps, tenant.id, d.id);
          if (outcome === 'archived') result.archived += 1;
          else if (outcome === 'relinked') result.relinked += 1;
          else failed.add(d.id);
        } catch (error) {
          failed.add(d.id);
          const errors = error instanceof HttpError ? (error.details ?? error.message) : String(error);
          result.failed.push({ tenantId: tenant.id, dossierId: d.id, errors });
          await deps.db.transaction(tenant.id, (tx) =>
            journal(tx, { actor: 'system', action: 'archives.dossier.failed', subjectType: 'dossier', subjectId: d.id, data: { number: d.number, errors } }),
          );
        }
      }
    }
  }
  return result;
}

export function archiveDossiersJobHandler(deps: Deps) {
  return async (): Promise<void> => {
    await archiveDecidedDossiers(deps);
  };
}
