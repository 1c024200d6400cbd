// Outgoing mail leaves only through the job queue, after the business transaction committed.
// With SMTP_URL: a real SMTP server (nodemailer). Without: .eml files in <data>/mail, listed on /_dev/mail.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Tx } from '../db/database.ts';
import { enqueue } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/runner.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Optional attachments stored as blobs of the job's tenant (e.g. a receipt PDF). */
  attachments?: Array<{ filename: string; content_base64: string; content_type: string }>;
}

export const MAIL_JOB = 'core.mail.send';

export async function queueMail(tx: Tx, message: MailMessage): Promise<void> {
  await enqueue(tx, MAIL_JOB, message as unknown as Record<string, unknown>, { maxAttempts: 10 });
}

export function mailFolder(dataDir: string): string {
  return join(dataDir, 'mail');
}

export function createMailHandler(options: { smtpUrl: string | null; dataDir: string; from: string }): JobHandler {
  const transport = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return async (job) => {
    const m = job.payload as unknown as MailMessage;
    const info = await transport.sendMail({
      from: options.from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      attachments: m.attachments?.map((a) => ({ filename: a.filename, content: Buffer.from(a.content_base64, 'base64'), contentType: a.content_type })),
    });
    if (!options.smtpUrl) {
      const folder = mailFolder(options.dataDir);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `${Date.now()}-${job.id}.eml`), (info as unknown as { message: Buffer }).message);
    }
  };
}
