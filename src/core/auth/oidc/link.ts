// Who an OpenID Connect sign-in is. The rule (docs/authentication.md, "Whom a provider signs in"):
// - an identity is bound to an account by (provider, subject), and only that binding signs anyone in;
// - a binding to an account that already exists needs proof from that account: its owner signed in at
//   the time, or following the link mailed to its address, in the browser that made the sign-in. An
//   email claim alone never binds;
// - a provider never signs in a host operator, and a `generic` provider (whose issuer the collectivité
//   chose, so whose identities its administrator may control) never signs in anyone who holds a role in
//   another collectivité: a binding grants nothing outside the provider's collectivité;
// - only FranceConnect and ProConnect on the host's issuer list (issuers.ts) are believed for an address:
//   a new citizen account is made from it when no account has it, and an account that has it is offered
//   the proof above. A generic provider's email claim is not used at all.
import { randomBytes } from 'node:crypto';
import type { Database, Tx } from '../../db/database.ts';
import { journal } from '../../audit/journal.ts';
import { hashToken } from '../sessions.ts';
import { findPersonByEmail, findPersonById, insertPerson, looksLikeEmail, normaliseEmail } from '../people.ts';
import type { OidcProvider } from './providers.ts';

export type RefusalReason = 'no_email' | 'no_membership' | 'not_linked' | 'other_collectivites' | 'cannot_link' | 'already_linked' | 'unverified';

export type SignInOutcome =
  | { kind: 'signed_in'; personId: string; totp: boolean }
  | { kind: 'refused'; reason: RefusalReason }
  /** An account has this address: a link request was recorded; `secret` goes in the browser's cookie. */
  | { kind: 'needs_proof'; secret: string };

/** How long the browser has to prove the account is theirs (sign in, or follow the mailed link). */
export const LINK_REQUEST_MINUTES = 30;

function displayNameOf(claims: Record<string, unknown>): string {
  const s = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string).trim() : '');
  return (s('name') || [s('given_name'), s('usual_name') || s('family_name')].filter(Boolean).join(' ') || s('email').split('@')[0] || '').slice(0, 120);
}

function claimedEmail(claims: Record<string, unknown>): string | null {
  const email = typeof claims.email === 'string' ? normaliseEmail(claims.email) : '';
  return looksLikeEmail(email) ? email : null;
}

const actorOf = (provider: OidcProvider) => `oidc:${provider.slug}`;

/**
 * Whether this provider may sign this person in (or be bound to them): never a host operator; for a
 * generic provider, nobody with a membership in another collectivité. null when allowed.
 */
async function scopeRefusal(tx: Tx, provider: OidcProvider, person: { id: string; is_host_operator: boolean }): Promise<RefusalReason | null> {
  if (person.is_host_operator) return 'cannot_link';
  if (provider.kind === 'generic') {
    const elsewhere = await tx.one('select 1 from person_memberships($1) where tenant_id <> $2 limit 1', [person.id, provider.tenant_id]);
    if (elsewhere) return 'other_collectivites';
  }
  return null;
}

/** A membership in the provider's collectivité: there already, made (citizen policy), or a refusal. */
async function ensureMembership(tx: Tx, provider: OidcProvider, personId: string): Promise<RefusalReason | null> {
  if (await tx.one('select 1 from memberships where person_id = $1', [personId])) return null;
  if (provider.new_person === 'require_membership') return 'no_membership';
  await tx.query(`insert into memberships (tenant_id, person_id, role) values (app_tenant(), $1, 'citizen') on conflict do nothing`, [personId]);
  await journal(tx, {
    actor: actorOf(provider),
    action: 'core.member.sign_up',
    subjectType: 'person',
    subjectId: personId,
    data: { role: 'citizen', provider: provider.slug },
  });
  return null;
}

async function totpOf(tx: Tx, personId: string): Promise<boolean> {
  return Boolean((await tx.one<{ totp_secret: string | null }>('select totp_secret from people where id = $1', [personId]))?.totp_secret);
}

/**
 * Binds (provider, subject) to the person, in a transaction of the provider's collectivité, journaled
 * with how the person proved the account (`via`). The caller has established that proof.
 */
