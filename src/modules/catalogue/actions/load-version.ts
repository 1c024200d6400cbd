// Loading a valid CSV version into the tabular store (the job `catalogue.tabular.load`): enqueued after a
// validation that found the file valid, or again by a steward (re-runnable). The file is read back from
// the blob store as a stream, cut into pieces of whole records (tabular/chunks.ts), each record given its
// row number and number keys (tabular/keys.ts), and each piece is one COPY — PostgreSQL's COPY FROM
// STDIN, PGlite's COPY FROM '/dev/blob' — committed with the load's progress. The resource's pointer to
// its current load moves only in the transaction that finishes the load (key built, statistics taken),
// so a load that fails at any point leaves the previous one queryable; its half-filled table is dropped.
import type { Database } from '../../../core/db/database.ts';
import type { Job } from '../../../core/jobs/runner.ts';
import { journal } from '../../../core/audit/journal.ts';
import { conflict, notFound } from '../../../core/base/errors.ts';
import { isUuid, uuidv7 } from '../../../core/db/ids.ts';
import { enqueue } from '../../../core/jobs/queue.ts';
import { openBlob } from '../../../core/files/send.ts';
import type { Tx } from '../../../core/db/database.ts';
import { requirePreparer, type Principal } from '../catalogue.policy.ts';
import { findDataset, findResource, findVersionById, versionReport, type VersionRow } from '../catalogue.repository.ts';
import { datasetSchema } from '../dataset-schema.ts';
import { columnsOf } from '../tabular/columns.ts';
import { csvPieces, parseRecord } from '../tabular/chunks.ts';
import { keyedBytes, keyedPiece, keyPlan, utf8Piece } from '../tabular/keys.ts';
import {
  buildLoadIndex,
  copyPiece,
  createLoadTable,
  dropLoadTable,
  findLoad,
  finishLoadTable,
  insertLoad,
  keyIndexStatement,
  makeCurrent,
  markFailed,
  markLoading,
  type LoadRow,
} from '../tabular/store.ts';

export const LOAD_JOB = 'catalogue.tabular.load';
/** The follow-up job that builds a current load's typed indexes (tabular/indexes.ts). */
export const INDEX_JOB = 'catalogue.tabular.index';

/** Bytes per COPY (BASTIDE_TABULAR_PIECE_BYTES, 16 MiB by default): memory per load, and how often progress is written. */
export function pieceBytes(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.BASTIDE_TABULAR_PIECE_BYTES) || 16 * 1024 * 1024;
}

/** The unique key of a load's job. */
export function loadJobKey(loadId: string): string {
  return `${LOAD_JOB}:${loadId}`;
}

/** Whether a version goes into the tabular store: a CSV its validation found valid. */
export function loadable(v: Pick<VersionRow, 'content_type' | 'validation_state' | 'valid'>): boolean {
  return v.content_type.split(';')[0]!.trim() === 'text/csv' && v.validation_state === 'done' && v.valid === true;
}

/**
 * Records a queued load and its job, in the caller's transaction (the one that recorded a valid verdict);
 * null for a version that is not a CSV file (a spreadsheet is validated, not loaded).
 */
export async function enqueueLoad(tx: Tx, v: Pick<VersionRow, 'id' | 'resource_id' | 'size' | 'content_type'>, requestedBy: string): Promise<string | null> {
  if (v.content_type.split(';')[0]!.trim() !== 'text/csv') return null;
  const id = uuidv7();
  await insertLoad(tx, { id, resourceId: v.resource_id, versionId: v.id, bytesTotal: v.size, requestedBy });
  // Keyed by the load: whether a load still has its job can be told (tabular/requeue.ts, after an import).
  await enqueue(tx, LOAD_JOB, { loadId: id }, { maxAttempts: 3, uniqueKey: loadJobKey(id) });
  return id;
}

/** A steward loads a resource's newest valid version again (after a failure, say). */
export async function reloadResource(db: Database, p: Principal, datasetId: string, resourceId: string): Promise<void> {
  requirePreparer(p);
  if (!isUuid(datasetId) || !isUuid(resourceId)) throw notFound();
  await db.transaction(p.tenantId, async (tx) => {
    if (!(await findDataset(tx, datasetId)) || !(await findResource(tx, datasetId, resourceId))) throw notFound();
    const v = await tx.one<VersionRow>(
      `select id, resource_id, size::float8 as size, content_type, validation_state, valid from catalogue_resource_versions
       where tenant_id = app_tenant() and resource_id = $1 order by version desc limit 1`,
      [resourceId],
    );
    if (!v || !loadable(v)) throw conflict(p.t('catalogue.tabular.not_loadable'));
    const loadId = await enqueueLoad(tx, v, p.actor);
    await journal(tx, {
      actor: p.actor,
      action: 'catalogue.resource.load_request',
      subjectType: 'dataset',
      subjectId: datasetId,
      data: { resource: resourceId, version: v.id, load: loadId },
    });
  });
}

