// What "complete" means for a submitted dossier, checked in the database after a fault: its answers,
// its first history step, its journal entry and its notification job — all or nothing.
import type { Database } from '../../src/core/db/database.ts';

export interface DossierCompleteness {
  key: string | null;
  number: number;
  answers: number;
  transitions: number;
  journal: number;
  jobs: number;
}

export async function dossiersOf(db: Database, tenantId: string): Promise<DossierCompleteness[]> {
  // As the owner: the application role may not read the job queue (migration 0005).
  return db.ownerTransaction((tx) =>
    tx.query<DossierCompleteness>(
      `
    select d.idempotency_key as key, d.number,
      (select count(*) from jsonb_object_keys(d.data))::int as answers,
      (select count(*) from dossier_transitions t where t.tenant_id = d.tenant_id and t.dossier_id = d.id)::int as transitions,
      (select count(*) from journal_entries j where j.tenant_id = d.tenant_id and j.subject_type = 'dossier'
         and j.subject_id = d.id::text and j.action = 'procedures.dossier.submit')::int as journal,
      (select count(*) from jobs where jobs.tenant_id = d.tenant_id and jobs.kind = 'procedures.dossier.notify'
         and jobs.payload->>'dossierId' = d.id::text)::int as jobs
    from dossiers d where d.tenant_id = $1 order by d.number`,
      [tenantId],
    ),
  );
}

/** Journal entries of submissions whose dossier does not exist (a half-written submission would leave one). */
export async function orphanSubmissionEntries(db: Database, tenantId: string): Promise<number> {
  const row = await db.transaction(tenantId, (tx) =>
    tx.one<{ n: number }>(`
    select count(*)::int as n from journal_entries j
    where j.tenant_id = app_tenant() and j.action = 'procedures.dossier.submit'
      and not exists (select 1 from dossiers d where d.tenant_id = j.tenant_id and d.id::text = j.subject_id)`),
  );
  return row!.n;
}

export function incomplete(rows: DossierCompleteness[], answers: number): DossierCompleteness[] {
  return rows.filter((r) => r.answers !== answers || r.transitions !== 1 || r.journal !== 1 || r.jobs !== 1);
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
