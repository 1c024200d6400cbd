// The edit page of one field of the draft (`:path` is `3`, or `3.1` in a repeated block): label, key, type,
// hint, options, limits, files, and its conditions as rows of selects (or JSON).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { notFound } from '../../../../core/base/errors.ts';
import { updateProcedureDraft } from '../../actions/create-procedure.ts';
import { pathOf } from '../../fields/names.ts';
import { formBodyOf, readForm } from '../form-body.ts';
import { earlierFields, fieldAt, fieldFromForm, parsePath } from './edits.ts';
import { fieldEditBody } from '../../views/designer-field.ts';
import { sendPage, seeOther } from '../../views/common.ts';
import { errorsOf, loadProcedure } from './shared.ts';

const FieldPath = Type.Object({ path: Type.String() });
/** The field's own settings an error of the definition may name; others are shown on the label. */
const FIELD_SETTINGS = ['visibleIf', 'requiredIf', 'label', 'key', 'options', 'min', 'max', 'minLength', 'maxLength', 'pattern', 'accept', 'maxBytes'];

function pathParam(request: FastifyRequest): number[] {
  const path = parsePath(readForm(FieldPath, request.params).path);
  if (!path) throw notFound();
  return path;
}

export function registerFieldPages(app: FastifyInstance, deps: AppDeps): void {
  const fieldPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string[]>, edited?: ReturnType<typeof fieldFromForm>) => {
    const { procedure, base } = await loadProcedure(deps, request);
    const path = pathParam(request);
    const field = edited ?? fieldAt(procedure.draft_definition, path);
    if (!field) throw notFound();
    return sendPage(
      reply,
      request.ctx,
      {
        title: request.ctx.t('procedures.web.designer.edit_field', { label: field.label }),
        path: request.url,
        body: fieldEditBody(request.ctx, {
          base,
          path: path.join('.'),
          procedureTitle: procedure.title,
          field,
          earlier: earlierFields(procedure.draft_definition, path),
          errors,
        }),
      },
      errors ? 422 : 200,
    );
  };
  app.get('/:tenant/admin/demarches/:id/champs/:path/modifier', (request, reply) => fieldPage(request, reply));

  app.post('/:tenant/admin/demarches/:id/champs/:path/modifier', async (request, reply) => {
    const { p, procedure, base } = await loadProcedure(deps, request);
    const path = pathParam(request);
    const def = structuredClone(procedure.draft_definition);
    const old = fieldAt(def, path);
    if (!old) throw notFound();
    const errors: Record<string, string[]> = {};
    // The field form's names depend on the field (condition rows, options): read as a whole by edits.ts.
    const field = fieldFromForm(formBodyOf(request.body), old, earlierFields(def, path), errors, request.ctx.t('procedures.web.designer.bad_json'));
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
        (local[FIELD_SETTINGS.includes(rest) ? rest : 'label'] ??= []).push(...v);
      }
      return fieldPage(request, reply, local, field);
    }
    return seeOther(reply, base, 'saved');
  });
}
