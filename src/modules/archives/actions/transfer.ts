// Transfer to the definitive archive (issue 13, Leaving): an archivist names units; the transfer records
// them and everything under them (one transaction, journaled); its SEDA 2.3 ArchiveTransfer package is
// written on demand from the kept rows and blobs (seda/, streamed, every object checked against the SHA-512
// recorded at ingest); the archival agency's ArchiveTransferReply is recorded beside it and, when it accepts,
// marks the units transferred (their local copies may then be eliminated through the usual approval).
import type { Readable } from 'node:stream';
import type { Database, Tx } from '../../../core/db/database.ts';
import type { FilesConfig } from '../../../core/files/store.ts';
import { blobStoreFor } from '../../../core/files/store.ts';
import { journal } from '../../../core/audit/journal.ts';
import { isUuid, uuidv7 } from '../../../core/db/ids.ts';
import { HttpError, notFound } from '../../../core/base/errors.ts';
import { requireArchivist, type Principal } from '../archives.policy.ts';
import { visibleLibrary } from '../archives.repository.ts';
import {
  createSipStream,
  readTransferReply,
  sedaId,
  SedaError,
  type SedaArchiveTransfer,
  type SedaBinaryObject,
  type SedaIssue,
  type SedaManagement,
  type SedaUnit,
} from '../seda/index.ts';

export const MAX_TRANSFER_ROOTS = 1000;

/** A refusal in the SEDA library's terms: the route turns it into 422 {errors:[{code, message}]}. */
function refuse(key: string, params: Record<string, string | number> = {}): never {
  throw new SedaError([{ key, params } satisfies SedaIssue]);
}

/** The units named and every unit under them, eliminated ones excepted (the tenant's rows only: RLS). */
export async function subtreeOf(tx: Tx, ids: string[]): Promise<string[]> {
  const tree = await tx.query<{ id: string }>(
    `with recursive tree as (
       select id from archives_units where id = any($1::uuid[]) and eliminated_at is null
       union
       select u.id from archives_units u join tree t on u.parent_id = t.id where u.eliminated_at is null)
     select id from tree`,
    [ids],
  );
  return tree.map((r) => r.id);
}

export interface TransferCreated {
  id: string;
  message_identifier: string;
  units: number;
  objects: number;
  size: number;
}

