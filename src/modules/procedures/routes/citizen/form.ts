// Citizen pages: the published procedures of a collectivité, a procedure's form (guest, signed in, or a
// mediator with consent), drafts, and submission → receipt. Tracking pages are in html-tracking.ts.
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { html } from '../../../../core/views/html.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { queueStrangerMail } from '../../../../core/mail/recipient-limit.ts';
import { findProcedure, findRevision, listProcedures, type ProcedureRow } from '../../procedures.repository.ts';
import { principalOf } from '../../procedures.policy.ts';
import { submitDossier } from '../../actions/submit-dossier.ts';
import { answersFromForm, applyBlockActions, isBlockAction } from '../../fields/parse-form.ts';
import type { ProcedureDefinition } from '../../fields/definition.ts';
import { validateAnswers } from '../../fields/answers.ts';
import { checkValue, type FileAnswer } from '../../fields/values.ts';
import type { Translate } from '../../../../core/i18n/i18n.ts';
import { firstValue, keepUploads, readForm, readPostedForm, withUploadCleanup } from '../form-body.ts';
import { keptFiles } from '../../fields/kept-files.ts';
import { filingClientOf, filingLimitOf } from '../../actions/filing-limit.ts';
import { procedureFormBody, type FormMode } from '../../views/procedure-form.ts';
import { noticeFrom, sendPage, seeOther } from '../../views/common.ts';

const ProcedurePath = Type.Object({ slug: Type.String() });

async function publishedProcedure(deps: AppDeps, tenantId: string, slug: string): Promise<{ procedure: ProcedureRow; definition: ProcedureDefinition }> {
  return deps.db.transaction(tenantId, async (tx) => {
    const procedure = await findProcedure(tx, slug);
    if (!procedure || procedure.state !== 'published' || !procedure.current_revision) throw notFound();
    const revision = await findRevision(tx, procedure.id, procedure.current_revision);
    return { procedure, definition: revision!.definition };
  });
}

/** A signed-in person filing for themselves finds their email already in the form's first email field. */
function prefilled(request: FastifyRequest, mode: FormMode, definition: ProcedureDefinition): Record<string, unknown> {
  const email = definition.fields.find((f) => f.type === 'email' && !f.visibleIf);
  return mode === 'new' && request.ctx.person && email ? { [email.key]: request.ctx.person.email } : {};
}

/** Where a guest or a person follows a dossier: the tracking page, with the private code for guests. */
export function trackingUrl(slug: string, number: number, code: string | null, page = ''): string {
  return `/${slug}/dossiers/${number}${page}${code ? `?code=${encodeURIComponent(code)}` : ''}`;
}

