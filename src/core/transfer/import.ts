// `bastide tenant import`: recreates a collectivité from its archive (format.ts), ids kept, in one
// transaction. The archive is hostile input until proven otherwise:
// 1. before anything is written, every part is read once: its size and SHA-256 must be the manifest's, the
//    manifest must list exactly the archive's entries, each table must be a tenant table of THIS
//    installation's catalogue and each key a column of it, every row must belong to the archived
//    collectivité, every person an archived row points to must come with it;
// 2. the files go to the blob store under their content address (checked again on the way);
// 3. one owner transaction writes the collectivité, the new accounts and the rows (table and column
//    names from the catalogue, quoted; values bound as JSON and converted by json_populate_recordset),
//    re-hashing each part as it goes: an archive changed since step 1 rolls everything back.
// Files stored before a failed transaction have no row: the daily sweep removes them.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Database, Tx } from '../db/database.ts';
import { isUuid } from '../db/ids.ts';
import type { BlobStore } from '../files/store.ts';
import { enqueue } from '../jobs/queue.ts';
import { dependencyOrder, hasTenantId, personColumns, quoteIdent, readCatalog, type TableInfo } from './catalog.ts';
import {
  DEFAULT_LIMITS,
  FORMAT,
  FORMAT_VERSION,
  isExcludedTable,
  MANIFEST,
  PART_NAME,
  PEOPLE_PART,
  TENANT_PART,
  TransferError,
  type Manifest,
  type Part,
  type TenantPart,
  type TransferLimits,
} from './format.ts';
import { lines, openArchive, type ArchiveReader } from './zip-reader.ts';
import { planReferences, referenceColumns, type ReferenceMap } from './references.ts';

export interface ImportOptions {
  /** Another address for the collectivité (its slug is taken here, or the host prefers another). */
  slug?: string;
  /**
   * Also restore the links that give the imported collectivité a say over collectivités already here (they
   * are its members, or it hosts them). Off by default: an archive must not make itself the host of a
   * collectivité of this installation unless the operator says so; such links are reported.
   */
  linkMembers?: boolean;
  limits?: Partial<TransferLimits>;
  progress?: (message: string) => void;
}

