// Fixity audit: objects are read back from the blob store and their SHA-512 recomputed (SEDA's and
// Vitam's reference digest) and compared with the one recorded at ingest. Each night the scheduled job
// checks a rolling share of every collectivité's objects, the least recently checked first
// (BASTIDE_ARCHIVES_AUDIT_SHARE, a fraction: 0.05 by default, so that every object is read within 20
// nights; 1 = all). An altered or missing object is reported in the journal and by mail to the
// collectivité's archivists. `bastide archives audit` checks everything, now.
import { createHash } from 'node:crypto';
import type { Database } from '../../../core/db/database.ts';
import { readFileSync, statSync } from 'node:fs';
import { blobStoreFor, LocalBlobStore, type BlobStore, type FilesConfig } from '../../../core/files/store.ts';
import { journal } from '../../../core/audit/journal.ts';
import { queueMails } from '../../../core/mail/mail.ts';
import { translator, type Locale } from '../../../core/i18n/i18n.ts';

export const AUDIT_JOB = 'archives.audit';
/** Objects read at once. */
const AUDIT_WIDTH = 4;

export function auditShare(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.BASTIDE_ARCHIVES_AUDIT_SHARE);
  return Number.isFinite(v) && v > 0 && v <= 1 ? v : 0.05;
}

export interface AuditProblem {
  object_id: string;
  unit_id: string;
  filename: string;
  sha512: string;
  outcome: 'altered' | 'missing';
}

export interface AuditReport {
  tenantId: string;
  checked: number;
  bytes: number;
  problems: AuditProblem[];
}

interface Candidate {
  id: string;
  unit_id: string;
  filename: string;
  sha256: string;
  sha512: string;
  size: string;
}

