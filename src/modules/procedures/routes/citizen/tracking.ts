// The citizen's dossier pages: receipt, tracking (state, history, messages, reply), downloads of the
// dossier's files, and "my dossiers" for signed-in people. Access: the private tracking code of the
// link (guests), or being the signed-in applicant or the mediator who filed it.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { html } from '../../../../core/views/html.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { requireSignedIn } from '../../../../core/auth/require.ts';
import { trackingCodeHash } from '../../tracking-code.ts';
import { sendAttachment } from '../../../../core/files/send.ts';
import { findDossierByNumber, findDossierByTrackingCode, listAttachments, listMessages, listTransitions, type DossierRow } from '../../dossiers.repository.ts';
import { findProcedure, findRevision } from '../../procedures.repository.ts';
import { principalOf, type Principal } from '../../procedures.policy.ts';
import { citizenMessage } from '../../actions/dossier-messages.ts';
import { firstValue, formBodyOf, readForm, readPostedForm } from '../form-body.ts';
import { receiptBody, trackingBody, type TrackingView } from '../../views/tracking.ts';
import { noticeFrom, sendPage, seeOther, stateBadge, when } from '../../views/common.ts';

const DossierPath = Type.Object({ number: Type.String() });
const FilePath = Type.Object({ id: Type.String() });

export interface CitizenAccess {
  dossier: DossierRow;
  /** `?code=…` to append to links (guests), or ''. */
  access: string;
  code: string | null;
}

/** The dossier this visitor may follow, or 404 (never saying whether the number exists). */
export async function citizenDossier(deps: AppDeps, request: FastifyRequest): Promise<CitizenAccess> {
  const tenant = requireTenant(request);
  const number = Number(readForm(DossierPath, request.params).number);
  const { code } = formBodyOf(request.query);
  const { person } = request.ctx;
  if (typeof code !== 'string' && !person) requireSignedIn(request);
  const dossier = await deps.db.transaction(tenant.id, async (tx) => {
    if (typeof code === 'string' && code.length >= 16 && code.length <= 64) return findDossierByTrackingCode(tx, number, trackingCodeHash(code));
    if (!person) return null;
    const found = await findDossierByNumber(tx, number);
    const mediator = (found?.mediation as { mediator_person_id?: string } | null)?.mediator_person_id;
    return found && (found.applicant_person_id === person.id || mediator === person.id) ? found : null;
  });
  if (!dossier) throw notFound();
  const withCode = typeof code === 'string' ? code : null;
  return { dossier, access: withCode ? `?code=${encodeURIComponent(withCode)}` : '', code: withCode };
}

/** The journal actor of a citizen: their account, or the guest's email. */
export function citizenPrincipal(request: FastifyRequest, dossier: DossierRow): Principal {
  const p = principalOf(request.ctx);
  return request.ctx.person ? p : { ...p, actor: `guest:${dossier.applicant_email ?? 'inconnu'}` };
}

async function trackingView(deps: AppDeps, request: FastifyRequest, a: CitizenAccess): Promise<TrackingView> {
  const tenant = requireTenant(request);
  return deps.db.transaction(tenant.id, async (tx) => {
    const procedure = (await findProcedure(tx, a.dossier.procedure_id))!;
    const revision = (await findRevision(tx, procedure.id, a.dossier.revision))!;
    const messages = await listMessages(tx, a.dossier.id, { includePrivate: false });
    const visible = new Set(messages.map((m) => m.id));
    // Files of private notes stay with the agents.
    const attachments = (await listAttachments(tx, a.dossier.id)).filter((f) => !f.message_id || visible.has(f.message_id));
    const base = `/${tenant.slug}/dossiers/${a.dossier.number}`;
    return {
      dossier: a.dossier,
      procedureTitle: procedure.title,
      definition: revision.definition,
      transitions: await listTransitions(tx, a.dossier.id),
      messages,
      attachments,
      base,
      access: a.access,
      privateLink: a.code ? `${deps.config.baseUrl.replace(/\/+$/, '')}${base}${a.access}` : null,
      notice: noticeFrom(request.ctx, request.query),
    };
  });
}