export interface ImportSummary {
  tenantId: string;
  slug: string;
  tables: number;
  rows: number;
  files: number;
  people: { created: number; existing: number; mapped: number };
  links: { restored: string[]; missing: string[]; notRestored: string[] };
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SHA256 = /^[0-9a-f]{64}$/;
const BATCH = 500;

type JsonRow = Record<string, unknown>;

function refuse(message: string): never {
  throw new TransferError(message);
}

function checkManifest(value: unknown, limits: TransferLimits): Manifest {
  const m = value as Manifest;
  if (!m || typeof m !== 'object' || m.format !== FORMAT) refuse('not a Bastide tenant archive (manifest format)');
  if (!Number.isInteger(m.version) || m.version < 1 || m.version > FORMAT_VERSION)
    refuse(`archive format version ${String(m.version)} is not supported here (this installation reads up to ${FORMAT_VERSION})`);
  if (!m.tenant || !isUuid(m.tenant.id) || typeof m.tenant.slug !== 'string' || !SLUG.test(m.tenant.slug)) refuse('the manifest names no valid collectivité');
  if (!Array.isArray(m.parts) || m.parts.length > limits.parts) refuse('the manifest lists no parts, or too many');
  let total = 0;
  const names = new Set<string>();
  for (const p of m.parts) {
    if (!p || typeof p.name !== 'string' || !PART_NAME.test(p.name))
      refuse(`the manifest lists an unexpected part name ${JSON.stringify(p?.name)?.slice(0, 100)}`);
    if (names.has(p.name)) refuse(`the manifest lists ${p.name} twice`);
    names.add(p.name);
    if (!Number.isSafeInteger(p.bytes) || p.bytes < 0 || typeof p.sha256 !== 'string' || !SHA256.test(p.sha256)) refuse(`${p.name}: no valid size or digest`);
    total += p.bytes;
    const kind = p.name === TENANT_PART ? 'tenant' : p.name === PEOPLE_PART ? 'people' : p.name.startsWith('tables/') ? 'table' : 'file';
    if (p.kind !== kind) refuse(`${p.name}: kind ${String(p.kind)} does not match its name`);
    if (kind === 'table' && p.table !== p.name.replace(/^tables\/\d{3}-/, '').replace(/\.jsonl$/, '')) refuse(`${p.name}: table name does not match`);
    if (kind === 'file' && p.name !== `files/${p.sha256}`) refuse(`${p.name}: a file is named by its SHA-256`);
    if ((kind === 'table' || kind === 'people') && (!Number.isSafeInteger(p.rows) || p.rows! < 0)) refuse(`${p.name}: no row count`);
  }
  if (total > limits.totalBytes) refuse(`the archive would unpack to ${total} bytes, more than the ${limits.totalBytes} allowed`);
  if (!names.has(TENANT_PART) || !names.has(PEOPLE_PART)) refuse('the archive lacks tenant.json or people.jsonl');
  return m;
}

/** Hashes a part's bytes as they pass; `check()` compares them with the manifest. */
function digestOf(part: Part): { transform: Transform; check(): void } {
  const hash = createHash('sha256');
  let bytes = 0;
  return {
    transform: new Transform({
      transform(chunk: Buffer, _e, done) {
        bytes += chunk.length;
        if (bytes > part.bytes) return done(new TransferError(`${part.name}: larger than the manifest says`));
        hash.update(chunk);
        done(null, chunk);
      },
    }),
    check() {
      if (bytes !== part.bytes || hash.digest('hex') !== part.sha256)
        refuse(`${part.name}: its content does not match the manifest's digest (damaged or altered archive)`);
    },
  };
}

/** Reads a JSON lines part through its digest check, handing each parsed row (and its text) to `each`. */
async function readRows(
  archive: ArchiveReader,
  part: Part,
  limits: TransferLimits,
  each: (row: JsonRow, text: string) => Promise<void> | void,
): Promise<number> {
  const digest = digestOf(part);
  const stream = (await archive.read(part.name)).pipe(digest.transform);
  let count = 0;
  for await (const line of lines(stream, limits.lineBytes, part.name)) {
    const text = line.toString('utf8');
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch {
      refuse(`${part.name}, line ${count + 1}: not JSON`);
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) refuse(`${part.name}, line ${count + 1}: not an object`);
    count += 1;
    await each(row as JsonRow, text);
  }
  digest.check();
  if (count !== part.rows) refuse(`${part.name}: ${count} rows, the manifest says ${part.rows}`);
  return count;
}

async function readSmall(archive: ArchiveReader, part: Part, max: number): Promise<Buffer> {
  if (part.bytes > max) refuse(`${part.name} is too large`);
  const digest = digestOf(part);
  const chunks: Buffer[] = [];
  for await (const c of (await archive.read(part.name)).pipe(digest.transform) as AsyncIterable<Buffer>) chunks.push(c);
  digest.check();
  return Buffer.concat(chunks);
}

interface Plan {
  manifest: Manifest;
  tenant: TenantPart;
  tables: TableInfo[];
  parts: Map<string, Part>;
  /** Keys of each table's rows (the same for every row of a part). */
  keys: Map<string, string[]>;
  peopleKeys: string[];
  people: Map<string, JsonRow>;
  referenced: Set<string>;
  catalog: Map<string, TableInfo>;
  /** Installation-wide rows the archive names, found here by their key (references.ts). */
  references: ReferenceMap;
}

/** Queued by an import in its transaction; core/module.ts's handler runs every module's afterTenantImport. */
export const TENANT_IMPORTED_JOB = 'core.tenant.imported';

export async function importTenant(db: Database, store: BlobStore, file: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const progress = options.progress ?? (() => {});
  const archive = await openArchive(file, limits.parts + 1);
  try {
    for (const name of archive.entries.keys()) if (!PART_NAME.test(name)) refuse(`unexpected entry ${JSON.stringify(name).slice(0, 120)} in the archive`);
    const manifestEntry = archive.entries.get(MANIFEST) ?? refuse('the archive has no manifest.json');
    if (manifestEntry.uncompressedSize > limits.manifestBytes) refuse('manifest.json is too large');
    const chunks: Buffer[] = [];
    for await (const c of (await archive.read(MANIFEST)) as AsyncIterable<Buffer>) chunks.push(c);
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      refuse('manifest.json is not JSON');
    }
    const manifest = checkManifest(parsed, limits);
    const parts = new Map(manifest.parts.map((p) => [p.name, p]));
    for (const [name, entry] of archive.entries) {
      if (name === MANIFEST) continue;
      const part = parts.get(name) ?? refuse(`${name} is in the archive but not in its manifest`);
      if (entry.uncompressedSize !== part.bytes) refuse(`${name}: its size in the archive is not the manifest's`);
    }
    for (const name of parts.keys()) if (!archive.entries.has(name)) refuse(`${name} is in the manifest but not in the archive`);

    progress('checking the archive');
    const plan = await checkArchive(db, archive, manifest, parts, limits);
    const tenantId = manifest.tenant.id;
    const slug = options.slug ?? plan.tenant.tenant.slug;
    if (!SLUG.test(slug) || slug.length > 63) refuse(`"${slug}" is not a valid address (lowercase letters, digits and hyphens)`);
    await checkFree(db, tenantId, slug, plan.tenant);
    const mapping = await planPeople(db, plan);

    // Files first (content-addressed; a failed import leaves them without a row for the sweep).
    const files = manifest.parts.filter((p) => p.kind === 'file');
    for (const [i, part] of files.entries()) {
      if (i % 50 === 0 || i === files.length - 1) progress(`files ${i + 1}/${files.length}`);
      const digest = digestOf(part);
      const temp = await store.tempPath();
      try {
        await pipeline(await archive.read(part.name), digest.transform, createWriteStream(temp));
        digest.check();
        await store.adopt(tenantId, part.sha256, temp);
      } finally {
        await rm(temp, { force: true });
      }
    }

    progress('writing the database');
    const summary = await db.ownerTransaction(async (tx) => {
      const t = plan.tenant.tenant;
      await tx.query(
        `insert into tenants (id, slug, name, kind, official_code, epci_type, settings, created_at) values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::timestamptz)`,
        [tenantId, slug, t.name, t.kind, t.official_code, t.epci_type, JSON.stringify(t.settings ?? {}), t.created_at],
      );
      const created = await insertPeople(tx, plan, mapping);
      let rows = 0;
      for (const table of plan.tables) {
        const part = [...parts.values()].find((p) => p.kind === 'table' && p.table === table.name)!;
        progress(`table ${table.name}`);
        const pointers = referenceColumns(table, plan.catalog, plan.references);
        rows += await insertTable(tx, archive, table, part, plan.keys.get(table.name)!, tenantId, mapping, pointers, limits);
      }
      for (const table of plan.tables) await moveSequences(tx, table);
      const links = await restoreLinks(tx, tenantId, plan.tenant, options.linkMembers ?? false);
      // Runs once this commits: the modules rebuild what the archive does not carry (module.ts, afterTenantImport).
      await enqueue(tx, TENANT_IMPORTED_JOB, { tenantId }, { maxAttempts: 3 });
      return { rows, created, links };
    });
    return {
      tenantId,
      slug,
      tables: plan.tables.length,
      rows: summary.rows,
      files: files.length,
      people: { created: summary.created, existing: plan.people.size - summary.created - mapping.size, mapped: mapping.size },
      links: summary.links,
    };
  } finally {
    archive.close();
  }
}