/** SHA-512 of the stored blob, or null when the store does not hold it. */
export async function rehash(store: BlobStore, tenantId: string, sha256: string): Promise<{ sha512: string; size: number } | null> {
  if (store instanceof LocalBlobStore) {
    // The local folder's small files in one synchronous read each (page cache: microseconds, where a
    // stream costs several trips through the thread pool); larger ones and buckets are streamed.
    const path = store.pathOf(tenantId, sha256);
    let size: number;
    try {
      size = statSync(path).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    if (size <= 1024 * 1024) {
      const bytes = readFileSync(path);
      return { sha512: createHash('sha512').update(bytes).digest('hex'), size: bytes.length };
    }
  }
  const blob = await store.open(tenantId, sha256);
  if (!blob) return null;
  const hash = createHash('sha512');
  let size = 0;
  for await (const chunk of blob.stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha512: hash.digest('hex'), size };
}

/**
 * Audits one collectivité: `share` of its kept objects (1 = all), least recently checked first. Records
 * each outcome, journals the run, and mails the archivists when something is wrong — one transaction.
 */
export async function auditTenant(
  deps: { db: Database; config: FilesConfig },
  tenantId: string,
  options: { share?: number; actor?: string } = {},
): Promise<AuditReport> {
  const store = blobStoreFor(deps.config);
  const share = options.share ?? 1;
  const candidates = await deps.db.transaction(tenantId, async (tx) => {
    const total = (await tx.one<{ n: number }>('select count(*)::int as n from archives_objects where eliminated_at is null'))!.n;
    const limit = share >= 1 ? total : Math.ceil(total * share);
    return tx.query<Candidate>(
      `select o.id, o.unit_id, o.filename, o.sha256, o.sha512, o.size::text as size
       from archives_objects o left join archives_fixity f on f.object_id = o.id
       where o.eliminated_at is null
       order by f.checked_at asc nulls first, o.id limit $1`,
      [limit],
    );
  });
  const problems: AuditProblem[] = [];
  const outcomes: Array<{ object_id: string; outcome: string }> = [];
  let bytes = 0;
  // A few objects at once: the store's waits (a disk, a bucket) overlap with hashing. Results keep the
  // candidates' order, so that "the first altered object" is the same on every run.
  const results = new Array<{ outcome: 'ok' | 'altered' | 'missing'; size: number }>(candidates.length);
  let next = 0;
  const lane = async () => {
    while (next < candidates.length) {
      const i = next++;
      const c = candidates[i]!;
      const found = await rehash(store, tenantId, c.sha256);
      results[i] = { outcome: !found ? 'missing' : found.sha512 !== c.sha512 || String(found.size) !== c.size ? 'altered' : 'ok', size: found?.size ?? 0 };
    }
  };
  await Promise.all(Array.from({ length: AUDIT_WIDTH }, lane));
  // Intact objects not yet write-once in the store (ingested before sealing existed, or a crash between an
  // ingest's commit and its sealing) are sealed now.
  for (const [i, c] of candidates.entries())
    if (results[i]!.outcome === 'ok' && !(await store.isSealed(tenantId, c.sha256))) await store.seal(tenantId, c.sha256);
  for (const [i, c] of candidates.entries()) {
    const { outcome, size } = results[i]!;
    bytes += size;
    outcomes.push({ object_id: c.id, outcome });
    if (outcome !== 'ok') problems.push({ object_id: c.id, unit_id: c.unit_id, filename: c.filename, sha512: c.sha512, outcome });
  }
  await deps.db.transaction(tenantId, async (tx) => {
    for (let i = 0; i < outcomes.length; i += 1000) {
      await tx.query(
        `insert into archives_fixity (tenant_id, object_id, checked_at, outcome)
         select app_tenant(), x.object_id, now(), x.outcome from jsonb_to_recordset($1::jsonb) as x(object_id uuid, outcome text)
         on conflict (tenant_id, object_id) do update set checked_at = excluded.checked_at, outcome = excluded.outcome`,
        [JSON.stringify(outcomes.slice(i, i + 1000))],
      );
    }
    await journal(tx, {
      actor: options.actor ?? 'system',
      action: problems.length ? 'archives.audit.failed' : 'archives.audit',
      subjectType: 'archive_audit',
      data: {
        checked: candidates.length,
        bytes,
        share,
        altered: problems.filter((p) => p.outcome === 'altered').length,
        missing: problems.filter((p) => p.outcome === 'missing').length,
        problems: problems.slice(0, 100),
      },
    });
    if (problems.length) await mailArchivists(tx, tenantId, problems);
  });
  return { tenantId, checked: candidates.length, bytes, problems };
}

async function mailArchivists(tx: Parameters<Parameters<Database['transaction']>[1]>[0], tenantId: string, problems: AuditProblem[]): Promise<void> {
  const people = await tx.query<{ email: string; locale: Locale }>(
    `select distinct p.email, p.locale from effective_memberships m join people p on p.id = m.person_id
     where m.tenant_id = $1 and m.role in ('archivist', 'tenant_admin') and p.email_verified_at is not null`,
    [tenantId],
  );
  const tenant = await tx.one<{ name: string; slug: string }>('select name, slug from tenants where id = $1', [tenantId]);
  await queueMails(
    tx,
    people.map((person) => {
      const t = translator(person.locale === 'en' ? 'en' : 'fr');
      const lines = problems.slice(0, 50).map((p) => `- ${t(`archives.audit.${p.outcome}`)} : ${p.filename} (${p.object_id}, unité ${p.unit_id})`);
      return {
        to: person.email,
        subject: t('archives.audit.mail_subject', { count: problems.length, tenant: tenant?.name ?? '' }),
        text: [
          t('archives.audit.mail_intro', { count: problems.length }),
          '',
          ...lines,
          '',
          t('archives.audit.mail_outro', { path: `/${tenant?.slug ?? ''}/admin/archives` }),
        ].join('\n'),
      };
    }),
  );
}

/** Every collectivité that has archive objects (owner transaction: the list only, no content). */
export async function tenantsWithArchives(db: Database, slug?: string): Promise<Array<{ id: string; slug: string }>> {
  return db.ownerTransaction((tx) =>
    tx.query<{ id: string; slug: string }>(
      `select t.id, t.slug from tenants t where exists (select 1 from archives_objects o where o.tenant_id = t.id) ${slug ? 'and t.slug = $1' : ''} order by t.slug`,
      slug ? [slug] : [],
    ),
  );
}

/** The nightly job: a rolling share of every collectivité's objects. */
export function auditJobHandler(deps: { db: Database; config: FilesConfig }) {
  return async (): Promise<void> => {
    for (const tenant of await tenantsWithArchives(deps.db)) await auditTenant(deps, tenant.id, { share: auditShare() });
  };
}
