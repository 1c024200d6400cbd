// Outgoing mail leaves only through the job queue, after the business transaction committed.
// With SMTP_URL: a real SMTP server (nodemailer). Without: .eml files in <data>/mail, listed on /_dev/mail.
// A failed delivery (server down, refused) fails the job, which the runner retries with backoff, so a
// mail server outage delays notifications and loses none.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Transporter } from 'nodemailer';
import type { Tx } from '../db/database.ts';
import { enqueue, enqueueMany } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/runner.ts';
import { openBlob } from '../files/send.ts';
import type { S3Settings } from '../net/s3-settings.ts';

export interface MailAttachment {
  filename: string;
  content_type: string;
  /** Small generated content (a receipt PDF) carried in the job itself… */
  content_base64?: string;
  /** …or a blob of the job's tenant, read when the mail is sent (keeps large files out of the queue). */
  sha256?: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  attachments?: MailAttachment[];
}

export const MAIL_JOB = 'core.mail.send';

export async function queueMail(tx: Tx, message: MailMessage): Promise<void> {
  await enqueue(tx, MAIL_JOB, message as unknown as Record<string, unknown>, { maxAttempts: 10 });
}

/** Several mails in one statement (a batch of notifications). */
export async function queueMails(tx: Tx, messages: MailMessage[]): Promise<void> {
  await enqueueMany(tx, MAIL_JOB, messages as unknown as Array<Record<string, unknown>>, { maxAttempts: 10 });
}

export function mailFolder(dataDir: string): string {
  return join(dataDir, 'mail');
}

export function createMailHandler(options: { smtpUrl: string | null; dataDir: string; s3?: S3Settings | null; from: string }): JobHandler {
  // Timeouts well under the job lock (300 s): a mail server that hangs fails the attempt, which is
  // retried later, instead of outliving the lock and being sent a second time by another worker.
  // nodemailer is loaded with the first mail, not at start: an idle server does not need it (idle RSS on
  // PostgreSQL 143.1 → 139.4 MiB, against a budget of 150 MB; docs/performance.md, memory).
  let transport: Promise<Transporter> | null = null;
  const openTransport = async () => {
    const { default: nodemailer } = await import('nodemailer');
    return options.smtpUrl
      ? // Pooled: a burst of notifications reuses a few open SMTP sessions instead of one TCP connection,
        // greeting (and TLS handshake) per message.
        nodemailer.createTransport({
          url: options.smtpUrl,
          pool: true,
          maxConnections: 2,
          idleTimeout: 30_000,
          connectionTimeout: 15_000,
          greetingTimeout: 15_000,
          socketTimeout: 60_000,
        })
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  };
  return async (job) => {
    const m = job.payload as unknown as MailMessage;
    const attachments = [];
    for (const a of m.attachments ?? []) {
      let content: Buffer | Readable;
      if (a.sha256) {
        const blob = job.tenant_id ? await openBlob({ config: { dataDir: options.dataDir, s3: options.s3 ?? null } }, job.tenant_id, a.sha256) : null;
        if (!blob) throw new Error(`attachment ${a.sha256} is not in the blob store`);
        content = blob.stream;
      } else {
        content = Buffer.from(a.content_base64 ?? '', 'base64');
      }
      attachments.push({ filename: a.filename, content, contentType: a.content_type });
    }
    // A failed import is not kept: the next mail tries again.
    transport ??= openTransport().catch((error: unknown) => {
      transport = null;
      throw error;
    });
    const info = await (await transport).sendMail({ from: options.from, to: m.to, subject: m.subject, text: m.text, attachments });
    if (!options.smtpUrl) {
      const folder = mailFolder(options.dataDir);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `${Date.now()}-${job.id}.eml`), (info as unknown as { message: Buffer }).message);
    }
  };
}
