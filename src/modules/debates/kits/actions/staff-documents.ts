// A debate's documents, by the team: an uploaded file (PDF, OpenDocument, Word; stored by core/files and
// recorded here with its blob row), a link (https), or a published catalogue dataset linked to be shown
// as a table on the debate's information page; and removing one. Each change with its journal entry in
// one transaction; the debate is locked meanwhile.
import type { Database } from '../../../../core/db/database.ts';
import { journal } from '../../../../core/audit/journal.ts';
import { conflict, notFound, unprocessable } from '../../../../core/base/errors.ts';
import { recordBlob, type StoredUpload } from '../../../../core/files/upload.ts';
import { publishedDatasets } from '../../../catalogue/index.ts';
import { requireModerator, type Principal } from '../../debates.policy.ts';
import { countDocuments, datasetLinked, deleteDocument, insertDocument } from '../staff.repository.ts';
import { lockDebate } from './staff-content.ts';
import { checker } from './staff-checks.ts';

/** Documents a debate holds at most (uploads, links and datasets together). */
export const MAX_DOCUMENTS = 100;

export const DOCUMENT_TYPES = [
  'application/pdf',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];

/** The largest document accepted: BASTIDE_DEBATES_MAX_DOCUMENT_MB (20 MB by default, 100 at most). */
export function maxDocumentBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.BASTIDE_DEBATES_MAX_DOCUMENT_MB ?? '20');
  return Math.round((Number.isFinite(mb) && mb > 0 ? Math.min(mb, 100) : 20) * 1024 * 1024);
}

/** Checks a document's title before any byte is read (the form's other field). */
export function checkDocumentTitle(p: Principal, title: string | undefined): string {
  const c = checker(p.t);
  const v = c.text('title', title, 300, true);
  if (c.failed()) throw unprocessable(c.errors);
  return v;
}

export async function addUploadedDocument(db: Database, p: Principal, ref: string, title: string, stored: StoredUpload): Promise<string> {
  requireModerator(p);
  const checkedTitle = checkDocumentTitle(p, title);
  return db.transaction(p.tenantId, async (tx) => {
    const debate = await lockDebate(tx, ref);
    if ((await countDocuments(tx, debate.id)) >= MAX_DOCUMENTS) throw unprocessable({ file: [p.t('debates.staff.error.too_many', { max: MAX_DOCUMENTS })] });
    await recordBlob(tx, stored);
    const id = await insertDocument(tx, debate.id, {
      title: checkedTitle,
      blob_sha256: stored.sha256,
      filename: stored.filename.slice(0, 255),
      media_type: stored.contentType,
      byte_size: stored.size,
    });
    await journal(tx, {
      actor: p.actor,
      action: 'debates.document.upload',
      subjectType: 'debate',
      subjectId: debate.id,
      data: { document: id, sha256: stored.sha256, size: stored.size, type: stored.contentType },
    });
    return id;
  });
}

export async function addDocumentLink(db: Database, p: Principal, ref: string, input: { title?: string; publisher?: string; url?: string }): Promise<string> {
  requireModerator(p);
  const c = checker(p.t);
  const title = c.text('link_title', input.title, 300, true);
  const publisher = c.text('publisher', input.publisher, 200);
  const url = c.url('url', input.url, true);
  if (c.failed()) throw unprocessable(c.errors);
  return db.transaction(p.tenantId, async (tx) => {
    const debate = await lockDebate(tx, ref);
    if ((await countDocuments(tx, debate.id)) >= MAX_DOCUMENTS) throw unprocessable({ url: [p.t('debates.staff.error.too_many', { max: MAX_DOCUMENTS })] });
    const id = await insertDocument(tx, debate.id, { title, publisher, url });
    await journal(tx, { actor: p.actor, action: 'debates.document.link', subjectType: 'debate', subjectId: debate.id, data: { document: id, url } });
    return id;
  });
}

/** Links a published dataset of the collectivité's catalogue (read through the catalogue's exports). */
export async function linkCatalogueDataset(db: Database, p: Principal, ref: string, slug: string): Promise<string> {
  requireModerator(p);
  const dataset = (await publishedDatasets({ db }, p.tenantId)).find((d) => d.slug === slug);
  if (!dataset) throw unprocessable({ dataset: [p.t('debates.staff.error.dataset')] });
  return db.transaction(p.tenantId, async (tx) => {
    const debate = await lockDebate(tx, ref);
    if (await datasetLinked(tx, debate.id, slug)) throw conflict(p.t('debates.staff.error.dataset_linked'));
    if ((await countDocuments(tx, debate.id)) >= MAX_DOCUMENTS) throw unprocessable({ dataset: [p.t('debates.staff.error.too_many', { max: MAX_DOCUMENTS })] });
    const id = await insertDocument(tx, debate.id, { title: dataset.title.slice(0, 300), dataset_slug: slug });
    await journal(tx, { actor: p.actor, action: 'debates.dataset.link', subjectType: 'debate', subjectId: debate.id, data: { document: id, dataset: slug } });
    return id;
  });
}

/** Removes a document, link or linked dataset from the debate (the bytes stay with the collectivité's blobs). */
export async function removeDocument(db: Database, p: Principal, ref: string, id: string): Promise<void> {
  requireModerator(p);
  await db.transaction(p.tenantId, async (tx) => {
    const debate = await lockDebate(tx, ref);
    const removed = await deleteDocument(tx, debate.id, id);
    if (!removed) throw notFound();
    await journal(tx, {
      actor: p.actor,
      action: removed.dataset_slug ? 'debates.dataset.unlink' : 'debates.document.remove',
      subjectType: 'debate',
      subjectId: debate.id,
      data: { document: id, title: removed.title },
    });
  });
}
