// ingestUnits: the one door into the archives. A tree of units (SEDA descriptive metadata, management
// rules, objects) is checked whole, its objects staged (hashed twice, measured, identified, stored), then
// everything is written in ONE transaction with its journal entry: either the whole tree is kept, or
// nothing is (objects this call stored are taken back). The upload pages and API, the SEDA import
// (seda/), decided dossiers (procedures' retention "archive") and dataset versions all call it.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Database, Tx } from '../../../core/db/database.ts';
import { blobStoreFor, type FilesConfig } from '../../../core/files/store.ts';
import { journal } from '../../../core/audit/journal.ts';
import { isUuid, uuidv7 } from '../../../core/db/ids.ts';
import { notFound, unprocessable } from '../../../core/base/errors.ts';
import { requireArchivist, type Principal } from '../archives.policy.ts';
import { effectiveRules, isRuleCategory, summarize, type RuleCategory, type RuleNode, type UnitRule } from '../rules.ts';
import { loadAncestry, visibleLibrary } from '../archives.repository.ts';
import { ingestRoots, leafRules } from '../proof/roots.ts';
import type { ObjectRecord, UnitRecord } from '../proof/verify-proof.ts';
import { stageObject, StagingError, TempNames, type Expected, type StagedObject } from '../objects.ts';

export const LEVELS = ['Fonds', 'Subfonds', 'Class', 'Collection', 'Series', 'Subseries', 'RecordGrp', 'SubGrp', 'File', 'Item', 'OtherLevel'] as const;
export const USAGES = ['BinaryMaster', 'Dissemination', 'Thumbnail', 'TextContent', 'PhysicalMaster'] as const;
export type IngestKind = 'upload' | 'seda' | 'procedures' | 'catalogue';

/** An object to ingest: bytes from a stream or a local file (with the digests the sender declared), or already staged. */
export interface IngestObjectInput {
  filename: string;
  source: Readable | string | StagedObject;
  expected?: Expected;
  usage?: (typeof USAGES)[number];
}

export interface IngestUnitInput {
  title: string;
  description?: string;
  level?: string;
  start_date?: string | null;
  end_date?: string | null;
  originating_agency?: string;
  submission_agency?: string;
  archival_agency?: string;
  transferring_agency?: string;
  keywords?: string[];
  rules?: UnitRule[];
  prevent_inheritance?: RuleCategory[];
  ref_non_rule_ids?: Partial<Record<RuleCategory, string[]>>;
  objects?: IngestObjectInput[];
  children?: IngestUnitInput[];
}

export interface IngestInput {
  kind: IngestKind;
  /** The SEDA MessageIdentifier, a dossier number, a dataset version… */
  source_ref?: string;
  /** An existing unit the new roots go under (inheriting its rules). */
  parent_id?: string | null;
  units: IngestUnitInput[];
}

export interface IngestResult {
  id: string;
  units: Array<{ id: string; title: string; parent_id: string | null }>;
  objects: Array<{ id: string; unit_id: string; filename: string; sha256: string; sha512: string; size: number; format_id: string | null; mime: string }>;
}

export const MAX_UNITS = 100_000;
export const MAX_DEPTH = 50;

