// Members of a collectivité and their roles: the tenant administration's actions, each one transaction
// with its journal entry.
import type { Database, Tx } from '../db/database.ts';
import { journal } from '../audit/journal.ts';
import { isRole, type Role } from './roles.ts';
import { normaliseEmail } from './people.ts';

export interface MemberRow {
  person_id: string;
  email: string;
  display_name: string;
  roles: Role[];
}

/** Members holding a staff role (all members with `includeCitizens`), and how many are citizens only. */
export async function listMembers(tx: Tx, options: { includeCitizens?: boolean; limit?: number } = {}): Promise<{ members: MemberRow[]; citizensOnly: number }> {
  const members = await tx.query<MemberRow>(
    `select m.person_id, p.email, p.display_name, array_agg(m.role order by m.role) as roles
     from memberships m join people p on p.id = m.person_id
     group by m.person_id, p.email, p.display_name
     having $1 or bool_or(m.role <> 'citizen')
     order by lower(p.display_name), p.email limit $2`, [options.includeCitizens ?? false, options.limit ?? 500]);
  const count = await tx.one<{ n: number }>(
    `select count(*)::int as n from (select person_id from memberships group by person_id having bool_and(role = 'citizen')) x`);
  return { members, citizensOnly: count?.n ?? 0 };
}

export type MemberChange = { ok: true } | { ok: false; field: 'email' | 'role'; error: string };

export async function addMember(db: Database, tenantId: string, input: { email: string; role: string; actor: string }): Promise<MemberChange> {
  if (!isRole(input.role)) return { ok: false, field: 'role', error: 'auth.members.error.role' };
  const role = input.role;
  return db.transaction(tenantId, async (tx) => {
    const person = await tx.one<{ id: string }>('select id from people where lower(email) = $1', [normaliseEmail(input.email)]);
    if (!person) return { ok: false, field: 'email', error: 'auth.members.error.unknown_person' } as const;
    const added = await tx.execute(
      `insert into memberships (tenant_id, person_id, role) values (app_tenant(), $1, $2) on conflict do nothing`, [person.id, role]);
    if (!added) return { ok: false, field: 'role', error: 'auth.members.error.already' } as const;
    await journal(tx, { actor: input.actor, action: 'core.member.add', subjectType: 'person', subjectId: person.id, data: { role } });
    return { ok: true } as const;
  });
}

export async function removeMember(db: Database, tenantId: string, input: { personId: string; role: string; actor: string }): Promise<MemberChange> {
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
    await journal(tx, { actor: input.actor, action: 'core.member.remove', subjectType: 'person', subjectId: input.personId, data: { role } });
    return { ok: true } as const;
  });
}
