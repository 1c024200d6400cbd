// Groups of agents and routing rules of a procedure, for designers: create a group, add an agent by email,
// and route dossiers to a group on an answer (e.g. the commune chosen → that commune's agents, the case of an
// EPCI serving its communes). Rules are rows "field / operator / value → group"; the first that holds wins.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { html } from '../../../../core/views/html.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { csrfField, notice } from '../../../../core/views/forms.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { principalOf } from '../../procedures.policy.ts';
import { findProcedure } from '../../procedures.repository.ts';
import { listGroupMembers, listGroups, listRules } from '../../routing.repository.ts';
import { addMember, createGroup, setRouting } from '../../actions/manage-groups.ts';
import { DISPLAY_ONLY, type Condition } from '../../fields/definition.ts';
import { readForm } from '../form-body.ts';
import { comparison } from './edits.ts';
import { formErrorSummary, noticeFrom, sendPage, seeOther } from '../../views/common.ts';

const ProcedurePath = Type.Object({ id: Type.String() });
const MemberPath = Type.Object({ group: Type.String() });
const GroupForm = Type.Object({ name: Type.String() });
const MemberForm = Type.Object({ person: Type.String() });
/** One row per rule: the selects and the text of row i are the i-th values of each name. */
const RoutingForm = Type.Object({
  rule_field: Type.Array(Type.String()),
  rule_op: Type.Array(Type.String()),
  rule_value: Type.Array(Type.String()),
  rule_group: Type.Array(Type.String()),
});
const EXTRA_RULES = 3;
const OPS = ['equals', 'not_equals', 'gt', 'lt', 'filled', 'empty'];

