// Messages on a dossier: an agent writes to the citizen (notified by email through a job), the citizen
// answers, agents keep private notes the citizen never sees.
import type { Database, Tx } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { notFound, unprocessable } from '../../../core/base/errors.ts';
import { loadVisibleDossier, type Principal } from '../procedures.policy.ts';
import { insertMessage, type DossierRow, type MessageRow } from '../dossiers.repository.ts';
import type { FileAnswer } from '../fields/values.ts';
import { enqueueMessageEvent } from '../dossier-events.ts';
import { recordDossierFile } from './record-files.ts';

export interface MessageInput {
  body: unknown;
  /** Checked uploads; their blobs are stored already. */
  files?: FileAnswer[];
}

function checkBody(p: Principal, body: unknown): string {
  const text = typeof body === 'string' ? body.trim() : '';
  if (!text || text.length > 20_000 || !text.isWellFormed() || text.includes('\u0000')) throw unprocessable({ body: [p.t('procedures.error.message_body')] });
  return text;
}

async function attach(tx: Tx, dossierId: string, messageId: string, files: FileAnswer[]): Promise<void> {
  for (const f of files.slice(0, 10)) {
    await recordDossierFile(tx, dossierId, f, { messageId });
  }
}

/** Agent → citizen (visibility public) or private note (visibility private). */
export async function agentMessage(db: Database, p: Principal, number: number, input: MessageInput & { private?: boolean }): Promise<MessageRow> {
  const body = checkBody(p, input.body);
  return db.transaction(p.tenantId, async (tx) => {
    const dossier = await loadVisibleDossier(tx, p, number);
    const visibility = input.private ? 'private' : 'public';
    const message = await insertMessage(tx, dossier.id, { author: p.actor, author_kind: 'agent', visibility, body });
    if (input.files?.length) await attach(tx, dossier.id, message.id, input.files);
    await journal(tx, {
      actor: p.actor,
      action: input.private ? 'procedures.dossier.note' : 'procedures.dossier.message',
      subjectType: 'dossier',
      subjectId: dossier.id,
      data: { number: dossier.number, message: message.id },
    });
    if (!input.private) await enqueueMessageEvent(tx, dossier.id, 'message', message.id);
    return message;
  });
}

/**
 * The citizen answers. The caller proved access (signed-in applicant, or number + tracking code) and
 * passes the dossier it loaded in this tenant; agents are told through the same notification job.
 */
export async function citizenMessage(db: Database, p: Principal, dossier: Pick<DossierRow, 'id' | 'number'>, input: MessageInput): Promise<MessageRow> {
  const body = checkBody(p, input.body);
  return db.transaction(p.tenantId, async (tx) => {
    const exists = await tx.one('select 1 from dossiers where tenant_id = app_tenant() and id = $1', [dossier.id]);
    if (!exists) throw notFound();
    const message = await insertMessage(tx, dossier.id, { author: p.actor, author_kind: 'citizen', visibility: 'public', body });
    if (input.files?.length) await attach(tx, dossier.id, message.id, input.files);
    await journal(tx, {
      actor: p.actor,
      action: 'procedures.dossier.reply',
      subjectType: 'dossier',
      subjectId: dossier.id,
      data: { number: dossier.number, message: message.id },
    });
    await enqueueMessageEvent(tx, dossier.id, 'citizen_message', message.id);
    return message;
  });
}
