// Groups of agents and routing rules (SQL), and the routing decision made at submission.
import type { Tx } from '../../core/db/database.ts';
import type { Condition } from './fields/definition.ts';
import { evaluateCondition, type Answers } from './fields/conditions.ts';

export interface GroupRow {
  id: string;
  procedure_id: string | null;
  name: string;
}
export interface RuleRow {
  position: number;
  condition: Condition;
  group_id: string;
}

export async function insertGroup(tx: Tx, name: string, procedureId: string | null): Promise<GroupRow> {
  return (await tx.one<GroupRow>(`insert into agent_groups (tenant_id, name, procedure_id) values (app_tenant(), $1, $2) returning id, procedure_id, name`, [
    name,
    procedureId,
  ]))!;
}

export async function findGroup(tx: Tx, id: string): Promise<GroupRow | null> {
  return tx.one<GroupRow>('select id, procedure_id, name from agent_groups where tenant_id = app_tenant() and id = $1', [id]);
}

/** Groups usable by a procedure: its own and the collectivité-wide ones (all groups when procedureId is null). */
export async function listGroups(tx: Tx, procedureId: string | null = null): Promise<GroupRow[]> {
  return tx.query<GroupRow>(
    `select id, procedure_id, name from agent_groups where tenant_id = app_tenant()
     ${procedureId ? 'and (procedure_id is null or procedure_id = $1)' : ''} order by name`,
    procedureId ? [procedureId] : [],
  );
}

export async function addGroupMember(tx: Tx, groupId: string, personId: string): Promise<void> {
  await tx.query(`insert into agent_group_members (tenant_id, group_id, person_id) values (app_tenant(), $1, $2) on conflict do nothing`, [groupId, personId]);
}

export async function removeGroupMember(tx: Tx, groupId: string, personId: string): Promise<void> {
  await tx.query(`delete from agent_group_members where tenant_id = app_tenant() and group_id = $1 and person_id = $2`, [groupId, personId]);
}

export async function listGroupMembers(tx: Tx, groupId: string): Promise<Array<{ person_id: string; email: string; display_name: string }>> {
  return tx.query(
    `select m.person_id, p.email, p.display_name from agent_group_members m join people p on p.id = m.person_id
     where m.tenant_id = app_tenant() and m.group_id = $1 order by p.display_name, p.email`,
    [groupId],
  );
}

export async function listRules(tx: Tx, procedureId: string): Promise<RuleRow[]> {
  return tx.query<RuleRow>(`select position, condition, group_id from routing_rules where tenant_id = app_tenant() and procedure_id = $1 order by position`, [
    procedureId,
  ]);
}

/** Replaces a procedure's rules with this ordered list. */
export async function replaceRules(tx: Tx, procedureId: string, rules: Array<{ condition: Condition; groupId: string }>): Promise<void> {
  await tx.query('delete from routing_rules where tenant_id = app_tenant() and procedure_id = $1', [procedureId]);
  for (const [i, rule] of rules.entries()) {
    await tx.query(`insert into routing_rules (tenant_id, procedure_id, position, condition, group_id) values (app_tenant(), $1, $2, $3, $4)`, [
      procedureId,
      i + 1,
      JSON.stringify(rule.condition),
      rule.groupId,
    ]);
  }
}

/** The group of the first rule whose condition holds for these answers, or null. */
export async function routeDossier(tx: Tx, procedureId: string, data: Answers): Promise<string | null> {
  for (const rule of await listRules(tx, procedureId)) if (evaluateCondition(rule.condition, data)) return rule.group_id;
  return null;
}