export async function bindIdentity(
  tx: Tx,
  provider: OidcProvider,
  subject: string,
  personId: string,
  via: 'signed_in' | 'email' | 'new_account',
): Promise<RefusalReason | null> {
  const person = await findPersonById(tx, personId);
  if (!person) return 'cannot_link';
  const refusal = await scopeRefusal(tx, provider, person);
  if (refusal) return refusal;
  const bound = await tx.one<{ person_id: string }>('select person_id from oidc_identities where provider_id = $1 and subject = $2', [provider.id, subject]);
  if (bound && bound.person_id !== personId) return 'already_linked';
  const membership = await ensureMembership(tx, provider, personId);
  if (membership) return membership;
  if (!bound) {
    await tx.query('insert into oidc_identities (tenant_id, provider_id, subject, person_id) values (app_tenant(), $1, $2, $3)', [
      provider.id,
      subject,
      personId,
    ]);
    await journal(tx, {
      actor: actorOf(provider),
      action: 'core.oidc.link',
      subjectType: 'person',
      subjectId: personId,
      data: { provider: provider.slug, via },
    });
  }
  return null;
}

/**
 * The callback's decision. `vouches`: the provider is FranceConnect/ProConnect on the host's list
 * (issuers.vouchesForEmail). Runs in one transaction of the provider's collectivité.
 */
export async function resolveOidcSignIn(
  db: Database,
  provider: OidcProvider,
  claims: Record<string, unknown> & { sub: string },
  o: { vouches: boolean; next: string },
): Promise<SignInOutcome> {
  return db.transaction(provider.tenant_id, async (tx): Promise<SignInOutcome> => {
    const identity = await tx.one<{ person_id: string }>('select person_id from oidc_identities where provider_id = $1 and subject = $2', [
      provider.id,
      claims.sub,
    ]);
    if (identity) {
      const person = (await findPersonById(tx, identity.person_id))!;
      const refusal = (await scopeRefusal(tx, provider, person)) ?? (await ensureMembership(tx, provider, person.id));
      if (refusal) return { kind: 'refused', reason: refusal };
      await tx.query('update oidc_identities set last_seen_at = now() where provider_id = $1 and subject = $2', [provider.id, claims.sub]);
      return { kind: 'signed_in', personId: person.id, totp: Boolean(person.totp_secret) };
    }
    // Not bound yet. A generic provider's claims name nobody: its identities are bound from a signed-in
    // account only (/account/identities).
    if (!o.vouches) return { kind: 'refused', reason: 'not_linked' };
    const email = claimedEmail(claims);
    if (!email) return { kind: 'refused', reason: 'no_email' };
    const existing = await findPersonByEmail(tx, email);
    if (!existing) {
      if (provider.new_person === 'require_membership') return { kind: 'refused', reason: 'no_membership' };
      const personId = await insertPerson(tx, { email, displayName: displayNameOf(claims), passwordHash: null, verified: true });
      // Two first sign-ins racing for one address: the second finds an account, and must prove it.
      if (!personId) return { kind: 'refused', reason: 'already_linked' };
      const refusal = await bindIdentity(tx, provider, claims.sub, personId, 'new_account');
      if (refusal) throw new Error(`a new account could not be bound: ${refusal}`);
      return { kind: 'signed_in', personId, totp: false };
    }
    // The address belongs to an account: nothing is bound, nobody is signed in, until its owner proves it.
    const refusal = await scopeRefusal(tx, provider, existing);
    if (refusal) return { kind: 'refused', reason: refusal };
    if (provider.new_person === 'require_membership' && !(await tx.one('select 1 from memberships where person_id = $1', [existing.id]))) {
      return { kind: 'refused', reason: 'no_membership' };
    }
    const secret = randomBytes(32).toString('base64url');
    await tx.query('delete from oidc_link_requests where expires_at < now()');
    await tx.query(
      `insert into oidc_link_requests (tenant_id, id, provider_id, subject, person_id, claimed_name, next, expires_at)
       values (app_tenant(), $1, $2, $3, $4, $5, $6, now() + make_interval(mins => $7))`,
      [hashToken(secret), provider.id, claims.sub, existing.id, displayNameOf(claims), o.next, LINK_REQUEST_MINUTES],
    );
    return { kind: 'needs_proof', secret };
  });
}

export interface LinkRequest {
  id: string;
  provider_id: string;
  subject: string;
  person_id: string;
  claimed_name: string;
  next: string;
  mailed_to: string | null;
  mail_token_hash: string | null;
  expires_at: Date;
}

export async function findLinkRequest(tx: Tx, secret: string): Promise<LinkRequest | null> {
  return tx.one<LinkRequest>(
    `select id, provider_id, subject, person_id, claimed_name, next, mailed_to, mail_token_hash, expires_at
     from oidc_link_requests where id = $1 and expires_at > now()`,
    [hashToken(secret)],
  );
}

