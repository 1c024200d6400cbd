// The agent's dossier page: answers, files, history, messages and private notes, and its forms (state
// change, assignment, labels, message, note); downloads of its files. The dossier must be in the agent's
// scope (loadVisibleDossier, procedures.policy.ts): 404 otherwise.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { sendAttachment } from '../../../../core/files/send.ts';
import { loadVisibleDossier, type Principal } from '../../procedures.policy.ts';
import { findRevision, findProcedure } from '../../procedures.repository.ts';
import { listGroups } from '../../routing.repository.ts';
import { listAttachments, listMessages, listTransitions } from '../../dossiers.repository.ts';
import { transitionDossier } from '../../actions/transition-dossier.ts';
import { assignDossier, setLabels } from '../../actions/assign-dossier.ts';
import { agentMessage } from '../../actions/dossier-messages.ts';
import { readForm, readPostedForm } from '../form-body.ts';
import { agentDossierBody, type AgentDossierView } from '../../views/agent-dossier.ts';
import { noticeFrom, sendPage, seeOther } from '../../views/common.ts';
import { agent, peopleNames } from './shared.ts';

const DossierPath = Type.Object({ number: Type.String() });
const FilePath = Type.Object({ number: Type.String(), id: Type.String() });
const StateForm = Type.Object({ to: Type.String(), motivation: Type.String() });
const AssigneeForm = Type.Object({ assignee: Type.String() });
const LabelsForm = Type.Object({ labels: Type.String() });
const MessageForm = Type.Object({ body: Type.String() });

const numberOf = (request: FastifyRequest) => Number(readForm(DossierPath, request.params).number);

async function dossierView(deps: AppDeps, request: FastifyRequest, p: Principal, extra: Partial<AgentDossierView> = {}): Promise<AgentDossierView> {
  const tenant = requireTenant(request);
  const number = numberOf(request);
  const loaded = await deps.db.transaction(tenant.id, async (tx) => {
    const dossier = await loadVisibleDossier(tx, p, number);
    const procedure = (await findProcedure(tx, dossier.procedure_id))!;
    const staff = await tx.query<{ person_id: string }>(
      `select distinct person_id from effective_memberships where tenant_id = app_tenant() and role in ('agent', 'procedure_admin', 'tenant_admin')`,
    );
    const group = dossier.group_id ? (await listGroups(tx)).find((g) => g.id === dossier.group_id) : null;
    return {
      dossier,
      procedureTitle: procedure.title,
      definition: (await findRevision(tx, procedure.id, dossier.revision))!.definition,
      transitions: await listTransitions(tx, dossier.id),
      messages: await listMessages(tx, dossier.id, { includePrivate: true }),
      attachments: await listAttachments(tx, dossier.id),
      staffIds: staff.map((s) => s.person_id),
      groupName: group?.name ?? null,
    };
  });
  const actors = [...loaded.transitions.map((s) => s.actor), ...loaded.messages.map((m) => m.author)].map((a) => a.replace(/^person:/, ''));
  const names = await peopleNames(deps, [
    ...loaded.staffIds,
    ...actors,
    loaded.dossier.applicant_person_id ?? '',
    (loaded.dossier.mediation as { mediator_person_id?: string } | null)?.mediator_person_id ?? '',
  ]);
  return {
    ...loaded,
    names,
    staff: loaded.staffIds.map((id) => ({ id, name: names[id] ?? id })).sort((a, b) => a.name.localeCompare(b.name)),
    base: `/${tenant.slug}/instruction/dossiers/${number}`,
    exportBase: `/${tenant.slug}/exports`,
    notice: noticeFrom(request.ctx, request.query),
    ...extra,
  };
}

export function registerAgentDossierPages(app: FastifyInstance, deps: AppDeps): void {
  const showDossier = async (request: FastifyRequest, reply: FastifyReply, p: Principal, extra: Partial<AgentDossierView> = {}) => {
    const view = await dossierView(deps, request, p, extra);
    const title = request.ctx.t('procedures.web.dossier_title', { number: view.dossier.number });
    return sendPage(
      reply,
      request.ctx,
      {
        title: extra.errors ? request.ctx.t('procedures.web.title_with_errors', { title }) : title,
        path: request.url,
        body: agentDossierBody(request.ctx, view),
      },
      extra.errors ? 422 : 200,
    );
  };

  app.get('/:tenant/instruction/dossiers/:number', async (request, reply) => showDossier(request, reply, agent(request)));

  /** Runs a dossier action; a 422 re-renders the page with the errors under `key` and the values posted. */
  const dossierPost =
    (
      run: (p: Principal, number: number, values: Record<string, string>, request: FastifyRequest) => Promise<unknown>,
      notice: string,
      key?: (k: string) => string,
    ) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const p = agent(request);
      const number = numberOf(request);
      const values: Record<string, string> = {};
      try {
        await run(p, number, values, request);
      } catch (error) {
        if (!(error instanceof HttpError) || error.statusCode !== 422) throw error;
        const errors = Object.fromEntries(
          Object.entries((error.details as { errors: Record<string, string[]> }).errors).map(([k, v]) => [key ? key(k) : k, v]),
        );
        return showDossier(request, reply, p, { errors, values });
      }
      return seeOther(reply, `/${requireTenant(request).slug}/instruction/dossiers/${number}`, notice);
    };

  app.post(
    '/:tenant/instruction/dossiers/:number/etat',
    dossierPost(async (p, number, values, request) => {
      Object.assign(values, readForm(StateForm, request.body));
      await transitionDossier(deps.db, p, number, { to: values.to, motivation: values.motivation });
    }, 'state_changed'),
  );

  app.post(
    '/:tenant/instruction/dossiers/:number/attribution',
    dossierPost(async (p, number, _v, request) => {
      const { assignee } = readForm(AssigneeForm, request.body);
      await assignDossier(deps.db, p, number, assignee || null);
    }, 'assigned'),
  );

  app.post(
    '/:tenant/instruction/dossiers/:number/etiquettes',
    dossierPost(async (p, number, values, request) => {
      values.labels = readForm(LabelsForm, request.body).labels;
      await setLabels(
        deps.db,
        p,
        number,
        values.labels
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
      );
    }, 'labels_saved'),
  );

  for (const kind of ['message', 'note'] as const) {
    app.post(
      `/:tenant/instruction/dossiers/:number/${kind === 'message' ? 'messages' : 'notes'}`,
      dossierPost(
        async (p, number, values, request) => {
          const tenant = requireTenant(request);
          const posted = await readPostedForm(request, deps, tenant.id, [], request.ctx.t, kind === 'message' ? ['attachment'] : []);
          values[kind] = readForm(MessageForm, posted.body).body;
          if (posted.fileErrors.attachment) throw new HttpError(422, 'invalid', undefined, { errors: { body: posted.fileErrors.attachment } });
          await agentMessage(deps.db, p, number, { body: values[kind], files: posted.files.attachment ?? [], private: kind === 'note' });
        },
        kind === 'message' ? 'message_sent' : 'note_added',
        () => kind,
      ),
    );
  }

  app.get('/:tenant/instruction/dossiers/:number/pieces/:id', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = agent(request);
    const { number, id } = readForm(FilePath, request.params);
    const file = await deps.db.transaction(tenant.id, async (tx) => {
      const dossier = await loadVisibleDossier(tx, p, Number(number));
      return (await listAttachments(tx, dossier.id)).find((a) => a.id === id) ?? null;
    });
    if (!file) throw notFound();
    return sendAttachment(reply, deps, tenant.id, file, file.filename);
  });
}
