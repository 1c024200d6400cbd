// The draft of a procedure: its edit page, general information, adding, moving and deleting fields, the
// preview, publication of a revision, closing, and the definition as JSON. Every change goes through the
// module's actions, which validate the whole definition and journal it; a refused change shows the edit
// page again with the reasons.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { html } from '../../../../core/views/html.ts';
import { notFound } from '../../../../core/base/errors.ts';
import { closeProcedure, publishProcedure, updateProcedureDraft } from '../../actions/create-procedure.ts';
import { exportDefinition } from '../../actions/share-procedure.ts';
import type { ProcedureDefinition } from '../../fields/definition.ts';
import { pathOf } from '../../fields/names.ts';
import { readForm } from '../form-body.ts';
import { deleteField, moveField, newField, parsePath } from './edits.ts';
import { procedureFormBody } from '../../views/procedure-form.ts';
import { sendPage, seeOther } from '../../views/common.ts';
import { errorsOf, loadProcedure, sendEditPage } from './shared.ts';

const GeneralForm = Type.Object({ title: Type.String(), description: Type.String() });
const NewFieldForm = Type.Object({ label: Type.String(), type: Type.String(), parent: Type.String() });
const MoveForm = Type.Object({ op: Type.String() });

export function registerDraftPages(app: FastifyInstance, deps: AppDeps): void {
  app.get('/:tenant/admin/demarches/:id', (request, reply) => sendEditPage(deps, request, reply));

  /** Applies `edit` to a copy of the draft and saves it; a 422 shows the edit page with the reasons. */
  const saveDraft =
    (edit: (def: ProcedureDefinition, request: FastifyRequest) => string | void, notice = 'saved') =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { p, procedure, base } = await loadProcedure(deps, request);
      const def = structuredClone(procedure.draft_definition);
      const next = edit(def, request);
      try {
        await updateProcedureDraft(deps.db, p, procedure.id, def);
      } catch (error) {
        const errors = errorsOf(error);
        // Reasons are keyed by path (`fields.2.label`): the general form shows title, the rest are listed.
        const flat: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(errors)) (flat[k === 'title' ? 'title' : pathOf(k).at(-1) === 'label' ? 'label' : '_'] ??= []).push(...v);
        return sendEditPage(deps, request, reply, flat, def);
      }
      return seeOther(reply, next ? `${base}${next}` : base, notice);
    };

  app.post(
    '/:tenant/admin/demarches/:id/general',
    saveDraft((def, request) => {
      const form = readForm(GeneralForm, request.body);
      def.title = form.title;
      if (form.description) def.description = form.description;
      else delete def.description;
    }),
  );

  app.post(
    '/:tenant/admin/demarches/:id/champs',
    saveDraft((def, request) => {
      const form = readForm(NewFieldForm, request.body);
      const field = newField(def, form.label, form.type);
      const block = form.parent && /^\d+$/.test(form.parent) ? def.fields[Number(form.parent)] : null;
      if (block?.type === 'repetition' && field.type !== 'repetition') {
        (block.fields ??= []).push(field);
        return `/champs/${form.parent}.${block.fields.length - 1}/modifier`;
      }
      def.fields.push(field);
      return `/champs/${def.fields.length - 1}/modifier`;
    }),
  );

  // The buttons of the fields table: `op=monter:3`, `descendre:3.1`, `supprimer:2`.
  app.post(
    '/:tenant/admin/demarches/:id/champs/deplacer',
    saveDraft((def, request) => {
      const [op, where] = readForm(MoveForm, request.body).op.split(':');
      const path = parsePath(where ?? '');
      if (!path) throw notFound();
      if (op === 'monter') moveField(def, path, -1);
      else if (op === 'descendre') moveField(def, path, 1);
      else if (op === 'supprimer') deleteField(def, path);
      else throw notFound();
    }),
  );

  app.get('/:tenant/admin/demarches/:id/apercu', async (request, reply) => {
    const { procedure, base } = await loadProcedure(deps, request);
    const { t } = request.ctx;
    return sendPage(reply, request.ctx, {
      title: `${t('procedures.web.preview')} – ${procedure.title}`,
      path: request.url,
      script: 'conditions.js',
      body: html`<p class="notice" role="status">${t('procedures.web.designer.preview_note')} <a href="${base}">${t('procedures.web.designer.back_to_edit')}</a></p>
<h1>${procedure.draft_definition.title}</h1>${procedureFormBody(request.ctx, { mode: 'preview', title: procedure.title, definition: procedure.draft_definition, action: `${base}/apercu`, answers: {}, files: {}, controls: {}, secret: deps.secret })}`,
    });
  });

  app.post('/:tenant/admin/demarches/:id/publier', async (request, reply) => {
    const { p, procedure, base } = await loadProcedure(deps, request);
    try {
      const result = await publishProcedure(deps.db, p, procedure.id);
      return seeOther(reply, base, result.created ? 'published' : 'unchanged');
    } catch (error) {
      const errors = errorsOf(error);
      return sendEditPage(deps, request, reply, { _: Object.entries(errors).map(([k, v]) => `${k} : ${v.join(' ')}`) });
    }
  });

  app.post('/:tenant/admin/demarches/:id/fermer', async (request, reply) => {
    const { p, procedure, base } = await loadProcedure(deps, request);
    await closeProcedure(deps.db, p, procedure.id);
    return seeOther(reply, base, 'closed');
  });

  app.get('/:tenant/admin/demarches/:id/export.json', async (request, reply) => {
    const { p, procedure } = await loadProcedure(deps, request);
    const { document } = await exportDefinition(deps.db, p, procedure.id);
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${procedure.slug}.json"`)
      .send(JSON.stringify(document, null, 2));
  });
}