/** Step 1: every part read and checked against the manifest and this installation's catalogue. */
async function checkArchive(db: Database, archive: ArchiveReader, manifest: Manifest, parts: Map<string, Part>, limits: TransferLimits): Promise<Plan> {
  const catalog = await db.ownerTransaction((tx) => readCatalog(tx));
  const references = await planReferences(db, catalog, manifest.references);
  const tenantId = manifest.tenant.id;
  let tenant: TenantPart;
  try {
    tenant = JSON.parse((await readSmall(archive, parts.get(TENANT_PART)!, limits.manifestBytes)).toString('utf8')) as TenantPart;
  } catch (error) {
    if (error instanceof TransferError) throw error;
    refuse('tenant.json is not JSON');
  }
  const t = tenant?.tenant;
  if (!t || t.id !== tenantId || typeof t.name !== 'string' || typeof t.kind !== 'string' || !SLUG.test(String(t.slug)))
    refuse('tenant.json does not describe the archived collectivité');
  if (t.official_code !== null && typeof t.official_code !== 'string') refuse('tenant.json: invalid official code');
  if (!Array.isArray(tenant.links)) tenant.links = [];

  const tables: TableInfo[] = [];
  for (const part of parts.values()) {
    if (part.kind !== 'table') continue;
    const info = catalog.get(part.table!);
    if (!info || !hasTenantId(info) || isExcludedTable(info.name))
      refuse(`the archive holds table "${part.table}", which this installation does not have (a module or a version it lacks): nothing was imported`);
    if (tables.some((x) => x.name === info.name)) refuse(`the archive holds table ${info.name} twice`);
    tables.push(info);
  }
  const ordered = dependencyOrder(tables).map((name) => catalog.get(name)!);
  const keys = new Map<string, string[]>();
  const referenced = new Set<string>();
  for (const table of ordered) {
    const part = [...parts.values()].find((p) => p.kind === 'table' && p.table === table.name)!;
    const allowed = new Set(table.columns.filter((c) => c.generated !== 'stored').map((c) => c.name));
    const persons = personColumns(table);
    // Rows may point to their own collectivité's rows and to people (carried along); a key to anything
    // else of this installation would let an archive reach rows it does not bring.
    for (const fk of table.foreignKeys) {
      const ref = catalog.get(fk.refTable);
      if (fk.refTable === 'people' || (ref && hasTenantId(ref) && fk.columns[0] === 'tenant_id')) continue;
      if (ref?.referenceKey && fk.columns.length === 1) continue;
      if (fk.refTable === 'tenants' && fk.columns.length === 1 && fk.columns[0] === 'tenant_id') continue;
      if (fk.refTable !== 'tenants' || fk.columns.length !== 1)
        refuse(`${table.name} points to ${fk.refTable}, which an archive does not carry: nothing was imported`);
    }
    const tenantRefs = table.foreignKeys.filter((f) => f.refTable === 'tenants' && f.columns[0] !== 'tenant_id').map((f) => f.columns[0]!);
    const pointers = referenceColumns(table, catalog, references);
    let first: string[] | null = null;
    await readRows(archive, part, limits, (row) => {
      const k = Object.keys(row);
      if (!first) {
        for (const key of k)
          if (!allowed.has(key)) refuse(`${part.name}: column "${key.slice(0, 80)}" is not a column of ${table.name} here: nothing was imported`);
        if (!k.includes('tenant_id')) refuse(`${part.name}: rows without tenant_id`);
        first = k;
      } else if (k.length !== first.length || k.some((key, i) => key !== first![i])) refuse(`${part.name}: rows with different columns`);
      if (row.tenant_id !== tenantId)
        refuse(`${part.name}: a row belongs to another collectivité (${String(row.tenant_id).slice(0, 40)}): nothing was imported`);
      for (const c of persons) if (row[c] !== null && row[c] !== undefined) referenced.add(String(row[c]));
      for (const c of tenantRefs)
        if (row[c] !== null && row[c] !== undefined && row[c] !== tenantId) refuse(`${part.name}: ${c} points to another collectivité: nothing was imported`);
      for (const p of pointers)
        if (row[p.column] !== null && row[p.column] !== undefined && !p.ids.has(String(row[p.column])))
          refuse(`${part.name}: ${p.column} points to a row of ${p.table} the manifest does not name: nothing was imported`);
    });
    keys.set(table.name, first ?? ['tenant_id']);
  }
  const people = new Map<string, JsonRow>();
  const peopleColumns = new Set(catalog.get('people')!.columns.map((c) => c.name));
  let peopleKeys: string[] = [];
  await readRows(archive, parts.get(PEOPLE_PART)!, limits, (row) => {
    const k = Object.keys(row);
    for (const key of k) if (!peopleColumns.has(key)) refuse(`people.jsonl: "${key.slice(0, 80)}" is not a column of people here`);
    if (!isUuid(String(row.id)) || typeof row.email !== 'string' || people.has(String(row.id))) refuse('people.jsonl: a row without a valid id and email');
    peopleKeys = k;
    people.set(String(row.id), row);
  });
  for (const id of referenced) if (!people.has(id)) refuse(`a row points to person ${id.slice(0, 40)}, whom people.jsonl does not carry`);
  for (const part of parts.values()) {
    if (part.kind !== 'file') continue;
    const digest = digestOf(part);
    for await (const _ of (await archive.read(part.name)).pipe(digest.transform) as AsyncIterable<Buffer>) {
      /* hashed on the way */
    }
    digest.check();
  }
  return { manifest, tenant, tables: ordered, parts, keys, peopleKeys, people, referenced, catalog, references };
}

