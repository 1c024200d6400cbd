// SQL of kits and their versions, and of what a kit copies into a debate (documents, FAQ, questions,
// meetings, datasets). Runs in a transaction scoped to one collectivité; kits of other collectivités are
// read only through the security-definer functions of 0720 (debates_visible_kits, debates_kit_versions,
// debates_kit_users), which return what the caller may see and nothing else.
import type { Tx } from '../../../core/db/database.ts';
import type { Kit } from './kit-format.ts';

export type KitSharing = 'private' | 'hosted' | 'network';

export interface VisibleKit {
  owner_tenant: string;
  owner_slug: string;
  owner_name: string;
  id: string;
  slug: string;
  title: string;
  summary: string;
  sharing: KitSharing;
  latest_version: number;
  updated_at: Date;
}

export interface KitVersion {
  version: number;
  document: Kit;
  note: string;
  created_at: Date;
}

export interface KitUser {
  tenant_slug: string;
  tenant_name: string;
  version: number;
  copied_at: Date;
}

export async function visibleKits(tx: Tx): Promise<VisibleKit[]> {
  return tx.query<VisibleKit>('select * from debates_visible_kits() order by (owner_tenant = app_tenant()) desc, title, owner_name');
}

export async function visibleKit(tx: Tx, ownerSlug: string, slug: string): Promise<VisibleKit | null> {
  return tx.one<VisibleKit>('select * from debates_visible_kits() where owner_slug = $1 and slug = $2', [ownerSlug, slug]);
}

export async function kitVersions(tx: Tx, owner: string, kitId: string): Promise<KitVersion[]> {
  return tx.query<KitVersion>('select * from debates_kit_versions($1, $2)', [owner, kitId]);
}

export async function kitUsers(tx: Tx, ref: { owner: string; kitId: string } | { product: string }): Promise<KitUser[]> {
  return 'product' in ref
    ? tx.query<KitUser>('select * from debates_kit_users(null, null, $1)', [ref.product])
    : tx.query<KitUser>('select * from debates_kit_users($1, $2, null)', [ref.owner, ref.kitId]);
}

/** One of this collectivité's own kits, locked for a change (RLS: another's kit is simply not found). */
export async function ownKit(tx: Tx, slug: string): Promise<{ id: string; slug: string; sharing: KitSharing; latest_version: number } | null> {
  return tx.one('select id, slug, sharing, latest_version from debate_kits where tenant_id = app_tenant() and slug = $1 for update', [slug]);
}

export async function kitSlugTaken(tx: Tx, slug: string): Promise<boolean> {
  return !!(await tx.one('select 1 from debate_kits where tenant_id = app_tenant() and slug = $1', [slug]));
}

export async function insertKit(
  tx: Tx,
  k: { slug: string; title: string; summary: string; sharing: KitSharing; origin: Record<string, unknown> | null },
): Promise<string> {
  return (await tx.one<{ id: string }>(
    `insert into debate_kits (tenant_id, slug, title, summary, sharing, origin) values (app_tenant(), $1, $2, $3, $4, $5) returning id`,
    [k.slug, k.title, k.summary, k.sharing, k.origin ? JSON.stringify(k.origin) : null],
  ))!.id;
}

export async function insertKitVersion(tx: Tx, kitId: string, version: number, kit: Kit, note: string, actor: string): Promise<void> {
  await tx.execute(`insert into debate_kit_versions (tenant_id, kit_id, version, document, note, created_by) values (app_tenant(), $1, $2, $3, $4, $5)`, [
    kitId,
    version,
    JSON.stringify(kit),
    note,
    actor,
  ]);
  await tx.execute(`update debate_kits set latest_version = $2, title = $3, summary = $4, updated_at = now() where tenant_id = app_tenant() and id = $1`, [
    kitId,
    version,
    kit.title,
    kit.summary,
  ]);
}

export async function setKitSharing(tx: Tx, kitId: string, sharing: KitSharing, networks: string[]): Promise<void> {
  await tx.execute('update debate_kits set sharing = $2, updated_at = now() where tenant_id = app_tenant() and id = $1', [kitId, sharing]);
  await tx.execute('delete from debate_kit_networks where tenant_id = app_tenant() and kit_id = $1', [kitId]);
  for (const n of networks) {
    await tx.execute('insert into debate_kit_networks (tenant_id, kit_id, network_id) values (app_tenant(), $1, $2)', [kitId, n]);
  }
}

