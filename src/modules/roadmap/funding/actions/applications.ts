// A project's applications to funding programmes: created and edited by the collectivité's administrator
// (roadmap.policy.ts), one transaction each with its journal entry. A project of another collectivité, or an
// application of another, is not found (row-level security), never reported as forbidden.
import type { Database } from '../../../../core/db/database.ts';
import { journal } from '../../../../core/audit/journal.ts';
import { conflict, notFound, unprocessable } from '../../../../core/base/errors.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { recordBlob, type StoredUpload } from '../../../../core/files/upload.ts';
import { requireEditor, type Principal } from '../../roadmap.policy.ts';
import { findProject } from '../../projects.repository.ts';
import { readApplicationInput, type ApplicationInput } from '../application-input.ts';
import { countDocuments, findApplication, insertApplication, insertDocument, updateApplicationFields } from '../applications.repository.ts';
import { findProgramme } from '../programmes.repository.ts';

/** Documents an application may hold. */
export const MAX_DOCUMENTS = 20;

export async function createApplication(
  db: Database,
  p: Principal,
  projectRef: string,
  programmeSlug: string,
  input: ApplicationInput,
): Promise<{ id: string }> {
  requireEditor(p);
  const read = readApplicationInput(input, p.t);
  return db.transaction(p.tenantId, async (tx) => {
    const project = await findProject(tx, projectRef);
    if (!project) throw notFound();
    const programme = /^[a-z0-9-]{1,80}$/.test(programmeSlug) ? await findProgramme(tx, programmeSlug) : null;
    if (!programme) throw unprocessable({ programme: [p.t('roadmap.funding.error.programme_unknown')], ...(read.ok ? {} : read.errors) });
    if (!read.ok) throw unprocessable(read.errors);
    const id = await insertApplication(tx, project.id, programme.id, read.fields);
    if (!id) throw conflict(p.t('roadmap.funding.error.already_applied'));
    await journal(tx, {
      actor: p.actor,
      action: 'roadmap.funding.application.create',
      subjectType: 'funding_application',
      subjectId: id,
      data: { project: project.slug, programme: programme.slug, ...read.fields },
    });
    return { id };
  });
}

export async function updateApplication(db: Database, p: Principal, id: string, input: ApplicationInput): Promise<void> {
  requireEditor(p);
  if (!isUuid(id)) throw notFound();
  const read = readApplicationInput(input, p.t);
  await db.transaction(p.tenantId, async (tx) => {
    const before = await findApplication(tx, id, true);
    if (!before) throw notFound();
    if (!read.ok) throw unprocessable(read.errors);
    await updateApplicationFields(tx, id, read.fields);
    const changed = Object.fromEntries(Object.entries(read.fields).filter(([k, v]) => before[k as keyof typeof before] !== v));
    await journal(tx, { actor: p.actor, action: 'roadmap.funding.application.update', subjectType: 'funding_application', subjectId: id, data: { changed } });
  });
}

/** Checked before any byte is read, so that an upload to another collectivité's application costs no disk. */
export async function loadApplicationForUpload(db: Database, p: Principal, id: string): Promise<void> {
  requireEditor(p);
  if (!isUuid(id)) throw notFound();
  const found = await db.transaction(p.tenantId, (tx) => findApplication(tx, id));
  if (!found) throw notFound();
}

export async function addApplicationDocument(db: Database, p: Principal, id: string, stored: StoredUpload): Promise<string> {
  requireEditor(p);
  if (!isUuid(id)) throw notFound();
  return db.transaction(p.tenantId, async (tx) => {
    if (!(await findApplication(tx, id, true))) throw notFound();
    if ((await countDocuments(tx, id)) >= MAX_DOCUMENTS)
      throw unprocessable({ file: [p.t('roadmap.funding.error.too_many_documents', { max: MAX_DOCUMENTS })] });
    await recordBlob(tx, stored);
    const documentId = await insertDocument(tx, id, stored.sha256, stored.filename);
    await journal(tx, {
      actor: p.actor,
      action: 'roadmap.funding.application.document',
      subjectType: 'funding_application',
      subjectId: id,
      data: { document: documentId, sha256: stored.sha256, filename: stored.filename, size: stored.size },
    });
    return documentId;
  });
}