export async function createTransfer(
  deps: { db: Database },
  p: Principal,
  input: { units?: unknown; archival_agency?: unknown; comment?: unknown },
  transferringAgency: string,
): Promise<TransferCreated> {
  requireArchivist(p);
  const ids = Array.isArray(input.units) ? [...new Set(input.units)] : [];
  if (!ids.length || ids.length > MAX_TRANSFER_ROOTS || !ids.every((id) => typeof id === 'string' && isUuid(id))) {
    refuse('archives.seda.transfer.units', { max: MAX_TRANSFER_ROOTS });
  }
  const comment = typeof input.comment === 'string' ? input.comment.trim() : '';
  if (comment.length > 2000) refuse('archives.seda.transfer.comment', { max: 2000 });
  return deps.db.transaction(p.tenantId, async (tx) => {
    const roots = await tx.query<{ id: string; archival_agency: string }>(
      'select id, archival_agency from archives_units where id = any($1::uuid[]) and eliminated_at is null',
      [ids],
    );
    // Another collectivité's unit is invisible here (row-level security): the same answer as a unit that never was.
    if (roots.length !== ids.length) throw notFound();
    const given = typeof input.archival_agency === 'string' ? input.archival_agency.trim() : '';
    const agency = given || roots.find((r) => r.archival_agency)?.archival_agency || '';
    if (!agency || agency.length > 500) refuse('archives.seda.transfer.agency');
    const unitIds = await subtreeOf(tx, ids as string[]);
    const totals = await tx.one<{ objects: string; size: string }>(
      'select count(*)::text as objects, coalesce(sum(size), 0)::text as size from archives_objects where unit_id = any($1::uuid[]) and eliminated_at is null',
      [unitIds],
    );
    const id = uuidv7();
    const messageIdentifier = `BASTIDE-TRANSFER-${id}`;
    await tx.query(
      `insert into archives_transfers (tenant_id, id, message_identifier, archival_agency, transferring_agency, comment, actor, unit_count, object_count, total_size)
       values (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, messageIdentifier, agency, transferringAgency, comment, p.actor, unitIds.length, Number(totals!.objects), Number(totals!.size)],
    );
    await tx.query('insert into archives_transfer_units (tenant_id, transfer_id, unit_id) select app_tenant(), $1, unnest($2::uuid[])', [id, unitIds]);
    await journal(tx, {
      actor: p.actor,
      action: 'archives.transfer.create',
      subjectType: 'archive_transfer',
      subjectId: id,
      data: {
        message_identifier: messageIdentifier,
        archival_agency: agency,
        roots: ids.slice(0, 100),
        units: unitIds.length,
        objects: Number(totals!.objects),
      },
    });
    return { id, message_identifier: messageIdentifier, units: unitIds.length, objects: Number(totals!.objects), size: Number(totals!.size) };
  });
}

interface UnitRow {
  id: string;
  parent_id: string | null;
  level: string;
  title: string;
  description: string;
  start_date: string | null;
  end_date: string | null;
  originating_agency: string;
  submission_agency: string;
  keywords: string[];
  prevent_inheritance: string[];
  ref_non_rule_ids: Record<string, string[]>;
}

interface ObjectRow {
  id: string;
  unit_id: string;
  sha512: string;
  size: string;
  format_id: string | null;
  mime: string;
  format_name: string;
  filename: string;
  usage: string;
  blob_sha256: string;
}

const APPRAISAL_FINAL = { keep: 'Keep', destroy: 'Destroy' } as const;
const STORAGE_FINAL = { restrict_access: 'RestrictAccess', transfer: 'Transfer', copy: 'Copy' } as const;

function managementOf(
  u: UnitRow,
  rules: Array<{ category: string; rule_code: string; start_date: string | null }>,
  finals: Map<string, string | null>,
): SedaManagement | undefined {
  const m: SedaManagement = {};
  const lines = (category: string) =>
    rules.filter((r) => r.category === category).map((r) => ({ rule: r.rule_code, ...(r.start_date ? { startDate: r.start_date } : {}) }));
  const block = (category: string) => {
    const b: { rules: ReturnType<typeof lines>; preventInheritance?: boolean; refNonRuleIds?: string[] } = { rules: lines(category) };
    if (u.prevent_inheritance.includes(category)) b.preventInheritance = true;
    else if (u.ref_non_rule_ids[category]?.length) b.refNonRuleIds = u.ref_non_rule_ids[category];
    return b.rules.length || b.preventInheritance || b.refNonRuleIds ? b : undefined;
  };
  const storage = block('storage');
  if (storage) {
    const final = storage.rules.map((r) => finals.get(r.rule)).find(Boolean) as keyof typeof STORAGE_FINAL | undefined;
    m.storage = { ...storage, finalAction: STORAGE_FINAL[final ?? 'copy'] };
  }
  const appraisal = block('appraisal');
  if (appraisal) {
    const final = appraisal.rules.map((r) => finals.get(r.rule)).find(Boolean) as keyof typeof APPRAISAL_FINAL | undefined;
    m.appraisal = { ...appraisal, finalAction: APPRAISAL_FINAL[final ?? 'keep'] };
  }
  for (const category of ['access', 'dissemination', 'reuse'] as const) {
    const b = block(category);
    if (b) m[category] = b;
  }
  // Classification rules are not written: SEDA requires a level and an owner that Bastide does not keep.
  const hold = block('hold');
  if (hold) m.hold = hold;
  return Object.keys(m).length ? m : undefined;
}

/** The extension of a stored filename, when it is a plain one, for the object's path in the package. */
function extensionOf(filename: string): string {
  return /(\.[A-Za-z0-9]{1,10})$/.exec(filename)?.[1]?.toLowerCase() ?? '';
}

export interface TransferPackage {
  transfer: SedaArchiveTransfer;
  /** The blob of each object, by its SEDA id. */
  blobs: Map<string, string>;
}

/** Reads a transfer's units, rules and objects into the neutral structure (null when there is no such transfer). */
export async function loadTransferPackage(tx: Tx, transferId: string): Promise<TransferPackage | null> {
  if (!isUuid(transferId)) return null;
  const head = await tx.one<{ message_identifier: string; archival_agency: string; transferring_agency: string; comment: string; date: string }>(
    `select message_identifier, archival_agency, transferring_agency, comment,
            to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as date
       from archives_transfers where id = $1`,
    [transferId],
  );
  if (!head) return null;
  const members = await tx.query<{ unit_id: string }>('select unit_id from archives_transfer_units where transfer_id = $1', [transferId]);
  return loadUnitsPackage(
    tx,
    members.map((m) => m.unit_id),
    {
      messageIdentifier: head.message_identifier,
      date: head.date,
      comments: head.comment ? [head.comment] : [],
      archivalAgency: head.archival_agency,
      transferringAgency: head.transferring_agency,
    },
  );
}

/** The units named (already with their subtrees) and their rules and objects, under the given message header. */
export async function loadUnitsPackage(
  tx: Tx,
  unitIds: string[],
  header: Pick<SedaArchiveTransfer, 'messageIdentifier' | 'date' | 'comments' | 'archivalAgency' | 'transferringAgency'>,
): Promise<TransferPackage> {
  const units = await tx.query<UnitRow>(
    `select u.id, u.parent_id, u.level, u.title, u.description, u.start_date::text as start_date, u.end_date::text as end_date,
            u.originating_agency, u.submission_agency, u.keywords, u.prevent_inheritance, u.ref_non_rule_ids
       from archives_units u
      where u.id = any($1::uuid[]) and u.eliminated_at is null
      order by u.created_at, u.id`,
    [unitIds],
  );
  const ids = units.map((u) => u.id);
  const rules = await tx.query<{ unit_id: string; category: string; rule_code: string; start_date: string | null }>(
    'select unit_id, category, rule_code, start_date::text as start_date from archives_unit_rules where unit_id = any($1::uuid[]) order by created_at, rule_code',
    [ids],
  );
  const objects = await tx.query<ObjectRow>(
    `select id, unit_id, sha512, size::text as size, format_id, mime, format_name, filename, usage, blob_sha256
       from archives_objects where unit_id = any($1::uuid[]) and eliminated_at is null order by created_at, id`,
    [ids],
  );
  const finals = new Map([...(await visibleLibrary(tx)).values()].map((r) => [r.code, r.final_action]));
  const blobs = new Map<string, string>();
  const sedaObjects: SedaBinaryObject[] = objects.map((o) => {
    const id = sedaId(o.id);
    blobs.set(id, o.blob_sha256);
    const object: SedaBinaryObject = {
      id,
      version: `${o.usage}_1`,
      uri: `content/${id}${extensionOf(o.filename)}`,
      digest: { algorithm: 'SHA-512', value: o.sha512 },
      size: Number(o.size),
      format: { formatLitteral: o.format_name, mimeType: o.mime, ...(o.format_id ? { formatId: o.format_id } : {}) },
      fileInfo: { filename: o.filename },
    };
    return object;
  });
  const byId = new Map<string, SedaUnit>();
  const roots: SedaUnit[] = [];
  for (const u of units) {
    const content: SedaUnit['content'] = { descriptionLevel: u.level, title: u.title, originatingAgencyIdentifiers: [u.id] };
    if (u.description) content.description = u.description;
    if (u.keywords.length) content.keywords = u.keywords.map((k) => ({ content: k }));
    if (u.originating_agency) content.originatingAgency = u.originating_agency;
    if (u.submission_agency) content.submissionAgency = u.submission_agency;
    if (u.start_date) content.startDate = u.start_date;
    if (u.end_date) content.endDate = u.end_date;
    const unit: SedaUnit = {
      id: sedaId(u.id),
      content,
      objectRefs: objects.filter((o) => o.unit_id === u.id).map((o) => ({ objectId: sedaId(o.id) })),
      children: [],
    };
    const management = managementOf(
      u,
      rules.filter((r) => r.unit_id === u.id),
      finals,
    );
    if (management) unit.management = management;
    byId.set(u.id, unit);
  }
  // Parents are attached after every unit exists: ids made in the same millisecond do not sort in creation
  // order, so a child may come before its parent. Siblings keep the (created_at, id) order.
  for (const u of units) {
    const parent = u.parent_id ? byId.get(u.parent_id) : undefined;
    if (parent) parent.children.push(byId.get(u.id)!);
    else roots.push(byId.get(u.id)!);
  }
  return {
    transfer: {
      ...header,
      originatingAgencyIdentifier: header.transferringAgency,
      objects: sedaObjects,
      physicalObjects: [],
      units: roots,
    },
    blobs,
  };
}

/** The transfer's package as a zip stream (null when there is no such transfer in this collectivité). */
export async function transferZip(
  deps: { db: Database; config: FilesConfig },
  p: Principal,
  transferId: string,
): Promise<{ stream: Readable; name: string } | null> {
  requireArchivist(p);
  const pkg = await deps.db.transaction(p.tenantId, (tx) => loadTransferPackage(tx, transferId));
  if (!pkg) return null;
  const store = blobStoreFor(deps.config);
  const stream = createSipStream(pkg.transfer, async (object) => {
    const blob = await store.open(p.tenantId, pkg.blobs.get(object.id)!);
    // A blob gone from the store ends the package in error: an incomplete transfer is never sent as whole.
    if (!blob) throw new HttpError(500, 'blob_missing', `object ${object.id} is missing from the store`);
    return blob.stream;
  });
  return { stream, name: `${pkg.transfer.messageIdentifier}.zip` };
}

export interface TransferStatus {
  id: string;
  message_identifier: string;
  archival_agency: string;
  created_at: string;
  units: number;
  objects: number;
  size: number;
  /** sent: no reply yet; accepted or rejected: the last reply recorded. */
  status: 'sent' | 'accepted' | 'rejected';
  replies: Array<{ message_identifier: string; reply_code: string; accepted: boolean; grant_date: string | null; received_at: string }>;
}

export async function transferStatus(deps: { db: Database }, p: Principal, transferId: string): Promise<TransferStatus | null> {
  requireArchivist(p);
  if (!isUuid(transferId)) return null;
  return deps.db.transaction(p.tenantId, async (tx) => {
    const t = await tx.one<{
      id: string;
      message_identifier: string;
      archival_agency: string;
      created_at: string;
      unit_count: number;
      object_count: number;
      total_size: string;
    }>(
      'select id, message_identifier, archival_agency, created_at::text as created_at, unit_count, object_count, total_size::text as total_size from archives_transfers where id = $1',
      [transferId],
    );
    if (!t) return null;
    const replies = await tx.query<{ message_identifier: string; reply_code: string; accepted: boolean; grant_date: string | null; received_at: string }>(
      'select message_identifier, reply_code, accepted, grant_date::text as grant_date, created_at::text as received_at from archives_transfer_replies where transfer_id = $1 order by created_at, id',
      [transferId],
    );
    const last = replies[replies.length - 1];
    return {
      id: t.id,
      message_identifier: t.message_identifier,
      archival_agency: t.archival_agency,
      created_at: t.created_at,
      units: t.unit_count,
      objects: t.object_count,
      size: Number(t.total_size),
      status: !last ? 'sent' : last.accepted ? 'accepted' : 'rejected',
      replies,
    };
  });
}

/**
 * Records the archival agency's ArchiveTransferReply for a transfer. It must answer this transfer's
 * MessageIdentifier; the identifiers it gives are kept for the units of the transfer it names.
 */
export async function recordTransferReply(
  deps: { db: Database },
  p: Principal,
  transferId: string,
  bytes: Uint8Array,
): Promise<{ transfer: string; accepted: boolean; reply_code: string; units: Array<{ id: string; archival_identifiers: string[] }> }> {
  requireArchivist(p);
  if (!isUuid(transferId)) throw notFound();
  const reply = readTransferReply(bytes);
  return deps.db.transaction(p.tenantId, async (tx) => {
    const t = await tx.one<{ message_identifier: string }>('select message_identifier from archives_transfers where id = $1', [transferId]);
    if (!t) throw notFound();
    if (reply.messageRequestIdentifier !== t.message_identifier) {
      refuse('archives.seda.reply.mismatch', { found: reply.messageRequestIdentifier.slice(0, 200), expected: t.message_identifier });
    }
    const members = await tx.query<{ unit_id: string }>('select unit_id from archives_transfer_units where transfer_id = $1', [transferId]);
    const bySedaId = new Map(members.map((m) => [sedaId(m.unit_id), m.unit_id]));
    const units: Array<{ id: string; archival_identifiers: string[] }> = [];
    for (const u of reply.units) {
      const id = bySedaId.get(u.id);
      if (!id) continue;
      units.push({ id, archival_identifiers: [...u.archivalAgencyIdentifiers, ...u.systemIds].map((s) => s.slice(0, 200)).slice(0, 20) });
    }
    await tx.query(
      `insert into archives_transfer_replies (tenant_id, transfer_id, message_identifier, reply_code, accepted, grant_date, archival_agency, unit_identifiers, actor)
       values (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        transferId,
        reply.messageIdentifier.slice(0, 500),
        (reply.replyCode ?? '').slice(0, 100),
        reply.accepted,
        reply.grantDate && !Number.isNaN(Date.parse(reply.grantDate)) ? reply.grantDate : null,
        reply.archivalAgency.slice(0, 500),
        JSON.stringify(Object.fromEntries(units.map((u) => [u.id, u.archival_identifiers]))),
        p.actor,
      ],
    );
    await journal(tx, {
      actor: p.actor,
      action: 'archives.transfer.reply',
      subjectType: 'archive_transfer',
      subjectId: transferId,
      data: { message_identifier: reply.messageIdentifier.slice(0, 500), reply_code: reply.replyCode ?? '', accepted: reply.accepted, units: units.length },
    });
    return { transfer: transferId, accepted: reply.accepted, reply_code: reply.replyCode ?? '', units };
  });
}

/** Units of the collectivité recorded as transferred (a recorded reply accepted a transfer holding them). */
export async function transferredUnitIds(tx: Tx, unitIds: string[]): Promise<Set<string>> {
  const rows = await tx.query<{ unit_id: string }>(
    `select distinct tu.unit_id from archives_transfer_units tu
       join archives_transfer_replies r on r.transfer_id = tu.transfer_id and r.accepted
      where tu.unit_id = any($1::uuid[])`,
    [unitIds],
  );
  return new Set(rows.map((r) => r.unit_id));
}
