// The mails of signing in, in the reader's language. Links use the configured public base URL, never
// the Host header of the request (a forged Host must not end up in a password-reset link).
import type { Tx } from '../db/database.ts';
import { translator, type Locale } from '../i18n/i18n.ts';
import { queueMail } from '../mail/mail.ts';
import { allowMailsTo } from '../mail/recipient-limit.ts';
import { createEmailToken } from './email-tokens.ts';

export interface MailContext {
  baseUrl: string;
  secret: string;
  locale: Locale;
}

// Verification, "already registered" and reset mails can be caused by anyone who types an address: each
// is subject to the per-recipient limit (core/mail/recipient-limit.ts); over it, nothing is queued (false)
// and the request answers as usual.

export async function sendVerificationMail(tx: Tx, m: MailContext, person: { id: string; email: string }): Promise<boolean> {
  if (!(await allowMailsTo(tx, m.secret, [person.email]))[0]) return false;
  const t = translator(m.locale);
  const token = await createEmailToken(tx, m.secret, { personId: person.id, email: person.email, purpose: 'verify_email' });
  await queueMail(tx, {
    to: person.email,
    subject: t('auth.mail.verify.subject'),
    text: t('auth.mail.verify.text', { link: `${m.baseUrl}/auth/verify?token=${token}` }),
  });
  return true;
}

/** Someone tried to sign up with an address that has an account: tell its owner, reveal nothing to them. */
export async function sendAlreadyRegisteredMail(tx: Tx, m: MailContext, email: string): Promise<boolean> {
  if (!(await allowMailsTo(tx, m.secret, [email]))[0]) return false;
  const t = translator(m.locale);
  await queueMail(tx, { to: email, subject: t('auth.mail.exists.subject'), text: t('auth.mail.exists.text', { link: `${m.baseUrl}/auth/reset` }) });
  return true;
}

export async function sendResetMail(tx: Tx, m: MailContext, person: { id: string; email: string }): Promise<boolean> {
  if (!(await allowMailsTo(tx, m.secret, [person.email]))[0]) return false;
  const t = translator(m.locale);
  const token = await createEmailToken(tx, m.secret, { personId: person.id, email: person.email, purpose: 'reset_password' });
  await queueMail(tx, {
    to: person.email,
    subject: t('auth.mail.reset.subject'),
    text: t('auth.mail.reset.text', { link: `${m.baseUrl}/auth/reset/confirm?token=${token}` }),
  });
  return true;
}

/**
 * Someone signed in through a collectivité's FranceConnect/ProConnect with this account's address and asked
 * to link it (oidc/link.ts). The link works only in the browser that made that sign-in, so a reader who did
 * not start it cannot be talked into binding someone else's identity by clicking.
 */
export async function sendIdentityLinkMail(
  tx: Tx,
  m: Omit<MailContext, 'secret'>,
  o: { to: string; token: string; provider: string; tenant: string; claimedName: string },
): Promise<void> {
  const t = translator(m.locale);
  await queueMail(tx, {
    to: o.to,
    subject: t('auth.mail.link.subject', { provider: o.provider }),
    text: t('auth.mail.link.text', {
      provider: o.provider,
      tenant: o.tenant,
      name: o.claimedName || '—',
      link: `${m.baseUrl}/auth/oidc/link/confirm?token=${o.token}`,
    }),
  });
}
