// Resuming a draft and correcting a dossier en construction: the same form as filing, prefilled with the
// dossier's answers and files, on the revision the dossier was started on.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { html } from '../../../../core/views/html.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { HttpError } from '../../../../core/base/errors.ts';
import { findProcedure, findRevision } from '../../procedures.repository.ts';
import { updateDossier } from '../../actions/update-dossier.ts';
import { answersFromForm, applyBlockActions, isBlockAction } from '../../fields/parse-form.ts';
import type { FieldDefinition } from '../../fields/definition.ts';
import type { FileAnswer } from '../../fields/values.ts';
import { firstValue, readPostedForm } from '../form-body.ts';
import { keptFiles } from '../../fields/kept-files.ts';
import { citizenDossier, citizenPrincipal, type CitizenAccess } from './tracking.ts';
import { procedureFormBody } from '../../views/procedure-form.ts';
import { noticeFrom, sendPage, seeOther } from '../../views/common.ts';

/** File answers of stored data by path (`photo`, `pieces.0.document`), to show and keep them in the form. */
function storedFiles(fields: FieldDefinition[], data: Record<string, unknown>, prefix = ''): Record<string, FileAnswer[]> {
  const out: Record<string, FileAnswer[]> = {};
  for (const f of fields) {
    const value = data[f.key];
    if (f.type === 'file' && Array.isArray(value)) out[`${prefix}${f.key}`] = value as FileAnswer[];
    if (f.type === 'repetition' && Array.isArray(value)) {
      value.forEach((block, i) => Object.assign(out, storedFiles(f.fields ?? [], (block ?? {}) as Record<string, unknown>, `${prefix}${f.key}.${i}.`)));
    }
  }
  return out;
}

/** Answers without file values: files travel separately (uploads and signed kept values). */
function withoutFiles(fields: FieldDefinition[], data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.type === 'file' || data[f.key] === undefined) continue;
    out[f.key] =
      f.type === 'repetition' && Array.isArray(data[f.key])
        ? (data[f.key] as Array<Record<string, unknown>>).map((b) => withoutFiles(f.fields ?? [], b ?? {}))
        : data[f.key];
  }
  return out;
}

export function registerCitizenEditPages(app: FastifyInstance, deps: AppDeps): void {
  async function context(request: FastifyRequest) {
    const tenant = requireTenant(request);
    const access = await citizenDossier(deps, request);
    const { procedure, definition } = await deps.db.transaction(tenant.id, async (tx) => {
      const procedure = (await findProcedure(tx, access.dossier.procedure_id))!;
      return { procedure, definition: (await findRevision(tx, procedure.id, access.dossier.revision))!.definition };
    });
    return { tenant, access, procedure, definition, track: `/${tenant.slug}/dossiers/${access.dossier.number}` };
  }

  const render = (
    request: FastifyRequest,
    reply: FastifyReply,
    c: Awaited<ReturnType<typeof context>>,
    o: { answers: Record<string, unknown>; files: Record<string, FileAnswer[]>; errors?: Record<string, string[]>; status?: number },
  ) => {
    const { t } = request.ctx;
    const d = c.access.dossier;
    const editable = d.state === 'brouillon' || d.state === 'en_construction';
    if (!editable) throw new HttpError(409, 'not_editable', t('procedures.web.error.not_editable'));
    const title = t('procedures.web.edit.title', { number: d.number });
    return sendPage(
      reply,
      request.ctx,
      {
        title: o.errors ? t('procedures.web.title_with_errors', { title }) : title,
        path: request.url.split('?')[0],
        script: 'conditions.js',
        body: html`<h1>${title}</h1><p>${c.procedure.title}</p>${procedureFormBody(request.ctx, {
          mode: d.state === 'brouillon' ? 'draft' : 'edit',
          title: c.procedure.title,
          definition: c.definition,
          action: `${c.track}/modifier${(c.access as CitizenAccess).access}`,
          answers: o.answers,
          files: o.files,
          errors: o.errors,
          controls: {},
          secret: deps.secret,
          notice: noticeFrom(request.ctx, request.query),
          back: { href: `${c.track}${c.access.access}`, label: t('procedures.web.edit.back') },
        })}`,
      },
      o.status ?? 200,
    );
  };

  app.get('/:tenant/dossiers/:number/modifier', async (request, reply) => {
    const c = await context(request);
    const data = c.access.dossier.data;
    return render(request, reply, c, { answers: withoutFiles(c.definition.fields, data), files: storedFiles(c.definition.fields, data) });
  });

  app.post('/:tenant/dossiers/:number/modifier', async (request, reply) => {
    const c = await context(request);
    const { ctx } = request;
    const posted = await readPostedForm(request, deps, c.tenant.id, c.definition.fields, ctx.t);
    const files = { ...keptFiles(deps.secret, posted.body), ...posted.files };
    if (isBlockAction(posted.body)) {
      const answers = answersFromForm(c.definition.fields, posted.body, { keepEmptyBlocks: true });
      applyBlockActions(c.definition.fields, answers, posted.body);
      return render(request, reply, c, { answers, files });
    }
    const answers = answersFromForm(c.definition.fields, posted.body);
    if (Object.keys(posted.fileErrors).length) return render(request, reply, c, { answers, files, errors: posted.fileErrors, status: 422 });
    const submit = firstValue(posted.body, '_action') !== 'save';
    try {
      const row = await updateDossier(deps.db, citizenPrincipal(request, c.access.dossier), c.access.dossier.id, { data: answers, files, submit });
      const wasDraft = c.access.dossier.state === 'brouillon';
      if (wasDraft && row.state === 'en_construction') return seeOther(reply, `${c.track}/recepisse${c.access.access}`, 'submitted');
      return seeOther(reply, wasDraft ? `${c.track}/modifier${c.access.access}` : `${c.track}${c.access.access}`, wasDraft ? 'draft_saved' : 'updated');
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode !== 422) throw error;
      return render(request, reply, c, { answers, files, errors: (error.details as { errors: Record<string, string[]> }).errors, status: 422 });
    }
  });
}