const DELIMITERS = new Set([',', ';', '\t', '|']);

class LoadRefused extends Error {}

/** The job. Repeatable: a load already finished is left alone; one interrupted midway starts over. */
export function loadJobHandler(deps: { db: Database; config: { dataDir: string } }) {
  return async (job: Job): Promise<void> => {
    const tenantId = job.tenant_id;
    const loadId = job.payload.loadId;
    if (!tenantId || typeof loadId !== 'string' || !isUuid(loadId)) return;
    await runLoad(deps, tenantId, loadId);
  };
}

export async function runLoad(deps: { db: Database; config: { dataDir: string } }, tenantId: string, loadId: string): Promise<LoadRow | null> {
  const { db } = deps;
  const found = await db.transaction(tenantId, async (tx) => {
    const load = await findLoad(tx, loadId, true);
    if (!load || load.state === 'done' || load.state === 'replaced') return null;
    const version = await findVersionById(tx, load.version_id);
    const resource = version
      ? await tx.one<{ dataset_id: string }>('select dataset_id from catalogue_resources where tenant_id = app_tenant() and id = $1', [version.resource_id])
      : null;
    const dataset = resource ? await findDataset(tx, resource.dataset_id) : null;
    const report = version ? await versionReport(tx, version.id) : null;
    return { load, version, dataset, report };
  });
  if (!found) return null;
  const { load, version, dataset, report } = found;
  let loaded = { rows: 0, bytes: 0 };
  try {
    if (!version || !dataset || !loadable(version)) throw new LoadRefused('the version is not a valid CSV file');
    const delimiter = report?.stats.delimiter ?? ',';
    if (!DELIMITERS.has(delimiter)) throw new LoadRefused(`unsupported delimiter ${JSON.stringify(delimiter)}`);
    const legacy = /charset=windows-1252/i.test(version.content_type) || /1252/.test(report?.stats.encoding ?? '');
    const opened = await openBlob({ config: deps.config }, tenantId, version.sha256);
    if (!opened) throw new LoadRefused('the file is missing from the store');
    const pieces = csvPieces(opened.stream as AsyncIterable<Uint8Array>, pieceBytes(), { reuse: true });
    const first = await pieces.next();
    if (first.done || !('header' in first.value)) {
      opened.stream.destroy();
      throw new LoadRefused('the file has no header');
    }
    const header = parseRecord(new TextDecoder(legacy ? 'windows-1252' : 'utf-8').decode(first.value.header), delimiter);
    const columns = columnsOf(header, datasetSchema(dataset));
    if (columns.length === 0 || columns.length > 1600) throw new LoadRefused(`${columns.length} columns`);
    await db.transaction(tenantId, (tx) => markLoading(tx, loadId, columns));
    await db.ownerTransaction((tx) => createLoadTable(tx, tenantId, load.table_name, columns));
    // The bytes of the header (with its line break, and a BOM) count as read.
    loaded.bytes = first.value.header.length;
    // Each piece with the columns the load computes before each record (row number, number keys).
    const plan = keyPlan(columns, delimiter);
    let cut = 0;
    // Two buffers for the keyed pieces, in turn: one is being copied while the next is written into the
    // other; a piece's COPY has ended before the one two after it is cut (kept: fresh memory each time
    // costs its page faults).
    const buffers: Array<Buffer | undefined> = [undefined, undefined];
    let turn = 0;
    const nextPiece = async (): Promise<{ bytes: Uint8Array; records: number; read: number } | null> => {
      for (;;) {
        const next = await pieces.next();
        if (next.done) return null;
        if ('header' in next.value) continue;
        const { records } = next.value;
        const bytes = legacy ? utf8Piece(next.value.bytes) : next.value.bytes;
        const need = keyedBytes(bytes, records, plan);
        const mine = turn++ % 2;
        if ((buffers[mine]?.length ?? 0) < need) buffers[mine] = Buffer.allocUnsafe(Math.ceil(need * 1.1));
        const keyed = keyedPiece(bytes, records, cut + 1, plan, buffers[mine]);
        cut += records;
        return { bytes: keyed, records, read: next.value.bytes.length };
      }
    };
    // The next piece is cut (and its keys computed) while the database copies this one (PostgreSQL works
    // in its own process).
    let upcoming: Promise<unknown> | undefined;
    try {
      upcoming = nextPiece();
      for (;;) {
        const piece = await (upcoming as ReturnType<typeof nextPiece>);
        if (!piece) break;
        upcoming = nextPiece();
        loaded = { rows: loaded.rows + piece.records, bytes: loaded.bytes + piece.read };
        const progress = { ...loaded };
        // A relaxed commit (TransactionOptions): a piece lost in a crash is loaded again, the job starting
        // over; the transaction that makes the load current is a durable one.
        await db.ownerTransaction(
          async (tx) => {
            await copyPiece(tx, load.table_name, columns, delimiter, piece.bytes);
            await tx.execute(`update catalogue_tabular_loads set rows_loaded = $3, bytes_read = $4 where tenant_id = $1 and id = $2`, [
              tenantId,
              loadId,
              progress.rows,
              progress.bytes,
            ]);
          },
          { synchronousCommit: false },
        );
      }
    } finally {
      opened.stream.destroy();
      // A piece being cut when a COPY failed: let it end (its stream is destroyed) rather than dangle.
      await upcoming?.catch(() => {});
    }
    // The key's index (the table is nobody's yet: if anything fails after this, it is dropped with it). The
    // vacuum (every page marked all-visible: counts read the indexes alone) and the typed columns' indexes
    // come after the load is current, from the job `catalogue.tabular.index` (tabular/indexes.ts): the
    // rows are queryable meanwhile, their counts, sorts and filters slower.
    await db.ownerTransaction((tx) => buildLoadIndex(tx, keyIndexStatement(load.table_name)));
    // One transaction: the key and statistics, then — as the application role, under row-level security —
    // the pointer and the journal entry, then the replaced load's table goes.
    let replaced: string | null = null;
    await db.ownerTransaction(async (tx) => {
      await finishLoadTable(tx, load.table_name, columns);
      // The rows are numbered 1…n by the load itself and the key is unique: the highest number (read
      // from the key's index) is the count.
      const counted = await tx.one<{ n: number }>(`select coalesce(max(row_number), 0)::float8 as n from ${load.table_name}`);
      if (counted?.n !== loaded.rows) loaded.rows = counted?.n ?? 0;
      await tx.query(`select set_config('role', 'bastide_app', true), set_config('app.tenant_id', $1, true)`, [tenantId]);
      const scoped: Tx = { ...tx, tenantId };
      const fresh = await findLoad(scoped, loadId, true);
      if (!fresh || fresh.state !== 'loading') throw new LoadRefused('the load was changed meanwhile');
      replaced = await makeCurrent(scoped, fresh, loaded.rows, loaded.bytes);
      await journal(scoped, {
        actor: 'system',
        action: 'catalogue.resource.load',
        subjectType: 'dataset',
        subjectId: dataset.id,
        data: { resource: version.resource_id, version: version.version, load: loadId, rows: loaded.rows },
      });
      await enqueue(scoped, INDEX_JOB, { loadId }, { maxAttempts: 3 });
      await tx.script('reset role');
      if (replaced) await dropLoadTable(tx, replaced);
    });
    return db.transaction(tenantId, (tx) => findLoad(tx, loadId));
  } catch (error) {
    await db.ownerTransaction((tx) => dropLoadTable(tx, load.table_name)).catch(() => {});
    const message = error instanceof Error ? error.message : String(error);
    await db.transaction(tenantId, async (tx) => {
      await markFailed(tx, loadId, message);
      await journal(tx, {
        actor: 'system',
        action: 'catalogue.resource.load_failed',
        subjectType: 'dataset',
        subjectId: dataset?.id ?? load.resource_id,
        data: { resource: load.resource_id, load: loadId, error: message.slice(0, 300) },
      });
    });
    // A refusal is final; anything else (the database went away) may be worth another attempt.
    if (!(error instanceof LoadRefused) && !isDataError(error)) throw error;
    return db.transaction(tenantId, (tx) => findLoad(tx, loadId));
  }
}

/** PostgreSQL's errors about the data (class 22) and integrity (23): another attempt would fail the same way. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
