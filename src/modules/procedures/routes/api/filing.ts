// API: filing a dossier, as JSON or as multipart with the files of file fields (then the answers are the
// JSON text of the `data` part). Idempotency-Key header; the filing limit is counted before the body is
// checked or any file read (actions/filing-limit.ts), so invalid and limited filings count alike.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { notFound, unprocessable } from '../../../../core/base/errors.ts';
import { typed, validateJsonBodies } from '../../../../core/http/typebox.ts';
import { doc } from '../api-doc.ts';
import { principalOf } from '../../procedures.policy.ts';
import { findProcedure, findRevision } from '../../procedures.repository.ts';
import { submitDossier } from '../../actions/submit-dossier.ts';
import { filingClientOf, filingLimitOf } from '../../actions/filing-limit.ts';
import type { FileAnswer } from '../../fields/values.ts';
import { readPostedForm, firstValue, withUploadCleanup } from '../form-body.ts';
import { dossierJson } from './dossier-json.ts';

const FilingBody = Type.Object(
  {
    email: Type.Optional(Type.String({ description: 'L’adresse de l’usager : obligatoire sans jeton' })),
    data: Type.Object({}, { additionalProperties: true, description: 'Les réponses, par clé de champ' }),
    mediation: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String()),
          how: Type.Optional(Type.String()),
          given_at: Type.Optional(Type.String({ description: 'Date ISO 8601 ; maintenant par défaut' })),
        },
        { additionalProperties: true, description: 'Dépôt par un médiateur : le consentement recueilli (qui, comment, quand)' },
      ),
    ),
  },
  { additionalProperties: true },
);
type Filing = Static<typeof FilingBody>;

export function registerFilingApi(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  typed(app).post(
    '/api/v1/:tenant/procedures/:procedure/dossiers',
    {
      schema: {
        ...doc('Déposer un dossier (invité avec email, ou jeton ; JSON ou multipart avec pièces jointes)', 'dossiers'),
        params: Type.Object({ procedure: Type.String() }),
        body: FilingBody,
      },
      // Multipart parts are read by the handler; a JSON body is checked against FilingBody first.
      validatorCompiler: validateJsonBodies,
      preValidation: async (request) => {
        filingLimitOf(db).hit(principalOf(request.ctx), filingClientOf(request));
      },
    },
    withUploadCleanup(async (request, reply) => {
      const p = principalOf(request.ctx);
      const client = filingClientOf(request);
      const ref = request.params.procedure;
      const header = request.headers['idempotency-key'];
      // No parsed body for a multipart request (its parts are read below).
      let body: { email?: string; data?: unknown; mediation?: Filing['mediation'] } = request.body ?? {};
      let files: Record<string, FileAnswer[]> | undefined;
      if (request.isMultipart()) {
        const fields = await db.transaction(p.tenantId, async (tx) => {
          const procedure = await findProcedure(tx, ref);
          if (!procedure?.current_revision || procedure.state !== 'published') throw notFound(p.t('procedures.error.not_published'));
          return (await findRevision(tx, procedure.id, procedure.current_revision))!.definition.fields;
        });
        const form = await readPostedForm(request, deps, p.tenantId, fields, p.t);
        if (Object.keys(form.fileErrors).length) throw unprocessable(form.fileErrors);
        let data: unknown;
        try {
          data = JSON.parse(firstValue(form.body, 'data') || '{}');
        } catch {
          throw unprocessable({ data: [p.t('procedures.field.not_object')] });
        }
        body = { email: firstValue(form.body, 'email') || undefined, data };
        files = form.files;
      }
      const result = await submitDossier(deps, p, {
        procedure: ref,
        data: body.data,
        email: body.email,
        files,
        idempotencyKey: typeof header === 'string' ? header : null,
        mediation: body.mediation ?? null,
        client,
      });
      const slug = request.ctx.tenant!.slug;
      if (!result.created) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send({
        ...dossierJson(result.dossier),
        procedure: result.procedure.slug,
        ...(result.trackingCode
          ? { tracking_code: result.trackingCode, tracking_url: `/${slug}/dossiers/${result.dossier.number}?code=${result.trackingCode}` }
          : {}),
      });
    }),
  );
}