export function registerTrackingPages(app: FastifyInstance, deps: AppDeps): void {
  app.get('/:tenant/dossiers/:number/recepisse', async (request, reply) => {
    const view = await trackingView(deps, request, await citizenDossier(deps, request));
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('procedures.web.receipt.title'),
      path: request.url.split('?')[0],
      body: receiptBody(request.ctx, view),
    });
  });

  app.get('/:tenant/dossiers/:number', async (request, reply) => {
    const view = await trackingView(deps, request, await citizenDossier(deps, request));
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('procedures.web.dossier_title', { number: view.dossier.number }),
      path: request.url.split('?')[0],
      body: trackingBody(request.ctx, view),
    });
  });

  app.post('/:tenant/dossiers/:number/messages', async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = requireTenant(request);
    const access = await citizenDossier(deps, request);
    const { ctx } = request;
    const posted = await readPostedForm(request, deps, tenant.id, [], ctx.t, ['attachment']);
    const body = firstValue(posted.body, 'body');
    let errors: Record<string, string[]> = posted.fileErrors;
    if (!Object.keys(errors).length) {
      try {
        await citizenMessage(deps.db, citizenPrincipal(request, access.dossier), access.dossier, { body, files: posted.files.attachment ?? [] });
        return seeOther(reply, `/${tenant.slug}/dossiers/${access.dossier.number}${access.access}`, 'message_sent');
      } catch (error) {
        if (!(error instanceof HttpError) || error.statusCode !== 422) throw error;
        errors = (error.details as { errors: Record<string, string[]> }).errors;
      }
    }
    const view = await trackingView(deps, request, access);
    return sendPage(
      reply,
      ctx,
      {
        title: ctx.t('procedures.web.title_with_errors', { title: ctx.t('procedures.web.dossier_title', { number: view.dossier.number }) }),
        body: trackingBody(ctx, { ...view, errors, reply: body }),
      },
      422,
    );
  });

  app.get('/:tenant/dossiers/:number/pieces/:id', async (request, reply) => {
    const tenant = requireTenant(request);
    const access = await citizenDossier(deps, request);
    const { id } = readForm(FilePath, request.params);
    const file = await deps.db.transaction(tenant.id, async (tx) => {
      const public_ = new Set((await listMessages(tx, access.dossier.id, { includePrivate: false })).map((m) => m.id));
      return (await listAttachments(tx, access.dossier.id)).find((a) => a.id === id && (!a.message_id || public_.has(a.message_id))) ?? null;
    });
    if (!file) throw notFound();
    return sendAttachment(reply, deps, tenant.id, file, file.filename);
  });

  app.get('/:tenant/mes-dossiers', async (request, reply) => {
    const tenant = requireTenant(request);
    const person = requireSignedIn(request);
    const { t } = request.ctx;
    const rows = await deps.db.transaction(tenant.id, (tx) =>
      tx.query<{ number: number; state: string; title: string; updated_at: Date }>(
        `select d.number, d.state, p.title, d.updated_at from dossiers d join procedures p on p.tenant_id = d.tenant_id and p.id = d.procedure_id
       where d.tenant_id = app_tenant() and (d.applicant_person_id = $1 or d.mediation->>'mediator_person_id' = $2)
       order by d.updated_at desc limit 200`,
        [person.id, person.id],
      ),
    );
    return sendPage(reply, request.ctx, {
      title: t('procedures.web.my_dossiers'),
      path: request.url,
      body: html`<h1>${t('procedures.web.my_dossiers')}</h1>
${
  rows.length
    ? html`<table><caption class="visually-hidden">${t('procedures.web.my_dossiers')}</caption><thead><tr><th scope="col">${t('procedures.web.number')}</th><th scope="col">${t('procedures.web.procedure')}</th><th scope="col">${t('procedures.web.state')}</th><th scope="col">${t('procedures.web.updated_at')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td><a href="/${tenant.slug}/dossiers/${String(r.number)}">${String(r.number)}</a></td><td>${r.title}</td><td>${stateBadge(request.ctx, r.state)}</td><td>${when(request.ctx, r.updated_at)}</td></tr>`)}</tbody></table>`
    : html`<p>${t('procedures.web.my_dossiers.none')}</p>`
}
<p><a href="/${tenant.slug}/demarches">${t('procedures.web.list.title')}</a></p>`,
    });
  });
}