function isStaged(source: IngestObjectInput['source']): source is StagedObject {
  return typeof source === 'object' && source !== null && 'sha512' in source && 'format' in source;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
function validDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

interface FlatUnit {
  id: string;
  parent_id: string | null;
  input: IngestUnitInput;
  path: string;
}

/** Checks the whole tree's metadata before a byte is read; every problem named by its place in the tree. */
function checkTree(p: Principal, input: IngestInput): FlatUnit[] {
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => (errors[key] ??= []).push(message);
  const flat: FlatUnit[] = [];
  const walk = (units: IngestUnitInput[], parent: string | null, prefix: string, depth: number) => {
    if (depth > MAX_DEPTH) {
      add(prefix || 'units', p.t('archives.error.too_deep', { max: MAX_DEPTH }));
      return;
    }
    units.forEach((u, i) => {
      const path = `${prefix}units[${i}]`;
      if (flat.length >= MAX_UNITS) return;
      const id = uuidv7();
      flat.push({ id, parent_id: parent, input: u, path });
      const title = typeof u.title === 'string' ? u.title.trim() : '';
      if (!title) add(`${path}.title`, p.t('archives.error.required'));
      else if (title.length > 1000) add(`${path}.title`, p.t('archives.error.too_long', { max: 1000 }));
      if ((u.description ?? '').length > 100_000) add(`${path}.description`, p.t('archives.error.too_long', { max: 100_000 }));
      if (u.level !== undefined && !(LEVELS as readonly string[]).includes(u.level)) add(`${path}.level`, p.t('archives.error.choice'));
      for (const k of ['start_date', 'end_date'] as const) if (u[k] && !validDate(u[k])) add(`${path}.${k}`, p.t('archives.error.date'));
      if (u.start_date && u.end_date && validDate(u.start_date) && validDate(u.end_date) && u.end_date < u.start_date)
        add(`${path}.end_date`, p.t('archives.error.date_order'));
      for (const k of ['originating_agency', 'submission_agency', 'archival_agency', 'transferring_agency'] as const)
        if ((u[k] ?? '').length > 500) add(`${path}.${k}`, p.t('archives.error.too_long', { max: 500 }));
      const keywords = u.keywords ?? [];
      if (keywords.length > 200 || keywords.some((k) => typeof k !== 'string' || k.length > 200)) add(`${path}.keywords`, p.t('archives.error.keywords'));
      for (const [j, r] of (u.rules ?? []).entries()) {
        if (!isRuleCategory(r.category)) add(`${path}.rules[${j}]`, p.t('archives.error.choice'));
        if (r.start_date && !validDate(r.start_date)) add(`${path}.rules[${j}].start_date`, p.t('archives.error.date'));
      }
      if ((u.prevent_inheritance ?? []).some((c) => !isRuleCategory(c))) add(`${path}.prevent_inheritance`, p.t('archives.error.choice'));
      for (const [j, o] of (u.objects ?? []).entries()) {
        if (o.usage !== undefined && !(USAGES as readonly string[]).includes(o.usage)) add(`${path}.objects[${j}].usage`, p.t('archives.error.choice'));
      }
      walk(u.children ?? [], id, `${path}.`, depth + 1);
    });
  };
  if (!Array.isArray(input.units) || input.units.length === 0) add('units', p.t('archives.error.no_unit'));
  else walk(input.units, null, '', 1);
  if (flat.length >= MAX_UNITS) add('units', p.t('archives.error.too_many_units', { max: MAX_UNITS }));
  if ((input.source_ref ?? '').length > 500) add('source_ref', p.t('archives.error.too_long', { max: 500 }));
  if (Object.keys(errors).length) throw unprocessable(errors);
  return flat;
}

function stagingMessage(p: Principal, error: StagingError): string {
  switch (error.code) {
    case 'too_large':
      return p.t('archives.error.object_too_large', { max: `${Math.round(Number(error.details.max) / 1024 / 1024)} Mo` });
    case 'digest_mismatch':
      return p.t('archives.error.digest', { algorithm: String(error.details.algorithm) });
    case 'size_mismatch':
      return p.t('archives.error.size', { expected: Number(error.details.expected), actual: Number(error.details.actual) });
    case 'unreadable':
      return p.t('archives.error.unreadable');
  }
}

/** Stages every object of the tree (sequentially: one disk, two hashes). Failing one stops, naming it. */
async function stageAll(deps: { config: FilesConfig }, p: Principal, flat: FlatUnit[], created: StagedObject[]): Promise<Map<IngestObjectInput, StagedObject>> {
  const staged = new Map<IngestObjectInput, StagedObject>();
  const todo: Array<{ o: IngestObjectInput; key: string }> = [];
  for (const unit of flat) {
    for (const [j, o] of (unit.input.objects ?? []).entries()) {
      if (isStaged(o.source)) staged.set(o, o.source);
      else todo.push({ o, key: `${unit.path}.objects[${j}]` });
    }
  }
  const temp = new TempNames(blobStoreFor(deps.config));
  // Local files are staged a few at a time (the disk's and the thread pool's waits overlap with hashing);
  // streams one after another, since each must be read to its end in order.
  const width = todo.every((x) => typeof x.o.source === 'string') ? STAGING_WIDTH : 1;
  let next = 0;
  let failed: Error | null = null;
  const lane = async () => {
    while (next < todo.length && !failed) {
      const { o, key } = todo[next++]!;
      try {
        const s = await stageObject(deps, p.tenantId, o.source as string | Readable, { filename: o.filename, expected: o.expected, temp });
        created.push(s);
        staged.set(o, s);
      } catch (error) {
        failed ??= error instanceof StagingError ? unprocessable({ [key]: [`${o.filename} : ${stagingMessage(p, error)}`] }) : (error as Error);
      }
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  // Assigned inside the lanes, which the compiler's narrowing does not see.
  const error = failed as Error | null;
  if (error) throw error;
  return staged;
}

/** Objects staged at once from local files. */
const STAGING_WIDTH = 4;

/** Takes back the blobs this ingest created when no row refers to them (a refused or failed ingest). */
export async function discardStaged(db: Database, tenantId: string, staged: StagedObject[]): Promise<void> {
  const mine = staged.filter((s) => s.created);
  if (!mine.length) return;
  const shas = [...new Set(mine.map((s) => s.sha256))];
  const recorded = new Set(
    (await db.transaction(tenantId, (tx) => tx.query<{ sha256: string }>('select sha256 from blobs where sha256 = any($1)', [shas]))).map((r) => r.sha256),
  );
  for (const s of mine) if (!recorded.has(s.sha256)) await s.created!.discard();
}

/** Seals the objects' blobs (local folder: mode 0444; see core/files/store.ts), each digest once. */
export async function sealObjects(deps: { config: FilesConfig }, tenantId: string, objects: Array<{ sha256: string }>): Promise<void> {
  const store = blobStoreFor(deps.config);
  for (const sha256 of new Set(objects.map((o) => o.sha256))) await store.seal(tenantId, sha256);
}

export async function ingestUnits(deps: { db: Database; config: FilesConfig }, p: Principal, input: IngestInput): Promise<IngestResult> {
  requireArchivist(p);
  const flat = checkTree(p, input);
  if (input.parent_id && !isUuid(input.parent_id)) throw notFound();
  const created: StagedObject[] = [];
  try {
    const staged = await stageAll(deps, p, flat, created);
    const result = await deps.db.transaction(p.tenantId, (tx) => writeIngest(tx, p, input, flat, staged));
    // Committed: the bytes become write-once in the store (a crash before this is mended by the audit).
    await sealObjects(deps, p.tenantId, result.objects);
    return result;
  } finally {
    // After a commit every blob is recorded and nothing is discarded; after a failure, what we stored goes.
    await discardStaged(deps.db, p.tenantId, created);
  }
}

async function writeIngest(tx: Tx, p: Principal, input: IngestInput, flat: FlatUnit[], staged: Map<IngestObjectInput, StagedObject>): Promise<IngestResult> {
  const library = await visibleLibrary(tx);
  // The rules each unit names must exist in the library the collectivité sees, in their category.
  const errors: Record<string, string[]> = {};
  for (const u of flat) {
    for (const [j, r] of (u.input.rules ?? []).entries()) {
      const lib = library.get(r.rule_code);
      if (!lib) (errors[`${u.path}.rules[${j}]`] ??= []).push(p.t('archives.error.rule_unknown', { code: String(r.rule_code).slice(0, 64) }));
      else if (lib.category !== r.category) (errors[`${u.path}.rules[${j}]`] ??= []).push(p.t('archives.error.rule_category', { code: r.rule_code }));
    }
  }
  if (Object.keys(errors).length) throw unprocessable(errors);
  // Ancestry of the existing parent (its own rules and blocks), for inheritance.
  let parentChain: RuleNode[] = [];
  if (input.parent_id) {
    const chain = await loadAncestry(tx, input.parent_id);
    if (!chain || chain.eliminated) throw notFound();
    parentChain = chain.nodes;
  }
  const nodes = new Map<string, RuleNode>();
  const chains = new Map<string | null, RuleNode[]>([[null, parentChain]]);
  const unitRows: Array<Record<string, unknown>> = [];
  const ruleRows: Array<Record<string, unknown>> = [];
  const objectRows: Array<Record<string, unknown>> = [];
  const ingestId = uuidv7();
  const rootParent = input.parent_id ?? null;
  for (const u of flat) {
    const node: RuleNode = {
      id: u.id,
      rules: (u.input.rules ?? []).map((r) => ({ category: r.category, rule_code: r.rule_code, start_date: r.start_date ?? u.input.end_date ?? null })),
      prevent_inheritance: [...new Set(u.input.prevent_inheritance ?? [])],
      ref_non_rule_ids: u.input.ref_non_rule_ids ?? {},
    };
    nodes.set(u.id, node);
    const chain = [...chains.get(u.parent_id)!, node];
    chains.set(u.id, chain);
    const summary = summarize(effectiveRules(chain, library));
    unitRows.push({
      id: u.id,
      parent_id: u.parent_id ?? rootParent,
      level: u.input.level ?? 'Item',
      title: u.input.title.trim(),
      description: (u.input.description ?? '').trim(),
      start_date: u.input.start_date || null,
      end_date: u.input.end_date || null,
      originating_agency: u.input.originating_agency ?? '',
      submission_agency: u.input.submission_agency ?? '',
      archival_agency: u.input.archival_agency ?? '',
      transferring_agency: u.input.transferring_agency ?? '',
      keywords: [...new Set((u.input.keywords ?? []).map((k) => k.trim()).filter(Boolean))],
      prevent_inheritance: node.prevent_inheritance,
      ref_non_rule_ids: node.ref_non_rule_ids,
      access_end: summary.access_end,
      appraisal_end: summary.appraisal_end,
      appraisal_final: summary.appraisal_final,
    });
    for (const r of node.rules) ruleRows.push({ unit_id: u.id, category: r.category, rule_code: r.rule_code, start_date: r.start_date });
    for (const o of u.input.objects ?? []) {
      const s = staged.get(o)!;
      objectRows.push({
        id: uuidv7(),
        unit_id: u.id,
        sha256: s.sha256,
        sha512: s.sha512,
        size: s.size,
        format_id: s.format.puid,
        mime: s.format.mime,
        format_name: s.format.name,
        filename: (o.filename ? s.filename : s.filename) || 'objet',
        usage: o.usage ?? 'BinaryMaster',
      });
    }
  }
  const totalSize = objectRows.reduce((n, o) => n + Number(o.size), 0);
  await tx.query(
    `insert into archives_ingests (tenant_id, id, kind, source_ref, actor, unit_count, object_count, total_size) values (app_tenant(), $1, $2, $3, $4, $5, $6, $7)`,
    [ingestId, input.kind, input.source_ref ?? '', p.actor, unitRows.length, objectRows.length, totalSize],
  );
  // Batches of rows as JSON: one statement per table and thousand rows, whatever the tree's size.
  for (let i = 0; i < unitRows.length; i += 1000) {
    await tx.query(
      `insert into archives_units (tenant_id, id, parent_id, ingest_id, level, title, description, start_date, end_date, originating_agency,
         submission_agency, archival_agency, transferring_agency, keywords, prevent_inheritance, ref_non_rule_ids, access_end, appraisal_end,
         appraisal_final, search)
       select app_tenant(), x.id, x.parent_id, $2, x.level, x.title, x.description, x.start_date, x.end_date, x.originating_agency,
         x.submission_agency, x.archival_agency, x.transferring_agency, array(select jsonb_array_elements_text(x.keywords)),
         array(select jsonb_array_elements_text(x.prevent_inheritance)), x.ref_non_rule_ids, x.access_end, x.appraisal_end, x.appraisal_final,
         setweight(to_tsvector('french', x.title), 'A')
           || setweight(to_tsvector('french', array_to_string(array(select jsonb_array_elements_text(x.keywords)), ' ')), 'B')
           || setweight(to_tsvector('french', left(x.description, 200000)), 'C')
       from jsonb_to_recordset($1::jsonb) as x(id uuid, parent_id uuid, level text, title text, description text, start_date date, end_date date,
         originating_agency text, submission_agency text, archival_agency text, transferring_agency text, keywords jsonb, prevent_inheritance jsonb,
         ref_non_rule_ids jsonb, access_end date, appraisal_end date, appraisal_final text)`,
      [JSON.stringify(unitRows.slice(i, i + 1000)), ingestId],
    );
  }
  for (let i = 0; i < ruleRows.length; i += 1000) {
    await tx.query(
      `insert into archives_unit_rules (tenant_id, unit_id, category, rule_code, start_date)
       select app_tenant(), x.unit_id, x.category, x.rule_code, x.start_date
       from jsonb_to_recordset($1::jsonb) as x(unit_id uuid, category text, rule_code text, start_date date)
       on conflict do nothing`,
      [JSON.stringify(ruleRows.slice(i, i + 1000))],
    );
  }
  const blobs = new Map<string, StagedObject>();
  for (const s of staged.values()) blobs.set(s.sha256, s);
  // Blob rows in batches too (recordBlob's statement, many rows at once): storing the same bytes again is a no-op.
  const blobRows = [...blobs.values()].map((s) => ({ sha256: s.sha256, size: s.size, content_type: s.format.mime }));
  for (let i = 0; i < blobRows.length; i += 1000) {
    await tx.query(
      `insert into blobs (tenant_id, sha256, size, content_type)
       select app_tenant(), x.sha256, x.size, x.content_type from jsonb_to_recordset($1::jsonb) as x(sha256 text, size bigint, content_type text)
       on conflict (tenant_id, sha256) do nothing`,
      [JSON.stringify(blobRows.slice(i, i + 1000))],
    );
  }
  for (let i = 0; i < objectRows.length; i += 1000) {
    await tx.query(
      `insert into archives_objects (tenant_id, id, unit_id, ingest_id, sha256, sha512, blob_sha256, size, format_id, mime, format_name, filename, usage)
       select app_tenant(), x.id, x.unit_id, $2, x.sha256, x.sha512, x.sha256, x.size, x.format_id, x.mime, x.format_name, x.filename, x.usage
       from jsonb_to_recordset($1::jsonb) as x(id uuid, unit_id uuid, sha256 text, sha512 text, size bigint, format_id text, mime text, format_name text,
         filename text, usage text)`,
      [JSON.stringify(objectRows.slice(i, i + 1000)), ingestId],
    );
  }
  // The journal entry seals what was received: a digest over every object's id and SHA-512, so that the
  // chain of journal entries proves the set of objects as well as each digest the rows keep.
  // Since proofs of integrity (proof/), also two Merkle roots over the units' descriptions and rules and the
  // objects' records in ascending id order, which a proof can show one unit's part of.
  const manifest = createHash('sha256');
  for (const o of objectRows) manifest.update(`${String(o.id)} ${String(o.sha512)}\n`);
  const rulesOf = new Map<unknown, Array<{ category: string; rule_code: string; start_date: string | null }>>();
  for (const r of ruleRows) {
    const list = rulesOf.get(r.unit_id) ?? [];
    list.push({ category: String(r.category), rule_code: String(r.rule_code), start_date: (r.start_date as string | null) ?? null });
    rulesOf.set(r.unit_id, list);
  }
  const roots = ingestRoots(
    unitRows.map((u) => ({ ...(u as unknown as Omit<UnitRecord, 'rules'>), rules: leafRules(rulesOf.get(u.id) ?? []) })),
    objectRows as unknown as ObjectRecord[],
  );
  await journal(tx, {
    actor: p.actor,
    action: 'archives.ingest',
    subjectType: 'archive_ingest',
    subjectId: ingestId,
    data: {
      kind: input.kind,
      source_ref: input.source_ref ?? '',
      parent: rootParent,
      units: unitRows.length,
      objects: objectRows.length,
      size: totalSize,
      roots: unitRows
        .filter((u) => u.parent_id === rootParent)
        .slice(0, 100)
        .map((u) => u.id),
      objects_sha256: manifest.digest('hex'),
      ...roots,
    },
  });
  return {
    id: ingestId,
    units: unitRows.map((u) => ({ id: String(u.id), title: String(u.title), parent_id: (u.parent_id as string | null) ?? null })),
    objects: objectRows.map((o) => ({
      id: String(o.id),
      unit_id: String(o.unit_id),
      filename: String(o.filename),
      sha256: String(o.sha256),
      sha512: String(o.sha512),
      size: Number(o.size),
      format_id: (o.format_id as string | null) ?? null,
      mime: String(o.mime),
    })),
  };
}