/** Refuses a collectivité whose id, address or official code this installation already has. */
async function checkFree(db: Database, tenantId: string, slug: string, tenant: TenantPart): Promise<void> {
  const clash = await db.ownerTransaction((tx) =>
    tx.query<{ what: string }>(
      `select 'id' as what from tenants where id = $1
       union all select 'slug' from tenants where slug = $2
       union all select 'code' from tenants where kind = $3 and official_code = $4`,
      [tenantId, slug, tenant.tenant.kind, tenant.tenant.official_code],
    ),
  );
  const what = new Set(clash.map((c) => c.what));
  if (what.has('id')) refuse(`this installation already has the collectivité ${tenantId} (imported before?): nothing was imported`);
  if (what.has('slug')) refuse(`the address "${slug}" is taken here: choose another with --slug`);
  if (what.has('code')) refuse(`this installation already has a ${tenant.tenant.kind} with the official code ${tenant.tenant.official_code}`);
}

/**
 * People of the archive that this installation knows: the same account (same id and address) is used as
 * it is; an account with the same address under another id is used instead (its rows are rewritten to
 * it); an id taken here by another address is refused.
 */
async function planPeople(db: Database, plan: Plan): Promise<Map<string, string>> {
  const ids = [...plan.people.keys()];
  const emails = ids.map((id) => String(plan.people.get(id)!.email).toLowerCase());
  const known = await db.ownerTransaction((tx) =>
    tx.query<{ id: string; email: string }>(
      `select id::text as id, lower(email) as email from people where id = any($1::uuid[]) or lower(email) = any($2::text[])`,
      [ids, emails],
    ),
  );
  const byId = new Map(known.map((k) => [k.id, k.email]));
  const byEmail = new Map(known.map((k) => [k.email, k.id]));
  const mapping = new Map<string, string>();
  for (const [i, id] of ids.entries()) {
    const email = emails[i]!;
    if (byId.has(id)) {
      if (byId.get(id) !== email) refuse(`person ${id} exists here with another address: nothing was imported`);
      continue;
    }
    const other = byEmail.get(email);
    if (other) mapping.set(id, other);
  }
  return mapping;
}

