// `bastide tenant export` and the export job: everything one collectivité owns into one archive
// (format.ts). The rows are read in one repeatable-read transaction, so the archive is one consistent
// state (on the embedded engine that transaction holds the database for its duration); the files are then
// streamed from the blob store, each checked against its content address on the way.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import type { Database, Tx } from '../db/database.ts';
import { isUuid } from '../db/ids.ts';
import { sealJournal } from '../audit/seal.ts';
import type { BlobStore } from '../files/store.ts';
import { exportReferences } from './references.ts';
import { dependencyOrder, hasTenantId, isCredentialColumn, personColumns, quoteIdent, readCatalog, selfReference, type TableInfo } from './catalog.ts';
import {
  FORMAT,
  FORMAT_VERSION,
  isExcludedTable,
  MANIFEST,
  PEOPLE_PART,
  TENANT_PART,
  TransferError,
  type Manifest,
  type Part,
  type TenantLink,
  type TenantPart,
} from './format.ts';

export interface ExportOptions {
  withCredentials?: boolean;
  progress?: (message: string) => void;
}

export interface ExportSummary {
  file: string;
  bytes: number;
  tables: number;
  rows: number;
  files: number;
  withCredentials: boolean;
}

const FETCH = 2000;

/** A file being written while its bytes are counted and hashed. */
class PartWriter {
  readonly path: string;
  private readonly out;
  private readonly hash = createHash('sha256');
  bytes = 0;
  rows = 0;
  constructor(path: string) {
    this.path = path;
    this.out = createWriteStream(path);
  }
  async line(text: string): Promise<void> {
    const buf = Buffer.from(`${text}\n`, 'utf8');
    this.hash.update(buf);
    this.bytes += buf.length;
    this.rows += 1;
    if (!this.out.write(buf)) await new Promise<void>((r) => this.out.once('drain', () => r()));
  }
  async close(): Promise<{ bytes: number; sha256: string; rows: number }> {
    this.out.end();
    await finished(this.out);
    return { bytes: this.bytes, sha256: this.hash.digest('hex'), rows: this.rows };
  }
}

/** The select list of a table's export: credentials replaced unless asked for, the host operator flag dropped. */
function selectList(t: TableInfo, withCredentials: boolean): string {
  return t.columns
    .filter((c) => c.generated !== 'stored')
    .map((c) => {
      const q = quoteIdent(c.name);
      if (t.name === 'people' && c.name === 'is_host_operator') return `false as ${q}`;
      if (!withCredentials && isCredentialColumn(c.name)) {
        // A required secret (a token digest, a client secret) becomes a value no secret matches: the
        // row stays (other rows may point to it), its secret has to be given again.
        return c.notNull && c.type === 'text' ? `('redacted:' || gen_random_uuid()) as ${q}` : `null::${c.type} as ${q}`;
      }
      return `t.${q}`;
    })
    .join(', ');
}

/** The query of a table's rows, in primary key order, or parents first for a table pointing to itself. */
function rowsQuery(t: TableInfo, tenantLiteral: string, withCredentials: boolean): string {
  const name = quoteIdent(t.name);
  const order = (t.primaryKey.length ? t.primaryKey : t.columns.map((c) => c.name)).map((c) => `t.${quoteIdent(c)}`).join(', ');
  const row = `select row_to_json(x)::text as j from ${name} t`;
  const lateral = `cross join lateral (select ${selectList(t, withCredentials)}) x`;
  const self = selfReference(t);
  if (!self) return `${row} ${lateral} where t.tenant_id = ${tenantLiteral} order by ${order}`;
  const own = self.columns.filter((c) => c !== 'tenant_id');
  const roots = own.map((c) => `t.${quoteIdent(c)} is null`).join(' or ');
  const join = self.columns.map((c, i) => `ch.${quoteIdent(c)} = p.${quoteIdent(self.refColumns[i]!)}`).join(' and ');
  return `with recursive walk(c, depth) as (
            select t.ctid, 0 from ${name} t where t.tenant_id = ${tenantLiteral} and (${roots})
            union all
            select ch.ctid, w.depth + 1 from walk w join ${name} p on p.ctid = w.c join ${name} ch on ${join}
          )
          ${row} join walk w on w.c = t.ctid ${lateral} order by w.depth, ${order}`;
}

