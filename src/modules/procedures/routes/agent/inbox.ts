// The agents' inbox: every procedure's dossiers in the agent's scope (procedures.policy.ts), with filters,
// search, sort, pages, and bulk actions on the ticked dossiers (state, assignment, a label).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { safeRedirectPath } from '../../../../core/base/safe-redirect.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { dossierScope } from '../../procedures.policy.ts';
import { listInbox, countByState, INBOX_SORTS, labelsInScope, listInboxLabels, type InboxFilter, type InboxSort } from '../../inbox.repository.ts';
import { listProcedures } from '../../procedures.repository.ts';
import { listGroups } from '../../routing.repository.ts';
import { isDossierState, type DossierState } from '../../dossier-states.ts';
import { bulkTransition } from '../../actions/transition-dossier.ts';
import { assignDossier, setLabels } from '../../actions/assign-dossier.ts';
import { formBodyOf, readForm } from '../form-body.ts';
import { inboxBody } from '../../views/inbox.ts';
import { noticeFrom, sendPage, seeOther } from '../../views/common.ts';
import { agent, peopleNames } from './shared.ts';

const QUERY_KEYS = ['state', 'procedure', 'group', 'assignee', 'label', 'from', 'to', 'q', 'sort', 'page'];
const BulkForm = Type.Object({
  numbers: Type.Array(Type.String()),
  action: Type.String(),
  back: Type.String(),
  motivation: Type.String(),
  label: Type.String(),
});

/** The filters of the query string: each given once and not empty, at most 200 characters. */
function inboxQuery(raw: unknown): Record<string, string> {
  const given = formBodyOf(raw);
  const query: Record<string, string> = {};
  for (const k of QUERY_KEYS) {
    const v = given[k];
    if (typeof v === 'string' && v) query[k] = v.slice(0, 200);
  }
  return query;
}

function inboxFilter(query: Record<string, string>, personId: string | null): InboxFilter {
  const date = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
  return {
    procedureId: isUuid(query.procedure ?? '') ? query.procedure : null,
    states: isDossierState(query.state) ? [query.state as DossierState] : [],
    groupId: isUuid(query.group ?? '') ? query.group : null,
    assignee: query.assignee === 'me' ? personId : query.assignee === 'none' ? 'none' : null,
    labels: query.label ? [query.label.slice(0, 50)] : [],
    submittedFrom: date(query.from),
    submittedTo: date(query.to),
    q: query.q?.slice(0, 200) || null,
    sort: (INBOX_SORTS as readonly string[]).includes(query.sort ?? '') ? (query.sort as InboxSort) : 'submitted_desc',
    page: Number(query.page) || 1,
    perPage: 50,
  };
}

export function registerInboxPages(app: FastifyInstance, deps: AppDeps): void {
  const renderInbox = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string[]>) => {
    const tenant = requireTenant(request);
    const p = agent(request);
    const query = inboxQuery(request.query);
    const filter = inboxFilter(query, p.personId);
    const data = await deps.db.transaction(tenant.id, async (tx) => {
      const scope = await dossierScope(tx, p);
      return {
        page: await listInbox(tx, scope, filter),
        counts: await countByState(tx, scope, filter),
        procedures: (await listProcedures(tx, { publishedOnly: false })).filter((x) => x.current_revision),
        // The labels offered as filters: those of dossiers this agent may see (procedures.policy.ts).
        groups: await listGroups(tx),
        labels: await listInboxLabels(tx, scope),
      };
    });
    const people = await peopleNames(
      deps,
      data.page.items.map((i) => i.assignee_id ?? ''),
    );
    return sendPage(
      reply,
      request.ctx,
      {
        title: request.ctx.t('procedures.web.inbox.title'),
        path: request.url,
        body: inboxBody(request.ctx, { base: `/${tenant.slug}/instruction`, query, ...data, people, notice: noticeFrom(request.ctx, request.query), errors }),
      },
      errors ? 422 : 200,
    );
  };
  app.get('/:tenant/instruction', (request, reply) => renderInbox(request, reply));

  app.post('/:tenant/instruction/lot', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = agent(request);
    const form = readForm(BulkForm, request.body);
    const numbers = form.numbers.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
    const { action } = form;
    // The inbox page and its filters, as the browser would read the path (core/base/safe-redirect.ts).
    const inbox = `/${tenant.slug}/instruction`;
    const posted = safeRedirectPath(form.back, deps.config.baseUrl, inbox);
    const back = posted === inbox || posted.startsWith(`${inbox}?`) ? posted : inbox;
    try {
      if (action.startsWith('to:')) await bulkTransition(deps.db, p, numbers, { to: action.slice(3), motivation: form.motivation });
      else if (action === 'assign:me' || action === 'assign:none') {
        for (const n of numbers) await assignDossier(deps.db, p, n, action === 'assign:me' ? p.personId : null);
      } else if (action === 'label:add') {
        // Only the ticked dossiers this agent may see (the inbox's rule, procedures.policy.ts): others are
        // left alone, as bulk state changes skip them. setLabels checks the dossier again, and the label.
        const current = await deps.db.transaction(tenant.id, async (tx) => labelsInScope(tx, await dossierScope(tx, p), numbers));
        for (const d of current) await setLabels(deps.db, p, Number(d.number), [...d.labels, form.label]);
      } else throw notFound();
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 422)
        return renderInbox(request, reply, (error.details as { errors: Record<string, string[]> }).errors);
      throw error;
    }
    return seeOther(reply, back, 'bulk_done');
  });
}