async function insertPeople(tx: Tx, plan: Plan, mapping: Map<string, string>): Promise<number> {
  const existing = new Set(
    (await tx.query<{ id: string }>('select id::text as id from people where id = any($1::uuid[])', [[...plan.people.keys()]])).map((r) => r.id),
  );
  const fresh = [...plan.people.values()].filter((p) => !existing.has(String(p.id)) && !mapping.has(String(p.id)));
  // Installation-wide powers never come from an archive.
  const rows = fresh.map((p) => ({ ...p, is_host_operator: false }));
  const keys = [...new Set([...plan.peopleKeys, 'is_host_operator'])];
  for (let i = 0; i < rows.length; i += BATCH) {
    const cols = keys.map(quoteIdent).join(', ');
    await tx.query(`insert into people (${cols}) select ${cols} from json_populate_recordset(null::people, $1::json)`, [
      JSON.stringify(rows.slice(i, i + BATCH)),
    ]);
  }
  return rows.length;
}

async function insertTable(
  tx: Tx,
  archive: ArchiveReader,
  table: TableInfo,
  part: Part,
  keys: string[],
  tenantId: string,
  mapping: Map<string, string>,
  pointers: Array<{ column: string; ids: Map<string, string> }>,
  limits: TransferLimits,
): Promise<number> {
  const cols = keys.map(quoteIdent).join(', ');
  const overriding = table.columns.some((c) => c.generated === 'identity' && keys.includes(c.name)) ? ' overriding system value' : '';
  const sql = `insert into ${quoteIdent(table.name)} (${cols})${overriding} select ${cols} from json_populate_recordset(null::${quoteIdent(table.name)}, $1::json) where tenant_id = $2`;
  const persons = mapping.size ? personColumns(table) : [];
  let batch: string[] = [];
  let written = 0;
  const flush = async () => {
    if (!batch.length) return;
    const n = await tx.execute(sql, [`[${batch.join(',')}]`, tenantId]);
    if (n !== batch.length) refuse(`${part.name}: ${batch.length - n} rows of another collectivité`);
    written += n;
    batch = [];
  };
  await readRows(archive, part, limits, async (row, text) => {
    if (persons.some((c) => typeof row[c] === 'string' && mapping.has(row[c]))) {
      for (const c of persons) if (typeof row[c] === 'string' && mapping.has(row[c])) row[c] = mapping.get(row[c]);
      text = JSON.stringify(row);
    }
    if (pointers.length) {
      for (const p of pointers) {
        const value = row[p.column];
        if (typeof value === 'string') row[p.column] = p.ids.get(value)!;
      }
      text = JSON.stringify(row);
    }
    batch.push(text);
    if (batch.length >= BATCH) await flush();
  });
  await flush();
  return written;
}

