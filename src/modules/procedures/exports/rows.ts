// Reads a procedure's dossiers page by page (keyset, 1,000 rows a page), each page
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

/** Every submitted dossier of a procedure the scope lets the caller see, oldest submission first. */
export async function* exportRows(
  db: Database,
  tenantId: string,
  procedureId: string,
  scope: DossierScope,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<ExportRow> {
  for await (const page of exportPages(db, tenantId, procedureId, scope, pageSize)) yield* page;
}

/** The same, a page at a time (the HTTP export writes one chunk per page, not one per row). */
export async function* exportPages(
  db: Database,
  tenantId: string,
  procedureId: string,
  scope: DossierScope,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<ExportRow[]> {
  // Keyset on (submitted_at, number), read backwards on the inbox's index (tenant_id, procedure_id,
  // submitted_at desc, number desc): each page is a range scan, whatever its position in the export.
  // The cursor's timestamp travels as text so that its microseconds survive the round trip.
  let after: { at: string; number: string } | null = null;
  for (;;) {
    const cursor: { at: string; number: string } | null = after;
    const page: Array<ExportRow & { at_key: string }> = await db.transaction(tenantId, (tx) => {
      const params: unknown[] = cursor ? [procedureId, pageSize, cursor.at, cursor.number] : [procedureId, pageSize];
      const scoped = scopeSql(scope, 'd', params);
      return tx.query<ExportRow & { at_key: string }>(
        `select d.id, d.number::text as number, d.state, d.revision, d.created_at, d.submitted_at, d.instructed_at,
                d.decided_at, g.name as group_name, a.email as assignee_email, d.labels, d.motivation, d.data,
                d.submitted_at::text as at_key
         from dossiers d
         left join agent_groups g on g.tenant_id = d.tenant_id and g.id = d.group_id
         left join people a on a.id = d.assignee_id
         where d.tenant_id = app_tenant() and d.procedure_id = $1 and d.state <> 'brouillon' and d.submitted_at is not null
           ${cursor ? 'and (d.submitted_at, d.number) > ($3::timestamptz, $4::bigint)' : ''} and ${scoped}
         order by d.submitted_at, d.number
         limit $2`,
        params,
      );
    });
    yield page.map(({ at_key: _, ...row }) => row);
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { at: last.at_key, number: last.number };
  }
}
