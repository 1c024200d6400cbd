// Roles are given by invitation: an administrator names an address and a role; the address receives a
// link; the role exists only once the owner of the address, signed in with it, accepts. Following the
// link proves the address, so accepting also marks it verified. Each step is one transaction with its
// journal entry: invite (core.member.invite), accept (core.member.add), revoke (core.member.invite.revoke).
import { randomBytes } from 'node:crypto';
import type { Database, Tx } from '../db/database.ts';
import { journal } from '../audit/journal.ts';
import { translator, type Locale } from '../i18n/i18n.ts';
import { queueMail } from '../mail/mail.ts';
import { allowMailsTo } from '../mail/recipient-limit.ts';
import { isRole, type Role } from '../base/roles.ts';
import { hashToken } from './sessions.ts';
import { looksLikeEmail, normaliseEmail } from './people.ts';
import { grantRole, type MemberChange } from './members.ts';

export const INVITATION_DAYS = 7;
/** Invitation mails one address may receive from one collectivité per hour (mailbox flooding). */
export const INVITATIONS_PER_RECIPIENT_PER_HOUR = 3;

export interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  created_at: Date;
  expires_at: Date;
}

export async function listPendingInvitations(tx: Tx): Promise<InvitationRow[]> {
  return tx.query<InvitationRow>(
    `select id, email, role, created_at, expires_at from member_invitations
     where accepted_at is null and revoked_at is null and expires_at > now() order by created_at desc limit 200`,
  );
}

export async function inviteMember(
  db: Database,
  tenant: { id: string; slug: string; name: string },
  input: { email: string; role: string; actor: string; baseUrl: string; locale: Locale; secret: string },
): Promise<MemberChange> {
  if (!isRole(input.role)) return { ok: false, field: 'role', error: 'auth.members.error.role' };
  const email = normaliseEmail(input.email);
  if (!looksLikeEmail(email)) return { ok: false, field: 'email', error: 'auth.error.email_invalid' };
  const role = input.role;
  return db.transaction(tenant.id, async (tx) => {
    const holder = await tx.one(`select 1 from effective_memberships m join people p on p.id = m.person_id where lower(p.email) = $1 and m.role = $2`, [
      email,
      role,
    ]);
    if (holder) return { ok: false, field: 'role', error: 'auth.members.error.already' } as const;
    // Counted in the database, so every server process shares the limit; refused invitations are not
    // written, so the count is of mails actually sent.
    const recent = await tx.one<{ n: number }>(
      `select count(*)::int as n from member_invitations where email = $1 and created_at > now() - interval '1 hour'`,
      [email],
    );
    if ((recent?.n ?? 0) >= INVITATIONS_PER_RECIPIENT_PER_HOUR) return { ok: false, field: 'email', error: 'auth.invitations.error.too_many' } as const;
    // And the installation-wide limit of mails to one address that someone else causes (recipient-limit.ts):
    // administrators of many collectivités together cannot flood a mailbox either.
    const [allowed] = await allowMailsTo(tx, input.secret, [email]);
    if (!allowed) return { ok: false, field: 'email', error: 'auth.invitations.error.too_many' } as const;
    // A new invitation replaces a pending one for the same address and role (its link stops working).
    await tx.query(
      `update member_invitations set revoked_at = now()
       where email = $1 and role = $2 and accepted_at is null and revoked_at is null`,
      [email, role],
    );
    const token = randomBytes(32).toString('base64url');
    const row = await tx.one<{ id: string }>(
      `insert into member_invitations (tenant_id, email, role, token_hash, invited_by, expires_at)
       values (app_tenant(), $1, $2, $3, $4, now() + make_interval(days => $5)) returning id`,
      [email, role, hashToken(token), input.actor, INVITATION_DAYS],
    );
    // The mail is in the invitee's language when they have an account, else in the administrator's.
    const account = await tx.one<{ locale: Locale }>('select locale from people where lower(email) = $1', [email]);
    const t = translator(account?.locale ?? input.locale);
    await queueMail(tx, {
      to: email,
      subject: t('auth.invitations.mail.subject', { tenant: tenant.name }),
      text: t('auth.invitations.mail.text', {
        tenant: tenant.name,
        role: t(`auth.role.${role}`),
        days: INVITATION_DAYS,
        email,
        link: `${input.baseUrl}/${tenant.slug}/invitation?token=${token}`,
      }),
    });
    await journal(tx, { actor: input.actor, action: 'core.member.invite', subjectType: 'invitation', subjectId: row!.id, data: { email, role } });
    return { ok: true } as const;
  });
}

export async function revokeInvitation(db: Database, tenantId: string, input: { id: string; actor: string }): Promise<boolean> {
  return db.transaction(tenantId, async (tx) => {
    const revoked = await tx.execute('update member_invitations set revoked_at = now() where id = $1 and accepted_at is null and revoked_at is null', [
      input.id,
    ]);
    if (revoked) await journal(tx, { actor: input.actor, action: 'core.member.invite.revoke', subjectType: 'invitation', subjectId: input.id, data: {} });
    return revoked > 0;
  });
}

/** The invitation a link names, while it can still be accepted. */
export async function findOpenInvitation(tx: Tx, token: string): Promise<{ id: string; email: string; role: Role } | null> {
  if (typeof token !== 'string' || token.length > 100) return null;
  return tx.one<{ id: string; email: string; role: Role }>(
    `select id, email, role from member_invitations
     where token_hash = $1 and accepted_at is null and revoked_at is null and expires_at > now()`,
    [hashToken(token)],
  );
}

export type AcceptOutcome = { ok: true; role: Role } | { ok: false; reason: 'invalid' | 'other_address' | 'already' };

/**
 * The signed-in person accepts: only with the invited address, once. One transaction: the invitation is
 * used (a conditional update: two clicks cannot both grant), the address is marked verified (the link
 * reached it), the membership is written, the person's other sessions end, the grant is journaled.
 */
export async function acceptInvitation(
  db: Database,
  tenantId: string,
  input: { token: string; person: { id: string; email: string }; sessionId: string },
): Promise<AcceptOutcome> {
  return db.transaction(tenantId, async (tx) => {
    const open = await findOpenInvitation(tx, input.token);
    if (!open) return { ok: false, reason: 'invalid' } as const;
    if (open.email !== normaliseEmail(input.person.email)) return { ok: false, reason: 'other_address' } as const;
    const used = await tx.one<{ invited_by: string }>(
      `update member_invitations set accepted_at = now(), accepted_by = $2
       where id = $1 and accepted_at is null and revoked_at is null and expires_at > now() returning invited_by`,
      [open.id, input.person.id],
    );
    if (!used) return { ok: false, reason: 'invalid' } as const;
    const verified = await tx.execute('update people set email_verified_at = now() where id = $1 and lower(email) = $2 and email_verified_at is null', [
      input.person.id,
      open.email,
    ]);
    const outcome = await grantRole(tx, {
      personId: input.person.id,
      role: open.role,
      actor: `person:${input.person.id}`,
      keepSessionId: input.sessionId,
      data: { invitation: open.id, invited_by: used.invited_by, address_verified_now: verified > 0 },
    });
    if (outcome === 'already') return { ok: false, reason: 'already' } as const;
    return { ok: true, role: open.role } as const;
  });
}
