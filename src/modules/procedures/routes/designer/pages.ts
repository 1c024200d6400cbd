// Designer pages (procedure_admin): list, create, import, edit the draft (general information, fields,
// conditions), preview, publish a revision, export the definition as JSON. Every change goes through the
// module's actions, which validate the whole definition and journal it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { html } from '../../../../core/views/html.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { principalOf, type Principal } from '../../procedures.policy.ts';
import { findProcedure, findRevision, listProcedures, listRevisions, type ProcedureRow } from '../../procedures.repository.ts';
import { closeProcedure, createProcedure, publishProcedure, updateProcedureDraft } from '../../actions/create-procedure.ts';
import { exportDefinition, importDefinition } from '../../actions/share-procedure.ts';
import type { ProcedureDefinition } from '../../fields/definition.ts';
import { pathOf } from '../../fields/names.ts';
import { firstValue } from '../form-body.ts';
import { deleteField, earlierFields, fieldAt, fieldFromForm, moveField, newField, parsePath } from './edits.ts';
import { designerEditBody, designerListBody } from '../../views/designer.ts';
import { fieldEditBody } from '../../views/designer-field.ts';
import { procedureFormBody } from '../../views/procedure-form.ts';
import { noticeFrom, sendPage, seeOther } from '../../views/common.ts';

type Body = Record<string, string | string[] | undefined>;

function designerOf(request: FastifyRequest): Principal {
  requireRoles(request, 'procedure_admin');
  return principalOf(request.ctx);
}

function errorsOf(error: unknown): Record<string, string[]> {
  if (error instanceof HttpError && error.statusCode === 422) return (error.details as { errors: Record<string, string[]> }).errors;
  throw error;
}

