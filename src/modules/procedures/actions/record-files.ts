// Files of a dossier's answers or of a message, recorded in the transaction that keeps them: the blob row
// (core/files recordBlob: what keeps the bytes from the sweep) and the attachment row.
import type { Tx } from '../../../core/db/database.ts';
import { recordBlob } from '../../../core/files/upload.ts';
import { insertAttachment } from '../dossiers.repository.ts';
import type { Answers } from '../fields/conditions.ts';
import type { FileAnswer } from '../fields/values.ts';

/** File answers with their field path (`photo`, `pieces.document`), as the attachments table keys them. */
export function fileAnswersOf(data: Answers, prefix = ''): Array<{ key: string; file: FileAnswer }> {
  const out: Array<{ key: string; file: FileAnswer }> = [];
  for (const [k, v] of Object.entries(data)) {
    if (!Array.isArray(v)) continue;
    for (const item of v) {
      if (item && typeof item === 'object' && 'sha256' in item) out.push({ key: `${prefix}${k}`, file: item as FileAnswer });
      else if (item && typeof item === 'object') out.push(...fileAnswersOf(item as Answers, `${prefix}${k}.`));
    }
  }
  return out;
}

/** Records one file of a dossier: of a field (`fieldKey`) or of a message (`messageId`). */
export async function recordDossierFile(tx: Tx, dossierId: string, file: FileAnswer, owner: { fieldKey: string } | { messageId: string }): Promise<void> {
  await recordBlob(tx, { sha256: file.sha256, size: file.size, contentType: file.content_type });
  await insertAttachment(tx, dossierId, { ...owner, sha256: file.sha256, filename: file.filename, size: file.size, contentType: file.content_type });
}
