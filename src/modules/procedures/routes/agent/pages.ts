// Agent pages: the inbox (all procedures, filters, search, sort, pages, bulk actions) and the dossier
// page (state changes, assignment, labels, messages, private notes, downloads). Agents and designers only.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { safeRedirectPath } from '../../../../core/base/safe-redirect.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { sendAttachment } from '../../../../core/files/send.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { principalOf, dossierScope, loadVisibleDossier, scopeSql, type Principal } from '../../procedures.policy.ts';
import { listInbox, countByState, INBOX_SORTS, type InboxFilter, type InboxSort } from '../../inbox.repository.ts';
import { listProcedures, findRevision, findProcedure } from '../../procedures.repository.ts';
import { listGroups } from '../../routing.repository.ts';
import { listAttachments, listMessages, listTransitions } from '../../dossiers.repository.ts';
import { isDossierState, type DossierState } from '../../dossier-states.ts';
import { transitionDossier, bulkTransition } from '../../actions/transition-dossier.ts';
import { assignDossier, setLabels } from '../../actions/assign-dossier.ts';
import { agentMessage } from '../../actions/dossier-messages.ts';
import { firstValue, readPostedForm } from '../form-body.ts';
import { inboxBody } from '../../views/inbox.ts';
import { agentDossierBody, type AgentDossierView } from '../../views/agent-dossier.ts';
import { noticeFrom, sendPage, seeOther } from '../../views/common.ts';

const AGENT_ROLES = ['agent', 'procedure_admin'] as const;
const QUERY_KEYS = ['state', 'procedure', 'group', 'assignee', 'label', 'from', 'to', 'q', 'sort', 'page'];

function agent(request: FastifyRequest): Principal {
  requireRoles(request, AGENT_ROLES);
  return principalOf(request.ctx);
}

/** Display names of people (assignees, authors), keyed by id and by journal actor. */
async function peopleNames(deps: AppDeps, ids: string[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids.filter(isUuid))];
  if (!unique.length) return {};
  const rows = await deps.db.transaction(null, (tx) => tx.query<{ id: string; display_name: string; email: string }>('select id, display_name, email from people where id = any($1::uuid[])', [unique]));
  return Object.fromEntries(rows.flatMap((r) => [[r.id, r.display_name || r.email], [`person:${r.id}`, r.display_name || r.email]]));
}

function inboxFilter(query: Record<string, string>, personId: string | null): InboxFilter {
  const date = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
  return {
    procedureId: isUuid(query.procedure ?? '') ? query.procedure : null,
    states: isDossierState(query.state) ? [query.state as DossierState] : [],
    groupId: isUuid(query.group ?? '') ? query.group : null,
    assignee: query.assignee === 'me' ? personId : query.assignee === 'none' ? 'none' : null,
    labels: query.label ? [query.label.slice(0, 50)] : [],
    submittedFrom: date(query.from), submittedTo: date(query.to),
    q: query.q?.slice(0, 200) || null,
    sort: (INBOX_SORTS as readonly string[]).includes(query.sort ?? '') ? (query.sort as InboxSort) : 'submitted_desc',
    page: Number(query.page) || 1, perPage: 50,
  };
}

