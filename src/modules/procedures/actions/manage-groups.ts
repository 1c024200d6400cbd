// Groups of agents and routing rules, managed by designers. Each change is journaled.
import type { Database } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { notFound, unprocessable } from '../../../core/base/errors.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { requireDesigner, type Principal } from '../procedures.policy.ts';
import { findProcedure } from '../procedures.repository.ts';
import { addGroupMember, findGroup, insertGroup, removeGroupMember, replaceRules, type GroupRow } from '../routing.repository.ts';
import type { Condition } from '../fields/definition.ts';
import { conditionFields } from '../fields/conditions.ts';

export async function createGroup(db: Database, p: Principal, input: { name?: unknown; procedure?: unknown }): Promise<GroupRow> {
  requireDesigner(p);
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > 200) throw unprocessable({ name: [p.t('procedures.definition.label')] });
  return db.transaction(p.tenantId, async (tx) => {
    let procedureId: string | null = null;
    if (typeof input.procedure === 'string' && input.procedure) {
      const procedure = await findProcedure(tx, input.procedure);
      if (!procedure) throw unprocessable({ procedure: [p.t('procedures.field.choice')] });
      procedureId = procedure.id;
    }
    const group = await insertGroup(tx, name, procedureId);
    await journal(tx, {
      actor: p.actor,
      action: 'procedures.group.create',
      subjectType: 'agent_group',
      subjectId: group.id,
      data: { name, procedure: procedureId },
    });
    return group;
  });
}

/** Adds a staff member of this collectivité (by person id or email) to a group. */
export async function addMember(db: Database, p: Principal, groupId: string, person: string): Promise<{ person_id: string }> {
  requireDesigner(p);
  if (!isUuid(groupId)) throw notFound();
  return db.transaction(p.tenantId, async (tx) => {
    if (!(await findGroup(tx, groupId))) throw notFound();
    const row = await tx.one<{ id: string }>(
      `select distinct pe.id from people pe join effective_memberships m on m.person_id = pe.id and m.tenant_id = app_tenant()
       where ${isUuid(person) ? 'pe.id = $1::uuid' : 'lower(pe.email) = lower($1)'} and m.role in ('agent', 'procedure_admin', 'tenant_admin')`,
      [person],
    );
    if (!row) throw unprocessable({ person: [p.t('procedures.error.not_agent')] });
    await addGroupMember(tx, groupId, row.id);
    await journal(tx, { actor: p.actor, action: 'procedures.group.add_member', subjectType: 'agent_group', subjectId: groupId, data: { person: row.id } });
    return { person_id: row.id };
  });
}

export async function removeMember(db: Database, p: Principal, groupId: string, personId: string): Promise<void> {
  requireDesigner(p);
  if (!isUuid(groupId) || !isUuid(personId)) throw notFound();
  await db.transaction(p.tenantId, async (tx) => {
    if (!(await findGroup(tx, groupId))) throw notFound();
    await removeGroupMember(tx, groupId, personId);
    await journal(tx, { actor: p.actor, action: 'procedures.group.remove_member', subjectType: 'agent_group', subjectId: groupId, data: { person: personId } });
  });
}

/** Replaces the routing rules of a procedure. Each rule: {condition, group}; the first that holds routes. */
export async function setRouting(db: Database, p: Principal, ref: string, rules: unknown): Promise<number> {
  requireDesigner(p);
  if (!Array.isArray(rules) || rules.length > 500) throw unprocessable({ rules: [p.t('procedures.definition.condition')] });
  return db.transaction(p.tenantId, async (tx) => {
    const procedure = await findProcedure(tx, ref, { lock: true });
    if (!procedure) throw notFound();
    const clean: Array<{ condition: Condition; groupId: string }> = [];
    for (const [i, rule] of (rules as Array<Record<string, unknown>>).entries()) {
      const condition = rule?.condition as Condition;
      const group = typeof rule?.group === 'string' && isUuid(rule.group) ? await findGroup(tx, rule.group) : null;
      if (!group || (group.procedure_id && group.procedure_id !== procedure.id))
        throw unprocessable({ [`rules.${i}.group`]: [p.t('procedures.field.choice')] });
      if (!condition || typeof condition !== 'object' || conditionFields(condition).some((f) => typeof f !== 'string')) {
        throw unprocessable({ [`rules.${i}.condition`]: [p.t('procedures.definition.condition')] });
      }
      clean.push({ condition, groupId: group.id });
    }
    await replaceRules(tx, procedure.id, clean);
    await journal(tx, { actor: p.actor, action: 'procedures.routing.set', subjectType: 'procedure', subjectId: procedure.id, data: { rules: clean.length } });
    return clean.length;
  });
}