/** A new mail token for the request (an earlier mail's link stops working); its SHA-256 is stored. */
export async function newLinkMailToken(tx: Tx, request: LinkRequest, email: string): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await tx.query('update oidc_link_requests set mail_token_hash = $2, mailed_to = $3 where id = $1', [request.id, hashToken(token), email]);
  return token;
}

/**
 * The address of an account that was never verified has just been proven by someone else than whoever
 * created it (the pre-account hijack: a squatter signs up with a citizen's address and a password of
 * theirs). Everything set before the proof goes: password, TOTP, sessions, pending mail links. Journaled
 * in the collectivité whose provider proved it.
 */
async function takeOverUnverifiedAccount(tx: Tx, provider: OidcProvider, personId: string): Promise<void> {
  await tx.query(
    `update people set password_hash = null, totp_secret = null, totp_pending_secret = null, totp_last_step = null,
       email_verified_at = now() where id = $1`,
    [personId],
  );
  await tx.query('delete from sessions where person_id = $1', [personId]);
  await tx.query('delete from auth_email_tokens where person_id = $1 and used_at is null', [personId]);
  await journal(tx, {
    actor: actorOf(provider),
    action: 'core.person.unverified_credentials_removed',
    subjectType: 'person',
    subjectId: personId,
    data: { provider: provider.slug },
  });
}

export type ConfirmResult = { ok: true; personId: string; totp: boolean; next: string } | { ok: false; reason: RefusalReason | 'expired' | 'wrong_account' };

/**
 * Completes a link request with its proof, single use. `mailToken`: the token of the mailed link (the
 * address is proven; an unverified account is taken over, see above). `signedInAs`: the person signed in
 * in this browser, who must be the account's owner, with a verified address (an unverified account's
 * password proves nothing about the address; its owner uses the mail).
 */
export async function confirmLinkRequest(
  db: Database,
  provider: OidcProvider,
  secret: string,
  proof: { mailToken: string } | { signedInAs: string },
): Promise<ConfirmResult> {
  return db.transaction(provider.tenant_id, async (tx): Promise<ConfirmResult> => {
    const request = await tx.one<LinkRequest>(
      `select id, provider_id, subject, person_id, claimed_name, next, mailed_to, mail_token_hash, expires_at
       from oidc_link_requests where id = $1 and provider_id = $2 and expires_at > now() for update`,
      [hashToken(secret), provider.id],
    );
    if (!request) return { ok: false, reason: 'expired' };
    const person = await findPersonById(tx, request.person_id);
    if (!person) return { ok: false, reason: 'expired' };
    if ('mailToken' in proof) {
      const valid =
        request.mail_token_hash !== null &&
        request.mail_token_hash === hashToken(proof.mailToken) &&
        request.mailed_to !== null &&
        normaliseEmail(person.email) === request.mailed_to;
      if (!valid) return { ok: false, reason: 'expired' };
    } else {
      if (proof.signedInAs !== person.id) return { ok: false, reason: 'wrong_account' };
      if (!person.email_verified_at) return { ok: false, reason: 'unverified' };
    }
    const refusal = await scopeRefusal(tx, provider, person);
    if (refusal) return { ok: false, reason: refusal };
    await tx.query('delete from oidc_link_requests where id = $1', [request.id]);
    const bound = await bindIdentity(tx, provider, request.subject, person.id, 'mailToken' in proof ? 'email' : 'signed_in');
    if (bound) return { ok: false, reason: bound };
    if ('mailToken' in proof && !person.email_verified_at) await takeOverUnverifiedAccount(tx, provider, person.id);
    return { ok: true, personId: person.id, totp: await totpOf(tx, person.id), next: request.next };
  });
}

/** The identities bound to a person in one collectivité (for /account/identities). */
export async function identitiesOf(tx: Tx, personId: string): Promise<Array<{ provider_id: string; created_at: Date }>> {
  return tx.query('select provider_id, created_at from oidc_identities where person_id = $1 order by created_at', [personId]);
}

/** Removes the person's bindings to one provider, journaled; how many there were. */
export async function unbindIdentities(tx: Tx, provider: OidcProvider, personId: string): Promise<number> {
  const n = await tx.execute('delete from oidc_identities where provider_id = $1 and person_id = $2', [provider.id, personId]);
  if (n)
    await journal(tx, {
      actor: `person:${personId}`,
      action: 'core.oidc.unlink',
      subjectType: 'person',
      subjectId: personId,
      data: { provider: provider.slug },
    });
  return n;
}
