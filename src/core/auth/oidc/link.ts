// Who an OpenID Connect sign-in is: an identity already linked, else the person with the same verified
// email, else (when the provider's policy allows it: FranceConnect) a new citizen. ProConnect and generic
// providers by default require an existing membership in the collectivité.
import type { Database } from '../../db/database.ts';
import { journal } from '../../audit/journal.ts';
import { findPersonByEmail, insertPerson, looksLikeEmail, normaliseEmail } from '../people.ts';
import type { OidcProvider } from './providers.ts';

export type LinkResult = { ok: true; personId: string; totp: boolean } | { ok: false; reason: 'no_email' | 'no_membership' };

function displayNameOf(claims: Record<string, unknown>): string {
  const s = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string).trim() : '');
  return (s('name') || [s('given_name'), s('usual_name') || s('family_name')].filter(Boolean).join(' ') || s('email').split('@')[0] || '').slice(0, 120);
}

/** FranceConnect and ProConnect vouch for the addresses they release; a generic provider must say so. */
function verifiedEmail(provider: OidcProvider, claims: Record<string, unknown>): string | null {
  const email = typeof claims.email === 'string' ? normaliseEmail(claims.email) : '';
  if (!looksLikeEmail(email)) return null;
  return provider.kind !== 'generic' || claims.email_verified === true ? email : null;
}

export async function linkOidcPerson(db: Database, provider: OidcProvider, claims: Record<string, unknown> & { sub: string }): Promise<LinkResult> {
  return db.transaction(provider.tenant_id, async (tx) => {
    const actor = `oidc:${provider.slug}`;
    const identity = await tx.one<{ person_id: string }>(
      'select person_id from oidc_identities where provider_id = $1 and subject = $2', [provider.id, claims.sub]);
    let personId = identity?.person_id ?? null;
    const email = verifiedEmail(provider, claims);
    if (!personId && email) {
      const existing = await findPersonByEmail(tx, email);
      if (existing) personId = existing.id;
    }
    const member = personId ? await tx.one('select 1 from memberships where person_id = $1', [personId]) : null;
    if (!member && provider.new_person === 'require_membership') return { ok: false, reason: 'no_membership' } as const;
    if (!personId) {
      if (!email) return { ok: false, reason: 'no_email' } as const;
      personId = await insertPerson(tx, { email, displayName: displayNameOf(claims), passwordHash: null, verified: true })
        ?? (await findPersonByEmail(tx, email))!.id;
    } else if (email) {
      // The provider vouched for the address: an unverified local account becomes verified.
      await tx.query('update people set email_verified_at = coalesce(email_verified_at, now()) where id = $1 and lower(email) = $2', [personId, email]);
    }
    if (identity) {
      await tx.query('update oidc_identities set last_seen_at = now() where provider_id = $1 and subject = $2', [provider.id, claims.sub]);
    } else {
      await tx.query('insert into oidc_identities (tenant_id, provider_id, subject, person_id) values (app_tenant(), $1, $2, $3)', [provider.id, claims.sub, personId]);
      await journal(tx, { actor, action: 'core.oidc.link', subjectType: 'person', subjectId: personId, data: { provider: provider.slug } });
    }
    if (!member) {
      await tx.query(`insert into memberships (tenant_id, person_id, role) values (app_tenant(), $1, 'citizen') on conflict do nothing`, [personId]);
      await journal(tx, { actor, action: 'core.member.sign_up', subjectType: 'person', subjectId: personId, data: { role: 'citizen', provider: provider.slug } });
    }
    const person = await tx.one<{ totp_secret: string | null }>('select totp_secret from people where id = $1', [personId]);
    return { ok: true, personId, totp: Boolean(person?.totp_secret) } as const;
  });
}