async function writeTable(tx: Tx, t: TableInfo, tenantId: string, writer: PartWriter, withCredentials: boolean): Promise<void> {
  const literal = `'${tenantId}'::uuid`; // checked as a UUID by the caller: DECLARE takes no parameters
  await tx.query(`declare bastide_export no scroll cursor for ${rowsQuery(t, literal, withCredentials)}`);
  for (;;) {
    const rows = await tx.query<{ j: string }>(`fetch ${FETCH} from bastide_export`);
    for (const row of rows) await writer.line(row.j);
    if (rows.length < FETCH) break;
  }
  await tx.query('close bastide_export');
  if (selfReference(t)) {
    const all = await tx.one<{ n: number }>(`select count(*)::int as n from ${quoteIdent(t.name)} where tenant_id = $1`, [tenantId]);
    if (all!.n !== writer.rows) throw new TransferError(`${t.name}: ${all!.n - writer.rows} rows are not reachable from a root (a cycle of references)`);
  }
}

async function installationId(tx: Tx): Promise<string> {
  await tx.query(`insert into installation_settings (key, value) values ('installation_id', $1) on conflict (key) do nothing`, [randomUUID()]);
  return (await tx.one<{ value: string }>(`select value from installation_settings where key = 'installation_id'`))!.value;
}

async function tenantLinks(tx: Tx, tenantId: string): Promise<TenantLink[]> {
  const rows = await tx.query<{ kind: TenantLink['kind']; direction: TenantLink['direction']; id: string; slug: string; name: string }>(
    `select r.kind, 'outgoing' as direction, o.id, o.slug, o.name from tenant_relations r join tenants o on o.id = r.related_tenant_id where r.tenant_id = $1
     union all
     select r.kind, 'incoming', o.id, o.slug, o.name from tenant_relations r join tenants o on o.id = r.tenant_id where r.related_tenant_id = $1
     union all
     select 'host', 'outgoing', o.id, o.slug, o.name from tenants t join tenants o on o.id = t.host_tenant_id where t.id = $1
     union all
     select 'host', 'incoming', o.id, o.slug, o.name from tenants o where o.host_tenant_id = $1
     order by 1, 2, 4`,
    [tenantId],
  );
  return rows.map((r) => ({ kind: r.kind, direction: r.direction, tenant: { id: r.id, slug: r.slug, name: r.name } }));
}

