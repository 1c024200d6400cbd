// A stable address for the demo deposit's first unit (the page tour needs one, and it opens pages without
// following redirects; unit ids are random): /<slug>/admin/archives/demonstration shows the root unit of
// the collectivité's demo deposit (seed.ts) and …/demonstration/preuve its proof of integrity. 404 when
// there is none. The pages themselves are registered by routes/pages.ts and routes/proof.ts.
import type { Database } from '../../../core/db/database.ts';
import { notFound } from '../../../core/base/errors.ts';
import { DEMO_REF } from '../seed.ts';

export async function demoUnitId(db: Database, tenantId: string): Promise<string> {
  const row = await db.transaction(tenantId, (tx) =>
    tx.one<{ id: string }>(
      `select u.id from archives_units u join archives_ingests i on i.id = u.ingest_id
        where i.kind = 'upload' and i.source_ref = $1 and u.parent_id is null and u.eliminated_at is null order by u.created_at, u.title collate "C" limit 1`,
      [DEMO_REF],
    ),
  );
  if (!row) throw notFound();
  return row.id;
}
