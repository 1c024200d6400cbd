// Fast generator of dossiers for the inbox benchmarks: set-based SQL (generate_series), no round trip
// per row. Secondary indexes are dropped during the load and rebuilt once afterwards (a bulk index
// build is many times faster than a million index insertions), then the table is analysed.
// Runs as the schema owner; rows are spread over five states and a year of submission dates, and carry
// French text (vocabulary and family names) so that full-text search has realistic selectivity.
import type { Database } from '../../src/core/db/database.ts';
import { frenchSentence } from '../fixtures/french-words.ts';
import { FAMILY_NAMES } from '../fixtures/french-names.ts';
import type { BenchTenant } from './setup.ts';

const PHRASES = 1000;

function sqlArray(values: readonly string[]): string {
  return `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`;
}

/** Phrases and their search vectors, computed once: each dossier combines two of them. */
async function preparePhrases(db: Database): Promise<void> {
  const rows = Array.from({ length: PHRASES }, (_, i) => `(${i}, '${frenchSentence(i + 17, 30).replace(/'/g, "''")}')`);
  await db.exec(`
    drop table if exists bench_phrases;
    create unlogged table bench_phrases (id int primary key, text text not null, vec tsvector);
    insert into bench_phrases (id, text) values ${rows.join(',')};
    update bench_phrases set vec = to_tsvector('french_unaccent', text);`);
}

/** Inserts `count` dossiers for one tenant's procedure, in slices of `slice` rows (one transaction each). */
async function insertDossiers(db: Database, t: BenchTenant, count: number, offset: number, log: (line: string) => void): Promise<void> {
  const slice = 100_000;
  const names = sqlArray(FAMILY_NAMES);
  for (let start = 0; start < count; start += slice) {
    const n = Math.min(slice, count - start);
    await db.ownerTransaction((tx) =>
      tx.query(
        `
      insert into dossiers (tenant_id, id, procedure_id, revision, state, applicant_email, data, search, created_at, updated_at, submitted_at)
      select $1, gen_random_uuid(), $2, $3,
             (array['en_construction','en_construction','en_construction','en_instruction','en_instruction','en_instruction',
                    'accepte','accepte','refuse','sans_suite'])[1 + (g % 10)],
             'demandeur.' || g || '@example.org',
             jsonb_build_object('nom', nm, 'prenom', 'Camille', 'commune', '44109', 'montant', 1000 + g % 9000,
                                'association', 'Association ' || split_part(p1.text, ' ', 1), 'description', p1.text, 'objectifs', p2.text),
             to_tsvector('french_unaccent', nm || ' Camille') || p1.vec || p2.vec,
             ts, ts, ts
      from generate_series($4::bigint, $5::bigint) as g
      cross join lateral (select (${names})[1 + ((g * 7919) % ${FAMILY_NAMES.length})] as nm,
                                 now() - make_interval(secs => (g * 104729) % 31536000) as ts) as v
      join bench_phrases p1 on p1.id = (g * 31) % ${PHRASES}
      join bench_phrases p2 on p2.id = (g * 57 + 3) % ${PHRASES}`,
        [t.tenantId, t.procedureId, t.revision, offset + start, offset + start + n - 1],
      ),
    );
    log(`  ${t.slug}: ${start + n} / ${count}`);
  }
}

interface IndexDef {
  name: string;
  def: string;
}

export async function generateDossiers(db: Database, tenants: Array<{ tenant: BenchTenant; count: number }>, log: (line: string) => void): Promise<void> {
  const indexes = await db.ownerTransaction((tx) =>
    tx.query<IndexDef>(
      `select i.indexname as name, i.indexdef as def from pg_indexes i
     where i.tablename = 'dossiers' and i.schemaname = 'public'
       and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    ),
  );
  log(`dropping ${indexes.length} secondary indexes for the load`);
  for (const ix of indexes) await db.exec(`drop index ${ix.name}`);
  await preparePhrases(db);
  let offset = 1;
  for (const { tenant, count } of tenants) {
    await insertDossiers(db, tenant, count, offset, log);
    offset += count;
  }
  log('rebuilding indexes');
  for (const ix of indexes) {
    const t0 = performance.now();
    // One statement batch: the setting applies on the connection that builds the index.
    await db.exec(`set maintenance_work_mem = '512MB'; ${ix.def}`);
    log(`  ${ix.name} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  await db.exec('drop table bench_phrases');
  await db.exec('vacuum analyze dossiers');
}