/** Writes the archive of collectivité `slug` to `file` (through a temporary name, renamed when complete). */
export async function exportTenant(db: Database, store: BlobStore, slug: string, file: string, options: ExportOptions = {}): Promise<ExportSummary> {
  const progress = options.progress ?? (() => {});
  const withCredentials = options.withCredentials ?? false;
  const tenant = await db.ownerTransaction((tx) => tx.one<{ id: string }>('select id from tenants where slug = $1', [slug]));
  if (!tenant) throw new TransferError(`no collectivité with slug "${slug}"`);
  if (!isUuid(tenant.id)) throw new Error('unexpected tenant id');
  const tenantId = tenant.id;
  // Entries written but not yet chained get their place in the chain first, so the archive carries it.
  await sealJournal(db, tenantId);
  const work = await mkdtemp(join(dirname(file), '.bastide-export-'));
  try {
    progress('reading the database');
    const state = await db.ownerTransaction(async (tx) => {
      await tx.query('set transaction isolation level repeatable read');
      const catalog = await readCatalog(tx);
      const source = {
        installation: await installationId(tx),
        engine: db.engine,
        migrations: (await tx.query<{ name: string }>('select name from schema_migrations order by name')).map((r) => r.name),
      };
      const tables = [...catalog.values()].filter((t) => hasTenantId(t) && !isExcludedTable(t.name));
      const order = dependencyOrder(tables);
      const parts: Part[] = [];
      const people = new Set<string>();
      let rows = 0;
      for (const [index, name] of order.entries()) {
        const t = catalog.get(name)!;
        progress(`table ${index + 1}/${order.length}: ${name}`);
        const partName = `tables/${String(index + 1).padStart(3, '0')}-${name}.jsonl`;
        const writer = new PartWriter(join(work, `${index}.jsonl`));
        await writeTable(tx, t, tenantId, writer, withCredentials);
        const done = await writer.close();
        parts.push({ name: partName, kind: 'table', table: name, rows: done.rows, bytes: done.bytes, sha256: done.sha256 });
        rows += done.rows;
        for (const column of personColumns(t)) {
          const c = quoteIdent(column);
          for (const r of await tx.query<{ id: string }>(
            `select distinct ${c}::text as id from ${quoteIdent(name)} where tenant_id = $1 and ${c} is not null`,
            [tenantId],
          ))
            people.add(r.id);
        }
      }
      const peopleWriter = new PartWriter(join(work, 'people.jsonl'));
      const peopleTable = catalog.get('people')!;
      for (const r of await tx.query<{ j: string }>(
        `select row_to_json(x)::text as j from (select ${selectList(peopleTable, withCredentials)} from people t where t.id = any($1::uuid[]) order by t.id) x`,
        [[...people]],
      ))
        await peopleWriter.line(r.j);
      const peopleDone = await peopleWriter.close();
      parts.unshift({ name: PEOPLE_PART, kind: 'people', rows: peopleDone.rows, bytes: peopleDone.bytes, sha256: peopleDone.sha256 });

      const row = (await tx.one<TenantPart['tenant'] & { created_at: string }>(
        `select id, slug, name, kind, official_code, epci_type, settings, to_json(created_at)#>>'{}' as created_at from tenants where id = $1`,
        [tenantId],
      ))!;
      const tenantPart: TenantPart = { tenant: row, links: await tenantLinks(tx, tenantId) };
      const tenantText = Buffer.from(JSON.stringify(tenantPart, null, 2), 'utf8');
      parts.unshift({ name: TENANT_PART, kind: 'tenant', bytes: tenantText.length, sha256: createHash('sha256').update(tenantText).digest('hex') });
      const blobs = await tx.query<{ sha256: string; size: number }>('select sha256, size from blobs where tenant_id = $1 order by sha256', [tenantId]);
      const references = await exportReferences(tx, catalog, tables, tenantId);
      return { source, parts, rows, tenantText, blobs, name: row.name, tables: order.length, references };
    });

    for (const b of state.blobs) state.parts.push({ name: `files/${b.sha256}`, kind: 'file', bytes: Number(b.size), sha256: b.sha256 });
    const manifest: Manifest = {
      format: FORMAT,
      version: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      source: state.source,
      tenant: { id: tenantId, slug, name: state.name },
      withCredentials,
      parts: state.parts,
      ...(state.references.length ? { references: state.references } : {}),
    };

    const temp = `${file}.${process.pid}.part`;
    const zip = new yazl.ZipFile();
    const out = createWriteStream(temp);
    zip.outputStream.pipe(out);
    const mtime = new Date();
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2), 'utf8'), MANIFEST, { mtime });
    zip.addBuffer(state.tenantText, TENANT_PART, { mtime });
    zip.addFile(join(work, 'people.jsonl'), PEOPLE_PART, { mtime });
    let tableIndex = 0;
    for (const part of state.parts) if (part.kind === 'table') zip.addFile(join(work, `${tableIndex++}.jsonl`), part.name, { mtime });
    let fileIndex = 0;
    for (const b of state.blobs) {
      fileIndex += 1;
      if (fileIndex % 50 === 0 || fileIndex === state.blobs.length) progress(`files ${fileIndex}/${state.blobs.length}`);
      const opened = await store.open(tenantId, b.sha256);
      if (!opened) throw new TransferError(`the file ${b.sha256} of ${slug} is missing from the store (${store.describe()})`);
      const check = checkedBytes(b.sha256, Number(b.size));
      opened.stream.on('error', (error: Error) => check.destroy(error));
      zip.addReadStream(opened.stream.pipe(check), `files/${b.sha256}`, { mtime, compress: false });
      // One file at a time: the next is opened once this one has gone into the archive (a damaged one rejects here).
      await finished(check);
    }
    zip.end();
    await finished(out);
    await rename(temp, file);
    const bytes = (await stat(file)).size;
    return { file, bytes, tables: state.tables, rows: state.rows, files: state.blobs.length, withCredentials };
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(`${file}.${process.pid}.part`, { force: true });
  }
}

/** Passes a stored file's bytes through and fails if they are not the content its address says. */
function checkedBytes(sha256: string, size: number): Transform {
  const hash = createHash('sha256');
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      if (bytes === size && hash.digest('hex') === sha256) return done();
      done(new TransferError(`the stored file ${sha256} does not match its address (damaged store): export stopped`));
    },
  });
}
