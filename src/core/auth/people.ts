// People are global rows (one account across tenants); their memberships are tenant rows read across
// tenants only through the person_memberships() SQL function (see migration 0100).
import type { Tx } from '../db/database.ts';
import type { Person } from '../base/context.ts';
import { STAFF_ROLES, isRole, type Role } from '../base/roles.ts';

export interface PersonRow extends Person {
  password_hash: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
}

const COLUMNS = 'id, email, display_name, password_hash, email_verified_at, totp_secret, totp_pending_secret, totp_last_step, is_host_operator, locale';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Deliberately loose (RFC 5322 is not worth enforcing): one @, a dot in the domain, no spaces. */
export function looksLikeEmail(email: string): boolean {
  return email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
}

export async function findPersonByEmail(tx: Tx, email: string): Promise<PersonRow | null> {
  return tx.one<PersonRow>(`select ${COLUMNS} from people where lower(email) = $1`, [normaliseEmail(email)]);
}

export async function findPersonById(tx: Tx, id: string): Promise<PersonRow | null> {
  return tx.one<PersonRow>(`select ${COLUMNS} from people where id = $1`, [id]);
}

/** The new person's id, or null when the address already has an account (two sign-ups racing too). */
export async function insertPerson(
  tx: Tx,
  input: { email: string; displayName: string; passwordHash: string | null; verified: boolean; locale?: string },
): Promise<string | null> {
  const row = await tx.one<{ id: string }>(
    `insert into people (email, display_name, password_hash, email_verified_at, locale)
     values ($1, $2, $3, case when $4::boolean then now() end, $5)
     on conflict ((lower(email))) do nothing returning id`,
    [normaliseEmail(input.email), input.displayName, input.passwordHash, input.verified, input.locale === 'en' ? 'en' : 'fr'],
  );
  return row?.id ?? null;
}

export interface MembershipRow {
  tenant_id: string;
  slug: string;
  name: string;
  role: Role;
}

export async function membershipsOf(tx: Tx, personId: string): Promise<MembershipRow[]> {
  const rows = await tx.query<MembershipRow>('select tenant_id, slug, name, role from person_memberships($1)', [personId]);
  return rows.filter((r) => isRole(r.role));
}

/** Staff: a host operator or anyone holding a role other than citizen somewhere. */
export async function isStaff(tx: Tx, person: Pick<Person, 'id' | 'is_host_operator'>): Promise<boolean> {
  if (person.is_host_operator) return true;
  return (await membershipsOf(tx, person.id)).some((m) => STAFF_ROLES.includes(m.role));
}