export function registerAgentPages(app: FastifyInstance, deps: AppDeps): void {
  const renderInbox = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string[]>) => {
    const tenant = requireTenant(request);
    const p = agent(request);
    const raw = request.query as Record<string, unknown>;
    const query: Record<string, string> = {};
    for (const k of QUERY_KEYS) if (typeof raw[k] === 'string' && raw[k]) query[k] = (raw[k] as string).slice(0, 200);
    const filter = inboxFilter(query, p.personId);
    const data = await deps.db.transaction(tenant.id, async (tx) => {
      const scope = await dossierScope(tx, p);
      // The labels offered as filters: those of dossiers this agent may see (procedures.policy.ts).
      const labelParams: unknown[] = [];
      const labels = await tx.query<{ label: string }>(
        `select distinct unnest(labels) as label from dossiers d where d.tenant_id = app_tenant() and d.state <> 'brouillon' and d.labels <> '{}'
           and ${scopeSql(scope, 'd', labelParams)} order by 1 limit 100`, labelParams);
      return {
        page: await listInbox(tx, scope, filter), counts: await countByState(tx, scope, filter),
        procedures: (await listProcedures(tx, { publishedOnly: false })).filter((x) => x.current_revision),
        groups: await listGroups(tx), labels: labels.map((l) => l.label),
      };
    });
    const people = await peopleNames(deps, data.page.items.map((i) => i.assignee_id ?? ''));
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('procedures.web.inbox.title'), path: request.url,
      body: inboxBody(request.ctx, { base: `/${tenant.slug}/instruction`, query, ...data, people, notice: noticeFrom(request.ctx, request.query), errors }),
    }, errors ? 422 : 200);
  };
  app.get('/:tenant/instruction', (request, reply) => renderInbox(request, reply));

  app.post('/:tenant/instruction/lot', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = agent(request);
    const body = request.body as Record<string, string | string[] | undefined>;
    const numbers = (Array.isArray(body.numbers) ? body.numbers : body.numbers ? [body.numbers] : []).map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
    const action = firstValue(body, 'action');
    // The inbox page and its filters, as the browser would read the path (core/http/safe-redirect.ts).
    const inbox = `/${tenant.slug}/instruction`;
    const posted = safeRedirectPath(firstValue(body, 'back'), deps.config.baseUrl, inbox);
    const back = posted === inbox || posted.startsWith(`${inbox}?`) ? posted : inbox;
    try {
      if (action.startsWith('to:')) await bulkTransition(deps.db, p, numbers, { to: action.slice(3), motivation: firstValue(body, 'motivation') });
      else if (action === 'assign:me' || action === 'assign:none') {
        for (const n of numbers) await assignDossier(deps.db, p, n, action === 'assign:me' ? p.personId : null);
      } else if (action === 'label:add') {
        const label = firstValue(body, 'label');
        // Only the ticked dossiers this agent may see (the inbox's rule, procedures.policy.ts): others are
        // left alone, as bulk state changes skip them. setLabels checks the dossier again, and the label.
        const current = await deps.db.transaction(tenant.id, async (tx) => {
          const params: unknown[] = [numbers];
          const scoped = scopeSql(await dossierScope(tx, p), 'd', params);
          return tx.query<{ number: number; labels: string[] }>(
            `select number, labels from dossiers d where d.tenant_id = app_tenant() and d.number = any($1::bigint[]) and d.state <> 'brouillon' and ${scoped}`, params);
        });
        for (const d of current) await setLabels(deps.db, p, Number(d.number), [...d.labels, label]);
      } else throw notFound();
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 422) return renderInbox(request, reply, (error.details as { errors: Record<string, string[]> }).errors);
      throw error;
    }
    return seeOther(reply, back, 'bulk_done');
  });

  async function dossierView(request: FastifyRequest, p: Principal, extra: Partial<AgentDossierView> = {}): Promise<AgentDossierView> {
    const tenant = requireTenant(request);
    const number = Number((request.params as { number: string }).number);
    const loaded = await deps.db.transaction(tenant.id, async (tx) => {
      const dossier = await loadVisibleDossier(tx, p, number);
      const procedure = (await findProcedure(tx, dossier.procedure_id))!;
      const staff = await tx.query<{ person_id: string }>(`select distinct person_id from memberships where tenant_id = app_tenant() and role in ('agent', 'procedure_admin', 'tenant_admin')`);
      const group = dossier.group_id ? (await listGroups(tx)).find((g) => g.id === dossier.group_id) : null;
      return {
        dossier, procedureTitle: procedure.title, definition: (await findRevision(tx, procedure.id, dossier.revision))!.definition,
        transitions: await listTransitions(tx, dossier.id), messages: await listMessages(tx, dossier.id, { includePrivate: true }),
        attachments: await listAttachments(tx, dossier.id), staffIds: staff.map((s) => s.person_id), groupName: group?.name ?? null,
      };
    });
    const actors = [...loaded.transitions.map((s) => s.actor), ...loaded.messages.map((m) => m.author)].map((a) => a.replace(/^person:/, ''));
    const names = await peopleNames(deps, [...loaded.staffIds, ...actors, loaded.dossier.applicant_person_id ?? '', (loaded.dossier.mediation as { mediator_person_id?: string } | null)?.mediator_person_id ?? '']);
    return {
      ...loaded, names, staff: loaded.staffIds.map((id) => ({ id, name: names[id] ?? id })).sort((a, b) => a.name.localeCompare(b.name)),
      base: `/${tenant.slug}/instruction/dossiers/${number}`, exportBase: `/${tenant.slug}/exports`, notice: noticeFrom(request.ctx, request.query), ...extra,
    };
  }

  const showDossier = async (request: FastifyRequest, reply: FastifyReply, p: Principal, extra: Partial<AgentDossierView> = {}) => {
    const view = await dossierView(request, p, extra);
    const title = request.ctx.t('procedures.web.dossier_title', { number: view.dossier.number });
    return sendPage(reply, request.ctx, { title: extra.errors ? request.ctx.t('procedures.web.title_with_errors', { title }) : title, path: request.url, body: agentDossierBody(request.ctx, view) }, extra.errors ? 422 : 200);
  };

  app.get('/:tenant/instruction/dossiers/:number', async (request, reply) => showDossier(request, reply, agent(request)));

  /** Runs a dossier action; a 422 re-renders the page with the errors under `key` and the values posted. */
  const dossierPost = (run: (p: Principal, number: number, body: Record<string, string>, request: FastifyRequest) => Promise<unknown>, notice: string, key?: (k: string) => string) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const p = agent(request);
      const number = Number((request.params as { number: string }).number);
      const body: Record<string, string> = {};
      try {
        await run(p, number, body, request);
      } catch (error) {
        if (!(error instanceof HttpError) || error.statusCode !== 422) throw error;
        const errors = Object.fromEntries(Object.entries((error.details as { errors: Record<string, string[]> }).errors).map(([k, v]) => [key ? key(k) : k, v]));
        return showDossier(request, reply, p, { errors, values: body });
      }
      return seeOther(reply, `/${requireTenant(request).slug}/instruction/dossiers/${number}`, notice);
    };

  app.post('/:tenant/instruction/dossiers/:number/etat', dossierPost(async (p, number, values, request) => {
    const body = request.body as Record<string, string>;
    Object.assign(values, { to: firstValue(body, 'to'), motivation: firstValue(body, 'motivation') });
    await transitionDossier(deps.db, p, number, { to: values.to, motivation: values.motivation });
  }, 'state_changed'));

  app.post('/:tenant/instruction/dossiers/:number/attribution', dossierPost(async (p, number, _v, request) => {
    const assignee = firstValue(request.body as Record<string, string>, 'assignee');
    await assignDossier(deps.db, p, number, assignee || null);
  }, 'assigned'));

  app.post('/:tenant/instruction/dossiers/:number/etiquettes', dossierPost(async (p, number, values, request) => {
    values.labels = firstValue(request.body as Record<string, string>, 'labels');
    await setLabels(deps.db, p, number, values.labels.split(',').map((l) => l.trim()).filter(Boolean));
  }, 'labels_saved'));

  for (const kind of ['message', 'note'] as const) {
    app.post(`/:tenant/instruction/dossiers/:number/${kind === 'message' ? 'messages' : 'notes'}`, dossierPost(async (p, number, values, request) => {
      const tenant = requireTenant(request);
      const posted = await readPostedForm(request, deps, tenant.id, [], request.ctx.t, kind === 'message' ? ['attachment'] : []);
      values[kind] = firstValue(posted.body, 'body');
      if (posted.fileErrors.attachment) throw new HttpError(422, 'invalid', undefined, { errors: { body: posted.fileErrors.attachment } });
      await agentMessage(deps.db, p, number, { body: values[kind], files: posted.files.attachment ?? [], private: kind === 'note' });
    }, kind === 'message' ? 'message_sent' : 'note_added', () => kind));
  }

  app.get('/:tenant/instruction/dossiers/:number/pieces/:id', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = agent(request);
    const number = Number((request.params as { number: string }).number);
    const { id } = request.params as { id: string };
    const file = await deps.db.transaction(tenant.id, async (tx) => {
      const dossier = await loadVisibleDossier(tx, p, number);
      return (await listAttachments(tx, dossier.id)).find((a) => a.id === id) ?? null;
    });
    if (!file) throw notFound();
    return sendAttachment(reply, deps, tenant.id, file, file.filename);
  });
}