export function registerDesignerPages(app: FastifyInstance, deps: AppDeps): void {
  const listPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string[]>, values?: Record<string, string>) => {
    const tenant = requireTenant(request);
    designerOf(request);
    const procedures = await deps.db.transaction(tenant.id, (tx) => listProcedures(tx, { publishedOnly: false }));
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('procedures.web.designer.list'), path: request.url,
      body: designerListBody(request.ctx, { base: `/${tenant.slug}/admin/demarches`, procedures, notice: noticeFrom(request.ctx, request.query), errors, values }),
    }, errors ? 422 : 200);
  };

  app.get('/:tenant/admin/demarches', (request, reply) => listPage(request, reply));

  app.post('/:tenant/admin/demarches', async (request, reply) => {
    const tenant = requireTenant(request);
    const title = firstValue(request.body as Body, 'title');
    try {
      const created = await createProcedure(deps.db, designerOf(request), { title, fields: [] });
      return seeOther(reply, `/${tenant.slug}/admin/demarches/${created.id}`, 'created');
    } catch (error) {
      return listPage(request, reply, errorsOf(error), { title });
    }
  });

  app.post('/:tenant/admin/demarches/importer', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = designerOf(request);
    const json = firstValue(request.body as Body, 'json');
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return listPage(request, reply, { json: [request.ctx.t('procedures.web.designer.bad_json')] }, { json });
    }
    try {
      const created = await importDefinition(deps.db, p, parsed);
      return seeOther(reply, `/${tenant.slug}/admin/demarches/${created.id}`, 'imported');
    } catch (error) {
      const errors = errorsOf(error);
      return listPage(request, reply, { json: Object.entries(errors).map(([k, v]) => `${k} : ${v.join(' ')}`) }, { json });
    }
  });

  async function load(request: FastifyRequest): Promise<{ p: Principal; procedure: ProcedureRow; base: string }> {
    const tenant = requireTenant(request);
    const p = designerOf(request);
    const { id } = request.params as { id: string };
    if (!isUuid(id)) throw notFound();
    const procedure = await deps.db.transaction(tenant.id, (tx) => findProcedure(tx, id));
    if (!procedure) throw notFound();
    return { p, procedure, base: `/${tenant.slug}/admin/demarches/${procedure.id}` };
  }

  const editPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string[]>, draft?: ProcedureDefinition) => {
    const { procedure, base } = await load(request);
    const tenant = requireTenant(request);
    const { revisions, published } = await deps.db.transaction(tenant.id, async (tx) => ({
      revisions: await listRevisions(tx, procedure.id),
      published: procedure.current_revision ? await findRevision(tx, procedure.id, procedure.current_revision) : null,
    }));
    const shown = draft ? { ...procedure, draft_definition: draft } : procedure;
    const changed = !published || JSON.stringify(published.definition) !== JSON.stringify(procedure.draft_definition);
    return sendPage(reply, request.ctx, {
      title: procedure.title, path: request.url,
      body: designerEditBody(request.ctx, { base, procedure: shown, revisions, changed, notice: noticeFrom(request.ctx, request.query), errors }),
    }, errors ? 422 : 200);
  };

  app.get('/:tenant/admin/demarches/:id', (request, reply) => editPage(request, reply));

  /** Applies `edit` to a copy of the draft and saves it; a 422 shows the edit page with the reasons. */
  const saveDraft = (edit: (def: ProcedureDefinition, body: Body, request: FastifyRequest) => string | void, notice = 'saved') =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { p, procedure, base } = await load(request);
      const def = structuredClone(procedure.draft_definition);
      const next = edit(def, (request.body ?? {}) as Body, request);
      try {
        await updateProcedureDraft(deps.db, p, procedure.id, def);
      } catch (error) {
        const errors = errorsOf(error);
        // Reasons are keyed by path (`fields.2.label`): the general form shows title, the rest are listed.
        const flat: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(errors)) (flat[k === 'title' ? 'title' : pathOf(k).at(-1) === 'label' ? 'label' : '_'] ??= []).push(...v);
        return editPage(request, reply, flat, def);
      }
      return seeOther(reply, next ? `${base}${next}` : base, notice);
    };

  app.post('/:tenant/admin/demarches/:id/general', saveDraft((def, body) => {
    def.title = firstValue(body, 'title');
    const description = firstValue(body, 'description');
    if (description) def.description = description;
    else delete def.description;
  }));

  app.post('/:tenant/admin/demarches/:id/champs', saveDraft((def, body) => {
    const field = newField(def, firstValue(body, 'label'), firstValue(body, 'type'));
    const parent = firstValue(body, 'parent');
    const block = parent && /^\d+$/.test(parent) ? def.fields[Number(parent)] : null;
    if (block?.type === 'repetition' && field.type !== 'repetition') {
      (block.fields ??= []).push(field);
      return `/champs/${parent}.${block.fields.length - 1}/modifier`;
    }
    def.fields.push(field);
    return `/champs/${def.fields.length - 1}/modifier`;
  }));

  const pathParam = (request: FastifyRequest) => {
    const path = parsePath((request.params as { path: string }).path);
    if (!path) throw notFound();
    return path;
  };
  // The buttons of the fields table: `op=monter:3`, `descendre:3.1`, `supprimer:2`.
  app.post('/:tenant/admin/demarches/:id/champs/deplacer', saveDraft((def, body) => {
    const [op, where] = firstValue(body, 'op').split(':');
    const path = parsePath(where ?? '');
    if (!path) throw notFound();
    if (op === 'monter') moveField(def, path, -1);
    else if (op === 'descendre') moveField(def, path, 1);
    else if (op === 'supprimer') deleteField(def, path);
    else throw notFound();
  }));

  const fieldPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string[]>, edited?: ReturnType<typeof fieldFromForm>) => {
    const { procedure, base } = await load(request);
    const path = pathParam(request);
    const field = edited ?? fieldAt(procedure.draft_definition, path);
    if (!field) throw notFound();
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('procedures.web.designer.edit_field', { label: field.label }), path: request.url,
      body: fieldEditBody(request.ctx, { base, path: path.join('.'), procedureTitle: procedure.title, field, earlier: earlierFields(procedure.draft_definition, path), errors }),
    }, errors ? 422 : 200);
  };
  app.get('/:tenant/admin/demarches/:id/champs/:path/modifier', (request, reply) => fieldPage(request, reply));

  app.post('/:tenant/admin/demarches/:id/champs/:path/modifier', async (request, reply) => {
    const { p, procedure, base } = await load(request);
    const path = pathParam(request);
    const def = structuredClone(procedure.draft_definition);
    const old = fieldAt(def, path);
    if (!old) throw notFound();
    const errors: Record<string, string[]> = {};
    const field = fieldFromForm((request.body ?? {}) as Body, old, earlierFields(def, path), errors, request.ctx.t('procedures.web.designer.bad_json'));
    if (Object.keys(errors).length) return fieldPage(request, reply, errors, field);
    const container = path.length === 1 ? def.fields : def.fields[path[0]!]!.fields!;
    container[path[path.length - 1]!] = field;
    try {
      await updateProcedureDraft(deps.db, p, procedure.id, def);
    } catch (error) {
      const prefix = path.length === 1 ? `fields.${path[0]}.` : `fields.${path[0]}.fields.${path[1]}.`;
      const local: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(errorsOf(error))) {
        const rest = k.startsWith(prefix) ? pathOf(k.slice(prefix.length))[0]! : k;
        (local[['visibleIf', 'requiredIf', 'label', 'key', 'options', 'min', 'max', 'minLength', 'maxLength', 'pattern', 'accept', 'maxBytes'].includes(rest) ? rest : 'label'] ??= []).push(...v);
      }
      return fieldPage(request, reply, local, field);
    }
    return seeOther(reply, base, 'saved');
  });

  app.get('/:tenant/admin/demarches/:id/apercu', async (request, reply) => {
    const { procedure, base } = await load(request);
    const { t } = request.ctx;
    return sendPage(reply, request.ctx, {
      title: `${t('procedures.web.preview')} – ${procedure.title}`, path: request.url, script: 'conditions.js',
      body: html`<p class="notice" role="status">${t('procedures.web.designer.preview_note')} <a href="${base}">${t('procedures.web.designer.back_to_edit')}</a></p>
<h1>${procedure.draft_definition.title}</h1>${procedureFormBody(request.ctx, { mode: 'preview', title: procedure.title, definition: procedure.draft_definition, action: `${base}/apercu`, answers: {}, files: {}, controls: {}, secret: deps.secret })}`,
    });
  });

  app.post('/:tenant/admin/demarches/:id/publier', async (request, reply) => {
    const { p, procedure, base } = await load(request);
    try {
      const result = await publishProcedure(deps.db, p, procedure.id);
      return seeOther(reply, base, result.created ? 'published' : 'unchanged');
    } catch (error) {
      const errors = errorsOf(error);
      return editPage(request, reply, { _: Object.entries(errors).map(([k, v]) => `${k} : ${v.join(' ')}`) });
    }
  });

  app.post('/:tenant/admin/demarches/:id/fermer', async (request, reply) => {
    const { p, procedure, base } = await load(request);
    await closeProcedure(deps.db, p, procedure.id);
    return seeOther(reply, base, 'closed');
  });

  app.get('/:tenant/admin/demarches/:id/export.json', async (request, reply) => {
    const { p, procedure } = await load(request);
    const { document } = await exportDefinition(deps.db, p, procedure.id);
    return reply.type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${procedure.slug}.json"`)
      .send(JSON.stringify(document, null, 2));
  });
}