export function registerDesignerGroupPages(app: FastifyInstance, deps: AppDeps): void {
  async function load(request: FastifyRequest) {
    const tenant = requireTenant(request);
    requireRoles(request, 'procedure_admin');
    const { id } = readForm(ProcedurePath, request.params);
    if (!isUuid(id)) throw notFound();
    const data = await deps.db.transaction(tenant.id, async (tx) => {
      const procedure = await findProcedure(tx, id);
      if (!procedure) throw notFound();
      const groups = await listGroups(tx, procedure.id);
      const members = await Promise.all(groups.map((g) => listGroupMembers(tx, g.id)));
      return { procedure, groups: groups.map((g, i) => ({ ...g, members: members[i]! })), rules: await listRules(tx, procedure.id) };
    });
    return { ...data, base: `/${tenant.slug}/admin/demarches/${data.procedure.id}/groupes` };
  }

  const page = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string[]>) => {
    const { procedure, groups, rules, base } = await load(request);
    const { t } = request.ctx;
    const fields = procedure.draft_definition.fields.filter((f) => !DISPLAY_ONLY.includes(f.type) && f.type !== 'repetition');
    const rows = [
      ...rules.map((r) => ({ condition: r.condition as Condition & { field?: string; op?: string; value?: unknown }, group: r.group_id })),
      ...Array.from({ length: EXTRA_RULES }, () => ({
        condition: { field: '', op: 'equals', value: '' } as Condition & { field?: string; op?: string; value?: unknown },
        group: '',
      })),
    ];
    return sendPage(
      reply,
      request.ctx,
      {
        title: `${t('procedures.web.designer.groups')} – ${procedure.title}`,
        path: request.url,
        body: html`${notice(noticeFrom(request.ctx, request.query))}
${formErrorSummary(request.ctx, errors, [], { name: t('procedures.web.designer.group_name'), person: t('procedures.web.designer.group_member'), rules: t('procedures.web.designer.routing') })}
<p><a href="${base.replace(/\/groupes$/, '')}">${procedure.title}</a></p>
<h1>${t('procedures.web.designer.groups')}</h1>
${
  groups.length
    ? groups.map(
        (g, i) => html`<section class="card"><h2>${g.name}</h2>
<p>${t('procedures.web.designer.members')} : ${g.members.length ? g.members.map((m) => m.display_name || m.email).join(', ') : '—'}</p>
<form method="post" action="${base}/${g.id}/membres" novalidate>${csrfField(request.ctx)}
<div class="field"><label for="field-person-${i}">${t('procedures.web.designer.group_member')}</label><input type="email" id="field-person-${i}" name="person" autocomplete="off"></div>
<button type="submit">${t('procedures.web.designer.group_add_member')}</button></form></section>`,
      )
    : html`<p>${t('procedures.web.designer.no_groups')}</p>`
}
<form method="post" action="${base}" novalidate>${csrfField(request.ctx)}
<div class="field"><label for="field-name">${t('procedures.web.designer.group_name')}</label><input type="text" id="field-name" name="name"></div>
<button type="submit">${t('procedures.web.designer.group_create')}</button></form>
${
  groups.length
    ? html`<h2 id="field-rules">${t('procedures.web.designer.routing')}</h2><p class="hint">${t('procedures.web.designer.routing_hint')}</p>
<form method="post" action="${base}/routage" novalidate>${csrfField(request.ctx)}
${rows.map(
  (r, i) => html`<fieldset class="row"><legend>${t('procedures.web.designer.rule', { n: i + 1 })}</legend>
<div class="field"><label for="rule-${i}-field">${t('procedures.web.designer.cond_field', { n: i + 1 })}</label><select id="rule-${i}-field" name="rule_field"><option value="">—</option>${fields.map((f) => html`<option value="${f.key}"${f.key === r.condition.field ? html` selected` : ''}>${f.label}</option>`)}</select></div>
<div class="field"><label for="rule-${i}-op">${t('procedures.web.designer.cond_op', { n: i + 1 })}</label><select id="rule-${i}-op" name="rule_op">${OPS.map((op) => html`<option value="${op}"${op === r.condition.op ? html` selected` : ''}>${t(`procedures.web.designer.op.${op}`)}</option>`)}</select></div>
<div class="field"><label for="rule-${i}-value">${t('procedures.web.designer.cond_value', { n: i + 1 })}</label><input type="text" id="rule-${i}-value" name="rule_value" value="${r.condition.value === undefined ? '' : String(r.condition.value)}"></div>
<div class="field"><label for="rule-${i}-group">${t('procedures.web.designer.rule_group', { n: i + 1 })}</label><select id="rule-${i}-group" name="rule_group"><option value="">—</option>${groups.map((g) => html`<option value="${g.id}"${g.id === r.group ? html` selected` : ''}>${g.name}</option>`)}</select></div>
</fieldset>`,
)}
<button type="submit">${t('procedures.web.designer.save_rules')}</button></form>`
    : ''
}`,
      },
      errors ? 422 : 200,
    );
  };

  const guarded =
    (run: (request: FastifyRequest, p: ReturnType<typeof principalOf>, procedureId: string) => Promise<unknown>, notice: string) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { procedure, base } = await load(request);
      try {
        await run(request, principalOf(request.ctx), procedure.id);
      } catch (error) {
        if (error instanceof HttpError && error.statusCode === 422) return page(request, reply, (error.details as { errors: Record<string, string[]> }).errors);
        throw error;
      }
      return seeOther(reply, base, notice);
    };

  app.get('/:tenant/admin/demarches/:id/groupes', (request, reply) => page(request, reply));
  app.post(
    '/:tenant/admin/demarches/:id/groupes',
    guarded((request, p, procedureId) => createGroup(deps.db, p, { name: readForm(GroupForm, request.body).name, procedure: procedureId }), 'group_saved'),
  );
  app.post(
    '/:tenant/admin/demarches/:id/groupes/:group/membres',
    guarded((request, p) => addMember(deps.db, p, readForm(MemberPath, request.params).group, readForm(MemberForm, request.body).person), 'group_saved'),
  );
  app.post(
    '/:tenant/admin/demarches/:id/groupes/routage',
    guarded(async (request, p, procedureId) => {
      const { rule_field: fields, rule_op: ops, rule_value: values, rule_group: groups } = readForm(RoutingForm, request.body);
      const procedure = (await load(request)).procedure;
      const rules = [];
      for (let i = 0; i < fields.length; i++) {
        if (!fields[i] || !groups[i]) continue;
        rules.push({ condition: comparison(fields[i]!, ops[i] ?? 'equals', values[i] ?? '', procedure.draft_definition.fields), group: groups[i] });
      }
      return setRouting(deps.db, p, procedureId, rules);
    }, 'rules_saved'),
  );
}
