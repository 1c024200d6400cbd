// Loading the rows a kit's dataset slot asks for (the ANFR radio sites of the collectivité's communes)
// into one debate: read and checked first (anfr-sites.ts), then the debate's rows replaced in one
// transaction with the journal entry. The communes are the collectivité's own (its COG code: an EPCI's
// member communes) unless the team names them.
import type { Database } from '../../../../core/db/database.ts';
import { journal } from '../../../../core/audit/journal.ts';
import { notFound, unprocessable } from '../../../../core/base/errors.ts';
import { requireModerator, type Principal } from '../../debates.policy.ts';
import { findDebate } from '../../debates.repository.ts';
import { findEpci } from '../../../../core/territory/cog.ts';
import { readAnfrSupports, MAX_ANFR_BYTES, type AnfrProblem } from '../anfr-sites.ts';

export async function loadDebateDataset(
  db: Database,
  p: Principal,
  debateRef: string,
  key: string,
  bytes: Uint8Array,
  options: { inseeCodes: string[]; sourceNote: string },
): Promise<{ rows: number; skipped: number }> {
  requireModerator(p);
  const read = readAnfrSupports(bytes, new Set(options.inseeCodes));
  if (!read.ok) throw unprocessable({ file: anfrMessages(p, read.problem) });
  return db.transaction(p.tenantId, async (tx) => {
    const debate = await findDebate(tx, debateRef);
    if (!debate) throw notFound();
    const slot = await tx.one<{ layout: string }>(
      'select layout from debate_datasets where tenant_id = app_tenant() and debate_id = $1 and dataset_key = $2 for update',
      [debate.id, key],
    );
    if (!slot) throw notFound();
    await tx.execute('delete from debate_dataset_rows where tenant_id = app_tenant() and debate_id = $1 and dataset_key = $2', [debate.id, key]);
    if (read.sites.length) {
      await tx.execute(
        `insert into debate_dataset_rows (tenant_id, debate_id, dataset_key, row_no, data)
         select app_tenant(), $1, $2, r.ordinality - 1, r.value from jsonb_array_elements($3::jsonb) with ordinality as r`,
        [debate.id, key, JSON.stringify(read.sites)],
      );
    }
    await tx.execute(
      'update debate_datasets set row_count = $3, loaded_at = now(), source_note = $4 where tenant_id = app_tenant() and debate_id = $1 and dataset_key = $2',
      [debate.id, key, read.sites.length, options.sourceNote.slice(0, 500)],
    );
    await journal(tx, { actor: p.actor, action: 'debates.dataset.load', subjectType: 'debate', subjectId: debate.id, data: { key, rows: read.sites.length } });
    return { rows: read.sites.length, skipped: read.skipped };
  });
}

/** The INSEE codes of a collectivité's communes: itself if a commune, its members if an EPCI (COG). */
export function communesOf(tenant: { kind: string; official_code: string | null }): string[] {
  if (!tenant.official_code) return [];
  if (tenant.kind === 'commune') return [tenant.official_code];
  if (tenant.kind !== 'epci') return [];
  return (findEpci(tenant.official_code)?.membres ?? []).map((m) => m.code);
}

/** What is wrong with a refused ANFR file, one message per line at fault (fr/en). */
export function anfrMessages(p: Pick<Principal, 't'>, pr: AnfrProblem): string[] {
  switch (pr.code) {
    case 'too_big':
      return [p.t('debates.kits.dataset.too_big', { max: MAX_ANFR_BYTES / 1024 / 1024 })];
    case 'missing_columns':
      return [p.t('debates.kits.dataset.missing_columns', { columns: pr.columns.join(', ') })];
    case 'too_many':
      return [p.t('debates.kits.dataset.too_many')];
    case 'bad_lines':
      return [
        ...pr.lines.map((l) =>
          l.reason === 'columns'
            ? p.t('debates.staff.anfr.line.columns', { line: l.line, found: l.found ?? 0, expected: l.expected ?? 0 })
            : p.t(`debates.staff.anfr.line.${l.reason}`, { line: l.line }),
        ),
        ...(pr.more ? [p.t('debates.staff.anfr.more')] : []),
      ];
  }
}
