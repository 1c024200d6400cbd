// Members of a collectivité and their roles: the tenant administration's actions, each one transaction
// with its journal entry. A role is given by invitation (invitations.ts); `grantRole` is the one place
// that writes a membership for a person, used when an invitation is accepted and by the host's CLI.
import type { Database, Tx } from '../db/database.ts';
import { journal } from '../audit/journal.ts';
import { isRole, type Role } from '../base/roles.ts';
import { endOtherSessions } from './sessions.ts';

export interface MemberRow {
  person_id: string;
  email: string;
  display_name: string;
  /** False: the address was never verified, so staff roles listed here give no right (effective_memberships). */
  verified: boolean;
  roles: Role[];
}

/** Members holding a staff role (all members with `includeCitizens`), and how many are citizens only. */
export async function listMembers(
  tx: Tx,
  options: { includeCitizens?: boolean; limit?: number } = {},
): Promise<{ members: MemberRow[]; citizensOnly: number }> {
  const members = await tx.query<MemberRow>(
    `select m.person_id, p.email, p.display_name, p.email_verified_at is not null as verified, array_agg(m.role order by m.role) as roles
     from memberships m join people p on p.id = m.person_id
     group by m.person_id, p.email, p.display_name, p.email_verified_at
     having $1 or bool_or(m.role <> 'citizen')
     order by lower(p.display_name), p.email limit $2`,
    [options.includeCitizens ?? false, options.limit ?? 500],
  );
  const count = await tx.one<{ n: number }>(
    `select count(*)::int as n from (select person_id from memberships group by person_id having bool_and(role = 'citizen')) x`,
  );
  return { members, citizensOnly: count?.n ?? 0 };
}

export type MemberChange = { ok: true } | { ok: false; field: 'email' | 'role'; error: string };

export type GrantOutcome = 'granted' | 'already' | 'unverified';

/**
 * Gives `role` to a person in the transaction's tenant, journaled with `data`. A staff role needs a
 * verified address (it would give no right otherwise). The person's other sessions end: whatever a
 * browser was signed in as before the change, it signs in again to get the new rights.
 */
export async function grantRole(
  tx: Tx,
  input: { personId: string; role: Role; actor: string; keepSessionId: string | null; data?: Record<string, unknown> },
): Promise<GrantOutcome> {
  const person = await tx.one<{ verified: boolean }>('select email_verified_at is not null as verified from people where id = $1 for update', [input.personId]);
  if (!person) throw new Error('grantRole: no such person');
  if (input.role !== 'citizen' && !person.verified) return 'unverified';
  const added = await tx.execute(`insert into memberships (tenant_id, person_id, role) values (app_tenant(), $1, $2) on conflict do nothing`, [
    input.personId,
    input.role,
  ]);
  if (!added) return 'already';
  const sessionsEnded = await endOtherSessions(tx, input.personId, input.keepSessionId);
  await journal(tx, {
    actor: input.actor,
    action: 'core.member.add',
    subjectType: 'person',
    subjectId: input.personId,
    data: { role: input.role, sessions_ended: sessionsEnded, ...input.data },
  });
  return 'granted';
}

export async function removeMember(
  db: Database,
  tenantId: string,
  input: { personId: string; role: string; actor: string; keepSessionId: string | null },
): Promise<MemberChange> {
  if (!isRole(input.role)) return { ok: false, field: 'role', error: 'auth.members.error.role' };
  const role = input.role;
  return db.transaction(tenantId, async (tx) => {
    if (role === 'tenant_admin') {
      // Lock the admins' rows so two admins removing each other at once cannot leave none.
      const admins = await tx.query(`select person_id from memberships where role = 'tenant_admin' for update`);
      if (admins.length <= 1) return { ok: false, field: 'role', error: 'auth.members.error.last_admin' } as const;
    }
    const removed = await tx.execute('delete from memberships where tenant_id = app_tenant() and person_id = $1 and role = $2', [input.personId, role]);
    if (!removed) return { ok: false, field: 'role', error: 'auth.members.error.not_member' } as const;
    // Rights are read at each request, so this is not needed for the removal to take effect; a change of
    // role ends the other sessions all the same, as a grant does (one rule to explain).
    const sessionsEnded = await endOtherSessions(tx, input.personId, input.keepSessionId);
    await journal(tx, {
      actor: input.actor,
      action: 'core.member.remove',
      subjectType: 'person',
      subjectId: input.personId,
      data: { role, sessions_ended: sessionsEnded },
    });
    return { ok: true } as const;
  });
}