export function registerCitizenFormPages(app: FastifyInstance, deps: AppDeps): void {
  app.get('/:tenant/demarches', async (request, reply) => {
    const tenant = requireTenant(request);
    const { t } = request.ctx;
    const procedures = await deps.db.transaction(tenant.id, (tx) => listProcedures(tx, { publishedOnly: true }));
    return sendPage(reply, request.ctx, {
      title: t('procedures.web.list.title'),
      path: request.url,
      body: html`<h1>${t('procedures.web.list.title')}</h1>
<p>${t('procedures.web.list.intro')}</p>
${
  procedures.length
    ? html`<ul class="cards">${procedures.map((p) => html`<li class="card"><h2 class="h3"><a href="/${tenant.slug}/demarches/${p.slug}">${p.title}</a></h2>${p.description ? html`<p>${p.description.split('\n')[0]!.slice(0, 240)}</p>` : ''}</li>`)}</ul>`
    : html`<p>${t('procedures.web.list.none')}</p>`
}
<p>${request.ctx.person ? html`<a href="/${tenant.slug}/mes-dossiers">${t('procedures.web.my_dossiers')}</a>` : t('procedures.web.list.track_hint')}</p>`,
    });
  });

  const showForm = (mode: FormMode) => async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = requireTenant(request);
    if (mode === 'mediation') requireRoles(request, 'mediator');
    const { slug } = readForm(ProcedurePath, request.params);
    const { procedure, definition } = await publishedProcedure(deps, tenant.id, slug);
    return sendPage(reply, request.ctx, {
      title: procedure.title,
      path: request.url,
      script: 'conditions.js',
      body: html`<h1>${procedure.title}</h1>${mode === 'new' && request.ctx.roles.includes('mediator') ? html`<p><a href="/${tenant.slug}/demarches/${procedure.slug}/accompagnement">${request.ctx.t('procedures.web.mediation.start')}</a></p>` : ''}${procedureFormBody(
        request.ctx,
        {
          mode,
          title: procedure.title,
          definition,
          action: request.url.split('?')[0]!,
          answers: prefilled(request, mode, definition),
          files: {},
          controls: { _idem: randomBytes(24).toString('base64url') },
          secret: deps.secret,
          notice: noticeFrom(request.ctx, request.query),
        },
      )}`,
    });
  };

  const postForm = (mode: FormMode) => async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = requireTenant(request);
    if (mode === 'mediation') requireRoles(request, 'mediator');
    const { slug } = readForm(ProcedurePath, request.params);
    const { ctx } = request;
    const { procedure, definition } = await publishedProcedure(deps, tenant.id, slug);
    // Counted before any file is read, like an API filing (filing-limit.ts: one count per request).
    const client = filingClientOf(request);
    filingLimitOf(deps.db).hit(principalOf(ctx), client);
    const posted = await readPostedForm(request, deps, tenant.id, definition.fields, ctx.t);
    const files = { ...keptFiles(deps.secret, posted.body), ...posted.files };
    const controls = Object.fromEntries(['_email', '_consent_name', '_consent_how', '_consent_at', '_idem'].map((k) => [k, firstValue(posted.body, k)]));
    // The page carries the files received as signed values: they stay for the next submission.
    const rerender = (status: number, answers: Record<string, unknown>, errors?: Record<string, string[]>) => {
      keepUploads(request);
      return sendPage(
        reply,
        ctx,
        {
          title: errors ? ctx.t('procedures.web.title_with_errors', { title: procedure.title }) : procedure.title,
          path: request.url,
          script: 'conditions.js',
          body: html`<h1>${procedure.title}</h1>${procedureFormBody(ctx, { mode, title: procedure.title, definition, action: request.url.split('?')[0]!, answers, files, errors, controls, secret: deps.secret })}`,
        },
        status,
      );
    };

    if (isBlockAction(posted.body)) {
      const answers = answersFromForm(definition.fields, posted.body, { keepEmptyBlocks: true });
      applyBlockActions(definition.fields, answers, posted.body);
      return rerender(200, answers);
    }
    const answers = answersFromForm(definition.fields, posted.body);
    if (Object.keys(posted.fileErrors).length) return rerender(422, answers, posted.fileErrors);
    const draft = firstValue(posted.body, '_action') === 'save';
    // Everything wrong is said at once: the applicant's email and the answers (the action stops at the first).
    const early = precheck(ctx.t, definition, answers, files, draft, mode === 'new' && !ctx.person ? controls._email! : null);
    if (early) return rerender(422, answers, early);
    try {
      const result = await submitDossier(deps, principalOf(ctx), {
        procedure: procedure.id,
        data: answers,
        files,
        draft,
        email: mode === 'new' && ctx.person ? ctx.person.email : controls._email || undefined,
        // The form's random key (192 bits): a double submission of the same form gets the first dossier.
        // One that is not as rendered (edited, or from a page older than the rule) just files without one.
        idempotencyKey: /^[\w-]{32}$/.test(controls._idem ?? '') ? `web:${controls._idem}` : null,
        mediation: mode === 'mediation' ? { name: controls._consent_name, how: controls._consent_how, given_at: controls._consent_at || undefined } : null,
        client,
      });
      const number = result.dossier.number;
      if (draft) {
        if (result.trackingCode && result.dossier.applicant_email)
          await mailResumeLink(deps, request, tenant.id, number, result.trackingCode, result.dossier.applicant_email, procedure.title);
        return seeOther(reply, trackingUrl(tenant.slug, number, result.trackingCode, '/modifier'), 'draft_saved');
      }
      return seeOther(reply, trackingUrl(tenant.slug, number, result.trackingCode, '/recepisse'), 'submitted');
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 422) {
        const details = error.details as { errors?: Record<string, string[]> } | undefined;
        return rerender(422, answers, details?.errors ?? {});
      }
      throw error;
    }
  };

  app.get('/:tenant/demarches/:slug', showForm('new'));
  app.post('/:tenant/demarches/:slug', withUploadCleanup(postForm('new')));
  app.get('/:tenant/demarches/:slug/accompagnement', showForm('mediation'));
  app.post('/:tenant/demarches/:slug/accompagnement', withUploadCleanup(postForm('mediation')));
}

function precheck(
  t: Translate,
  definition: ProcedureDefinition,
  answers: Record<string, unknown>,
  files: Record<string, FileAnswer[]>,
  draft: boolean,
  guestEmail: string | null,
): Record<string, string[]> | null {
  const checked = validateAnswers(definition.fields, answers, t, { files, partial: draft });
  const errors = checked.ok ? {} : { ...checked.errors };
  if (guestEmail !== null) {
    const email = guestEmail ? checkValue({ key: 'email', label: 'email', type: 'email' }, guestEmail, t) : { errors: [t('procedures.error.email_required')] };
    if ('errors' in email) errors.email = email.errors;
  }
  return Object.keys(errors).length ? errors : null;
}

/**
 * A guest's draft can only be found again with its private link: it is sent by email. The draft is
 * already committed; a lost email leaves the link shown on the next page.
 */
async function mailResumeLink(
  deps: AppDeps,
  request: FastifyRequest,
  tenantId: string,
  number: number,
  code: string,
  email: string,
  title: string,
): Promise<void> {
  const { t } = request.ctx;
  const link = `${deps.config.baseUrl}${trackingUrl(request.ctx.tenant!.slug, number, code, '/modifier')}`;
  // Anyone can type any address: the per-recipient limit applies (core/mail/recipient-limit.ts).
  await deps.db.transaction(tenantId, (tx) =>
    queueStrangerMail(tx, deps.secret, {
      to: email,
      subject: t('procedures.web.mail.draft_subject', { title }),
      text: t('procedures.web.mail.draft_text', { title, number, link }),
    }),
  );
}
