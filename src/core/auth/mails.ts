// The mails of signing in, in the reader's language. Links use the configured public base URL, never
// the Host header of the request (a forged Host must not end up in a password-reset link).
import type { Tx } from '../db/database.ts';
import { translator, type Locale } from '../i18n/i18n.ts';
import { queueMail } from '../mail/mail.ts';
import { createEmailToken } from './email-tokens.ts';

export interface MailContext {
  baseUrl: string;
  secret: string;
  locale: Locale;
}

export async function sendVerificationMail(tx: Tx, m: MailContext, person: { id: string; email: string }): Promise<void> {
  const t = translator(m.locale);
  const token = await createEmailToken(tx, m.secret, { personId: person.id, email: person.email, purpose: 'verify_email' });
  await queueMail(tx, { to: person.email, subject: t('auth.mail.verify.subject'), text: t('auth.mail.verify.text', { link: `${m.baseUrl}/auth/verify?token=${token}` }) });
}

/** Someone tried to sign up with an address that has an account: tell its owner, reveal nothing to them. */
export async function sendAlreadyRegisteredMail(tx: Tx, m: MailContext, email: string): Promise<void> {
  const t = translator(m.locale);
  await queueMail(tx, { to: email, subject: t('auth.mail.exists.subject'), text: t('auth.mail.exists.text', { link: `${m.baseUrl}/auth/reset` }) });
}

export async function sendResetMail(tx: Tx, m: MailContext, person: { id: string; email: string }): Promise<void> {
  const t = translator(m.locale);
  const token = await createEmailToken(tx, m.secret, { personId: person.id, email: person.email, purpose: 'reset_password' });
  await queueMail(tx, { to: person.email, subject: t('auth.mail.reset.subject'), text: t('auth.mail.reset.text', { link: `${m.baseUrl}/auth/reset/confirm?token=${token}` }) });
}