/** A sequence that fills a column (dossier numbers, journal order) continues after the imported values. */
async function moveSequences(tx: Tx, table: TableInfo): Promise<void> {
  for (const s of table.sequences) {
    const max = await tx.one<{ m: string | null }>(`select max(${quoteIdent(s.column)})::text as m from ${quoteIdent(table.name)}`);
    if (max?.m === null || max === null) continue;
    await tx.query(`select setval($1::regclass, greatest($2::bigint, (select last_value from ${quoteIdent(s.sequence)})))`, [s.sequence, max.m]);
  }
}

async function restoreLinks(tx: Tx, tenantId: string, tenant: TenantPart, linkMembers: boolean): Promise<ImportSummary['links']> {
  const restored: string[] = [];
  const missing: string[] = [];
  const notRestored: string[] = [];
  for (const link of tenant.links) {
    if (!link || !link.tenant || typeof link.tenant.slug !== 'string') continue;
    const label = `${link.direction === 'outgoing' ? 'this collectivité' : link.tenant.slug} ${link.kind === 'host' ? 'hosted (host_tenant_id) by' : link.kind} ${link.direction === 'outgoing' ? link.tenant.slug : 'this collectivité'}`;
    if (!['member_of', 'hosted_by', 'network_member', 'host'].includes(link.kind) || !['outgoing', 'incoming'].includes(link.direction)) continue;
    const other = await tx.one<{ id: string }>('select id from tenants where slug = $1', [link.tenant.slug]);
    if (!other) {
      missing.push(label);
      continue;
    }
    // Incoming links make the imported collectivité the host or the EPCI of one already here.
    if (link.direction === 'incoming' && link.kind !== 'network_member' && !linkMembers) {
      notRestored.push(label);
      continue;
    }
    const [from, to] = link.direction === 'outgoing' ? [tenantId, other.id] : [other.id, tenantId];
    if (link.kind === 'host') await tx.query('update tenants set host_tenant_id = $2 where id = $1 and host_tenant_id is null', [from, to]);
    else await tx.query('insert into tenant_relations (tenant_id, related_tenant_id, kind) values ($1, $2, $3) on conflict do nothing', [from, to, link.kind]);
    restored.push(label);
  }
  return { restored, missing, notRestored };
}