/** The networks (tenants of kind 'network') this collectivité belongs to: where it may share a kit. */
export async function networksOf(tx: Tx): Promise<Array<{ id: string; slug: string; name: string }>> {
  return tx.query(
    `select t.id, t.slug, t.name from tenant_relations r join tenants t on t.id = r.related_tenant_id
     where r.tenant_id = app_tenant() and r.kind = 'network_member' and t.kind = 'network' order by t.name`,
  );
}

export async function recordKitUse(tx: Tx, debateId: string, use: { owner: string; kitId: string } | { product: string }, version: number): Promise<void> {
  await tx.execute(
    `insert into debate_kit_uses (tenant_id, debate_id, kit_owner, kit_id, product_slug, version) values (app_tenant(), $1, $2, $3, $4, $5)`,
    'product' in use ? [debateId, null, null, use.product, version] : [debateId, use.owner, use.kitId, null, version],
  );
}

export async function kitUseOf(
  tx: Tx,
  debateId: string,
): Promise<{ kit_owner: string | null; kit_id: string | null; product_slug: string | null; version: number } | null> {
  return tx.one('select kit_owner, kit_id, product_slug, version from debate_kit_uses where tenant_id = app_tenant() and debate_id = $1', [debateId]);
}

/** Writes the kit's documents, FAQ, questions and dataset slots into a new debate. */
export async function insertKitContents(tx: Tx, debateId: string, kit: Kit): Promise<void> {
  for (const [i, d] of kit.documents.entries()) {
    await tx.execute(`insert into debate_documents (tenant_id, debate_id, position, title, publisher, url) values (app_tenant(), $1, $2, $3, $4, $5)`, [
      debateId,
      i,
      d.title,
      d.publisher ?? '',
      d.url,
    ]);
  }
  for (const [i, f] of kit.faq.entries()) {
    await tx.execute(`insert into debate_faq (tenant_id, debate_id, position, question, answer) values (app_tenant(), $1, $2, $3, $4)`, [
      debateId,
      i,
      f.question,
      f.answer,
    ]);
  }
  for (const [i, q] of kit.questions.entries()) {
    await tx.execute(`insert into debate_questions (tenant_id, debate_id, position, addressee, text) values (app_tenant(), $1, $2, $3, $4)`, [
      debateId,
      i,
      q.addressee,
      q.text,
    ]);
  }
  for (const d of kit.datasets ?? []) {
    await tx.execute(`insert into debate_datasets (tenant_id, debate_id, dataset_key, title, description, layout) values (app_tenant(), $1, $2, $3, $4, $5)`, [
      debateId,
      d.key,
      d.title,
      d.description,
      d.layout,
    ]);
  }
}

export interface DebateContents {
  documents: Array<{
    id: string;
    title: string;
    publisher: string;
    url: string | null;
    blob_sha256: string | null;
    filename: string | null;
    byte_size: number | null;
    dataset_slug: string | null;
  }>;
  faq: Array<{ question: string; answer: string }>;
  questions: Array<{ addressee: string; text: string }>;
  datasets: Array<{ dataset_key: string; title: string; description: string; layout: 'anfr-sup-support'; source_note: string; row_count: number }>;
}

export async function debateContents(tx: Tx, debateId: string): Promise<DebateContents> {
  // One after the other: a transaction is one connection.
  const documents = await tx.query<DebateContents['documents'][number]>(
    `select id, title, publisher, url, blob_sha256, filename, byte_size::int as byte_size, dataset_slug from debate_documents
       where tenant_id = app_tenant() and debate_id = $1 order by position, created_at`,
    [debateId],
  );
  const faq = await tx.query<DebateContents['faq'][number]>(
    'select question, answer from debate_faq where tenant_id = app_tenant() and debate_id = $1 order by position',
    [debateId],
  );
  const questions = await tx.query<DebateContents['questions'][number]>(
    'select addressee, text from debate_questions where tenant_id = app_tenant() and debate_id = $1 order by position',
    [debateId],
  );
  const datasets = await tx.query<DebateContents['datasets'][number]>(
    `select dataset_key, title, description, layout, source_note, row_count from debate_datasets where tenant_id = app_tenant() and debate_id = $1 order by dataset_key`,
    [debateId],
  );
  return { documents, faq, questions, datasets };
}
