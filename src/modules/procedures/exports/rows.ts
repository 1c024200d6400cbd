// Reads a procedure's dossiers page by page (keyset on the time-ordered id, 1,000 rows a page), each page
// in its own short transaction: memory stays flat whatever the number of dossiers, and on the embedded
// database (one connection) other requests keep being served between pages. The export is therefore not
// one snapshot: a dossier changed during a long export shows its state at the time its page was read.
import type { Database } from '../../../core/db/database.ts';
import { scopeSql, type DossierScope } from '../procedures.policy.ts';

export const EXPORT_PAGE_SIZE = 1000;

export interface ExportRow {
  id: string;
  number: string;
  state: string;
  revision: number;
  created_at: Date;
  submitted_at: Date | null;
  instructed_at: Date | null;
  decided_at: Date | null;
  group_name: string | null;
  assignee_email: string | null;
  labels: string[];
  motivation: string | null;
  data: Record<string, unknown>;
}

/** Every non-draft dossier of a procedure the scope lets the caller see, oldest first. */
export async function* exportRows(db: Database, tenantId: string, procedureId: string, scope: DossierScope, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<ExportRow> {
  let after: string | null = null;
  for (;;) {
    const cursor: string | null = after;
    const page = await db.transaction(tenantId, (tx) => {
      const params: unknown[] = [procedureId, cursor, pageSize];
      const scoped = scopeSql(scope, 'd', params);
      return tx.query<ExportRow>(
        `select d.id, d.number::text as number, d.state, d.revision, d.created_at, d.submitted_at, d.instructed_at,
                d.decided_at, g.name as group_name, a.email as assignee_email, d.labels, d.motivation, d.data
         from dossiers d
         left join agent_groups g on g.tenant_id = d.tenant_id and g.id = d.group_id
         left join people a on a.id = d.assignee_id
         where d.tenant_id = app_tenant() and d.procedure_id = $1 and d.state <> 'brouillon'
           and ($2::uuid is null or d.id > $2::uuid) and ${scoped}
         order by d.id
         limit $3`, params);
    });
    for (const row of page) yield row;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.id;
  }
}
