// Communication (issue 13, Leaving): a DIP for a request — the selected units, everything under them, their
// metadata and objects, as a SEDA 2.3 ArchiveDeliveryRequestReply zip (docs/archives-seda.md §4). The
// communication is journaled (who, which request, which units) before a byte is sent; objects are checked
// against the SHA-512 recorded at ingest while they are zipped, as for a transfer.
import type { Readable } from 'node:stream';
import type { Database } from '../../../core/db/database.ts';
import type { FilesConfig } from '../../../core/files/store.ts';
import { blobStoreFor } from '../../../core/files/store.ts';
import { journal } from '../../../core/audit/journal.ts';
import { isUuid, uuidv7 } from '../../../core/db/ids.ts';
import { HttpError, notFound } from '../../../core/base/errors.ts';
import { requireArchivist, type Principal } from '../archives.policy.ts';
import { createDipStream, SedaError } from '../seda/index.ts';
import { loadUnitsPackage, MAX_TRANSFER_ROOTS, subtreeOf } from './transfer.ts';

export interface CommunicationInput {
  units?: unknown;
  /** The request this answers (a request number, a letter's reference): the DIP's MessageRequestIdentifier. */
  request?: unknown;
  /** Who asked (a service, a person's reference, an organisation identifier). */
  requester?: unknown;
}

const text = (value: unknown, max: number) => (typeof value === 'string' && value.trim().length > 0 && value.trim().length <= max ? value.trim() : null);

export async function communicate(
  deps: { db: Database; config: FilesConfig },
  p: Principal,
  input: CommunicationInput,
  archivalAgency: string,
): Promise<{ stream: Readable; name: string; units: number; objects: number }> {
  requireArchivist(p);
  const ids = Array.isArray(input.units) ? [...new Set(input.units)] : [];
  const issues = [];
  if (!ids.length || ids.length > MAX_TRANSFER_ROOTS || !ids.every((id) => typeof id === 'string' && isUuid(id))) {
    issues.push({ key: 'archives.seda.transfer.units', params: { max: MAX_TRANSFER_ROOTS } });
  }
  const request = text(input.request, 200);
  const requester = text(input.requester, 500);
  if (!request) issues.push({ key: 'archives.seda.communication.request', params: {} });
  if (!requester) issues.push({ key: 'archives.seda.communication.requester', params: {} });
  if (issues.length) throw new SedaError(issues);
  const id = uuidv7();
  const pkg = await deps.db.transaction(p.tenantId, async (tx) => {
    const found = await tx.query<{ id: string }>('select id from archives_units where id = any($1::uuid[]) and eliminated_at is null', [ids]);
    if (found.length !== ids.length) throw notFound();
    const unitIds = await subtreeOf(tx, ids as string[]);
    const loaded = await loadUnitsPackage(tx, unitIds, {
      messageIdentifier: `BASTIDE-DIP-${id}`,
      date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      comments: [],
      archivalAgency,
      transferringAgency: archivalAgency,
    });
    await journal(tx, {
      actor: p.actor,
      action: 'archives.communication',
      subjectType: 'archive_communication',
      subjectId: id,
      data: { request, requester, roots: ids.slice(0, 100), units: unitIds.length, objects: loaded.transfer.objects.length },
    });
    return loaded;
  });
  const store = blobStoreFor(deps.config);
  const stream = createDipStream(pkg.transfer, { messageRequestIdentifier: request!, requester: requester! }, async (object) => {
    const blob = await store.open(p.tenantId, pkg.blobs.get(object.id)!);
    if (!blob) throw new HttpError(500, 'blob_missing', `object ${object.id} is missing from the store`);
    return blob.stream;
  });
  return { stream, name: `${pkg.transfer.messageIdentifier}.zip`, units: pkg.transfer.units.length, objects: pkg.transfer.objects.length };
}
