// API: instructing dossiers — state changes (one or many), messages to the citizen and private notes (JSON,
// or multipart with files), assignment and labels. The actions check the agent's scope (loadVisibleDossier).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { unprocessable } from '../../../../core/base/errors.ts';
import { typed, validateJsonBodies } from '../../../../core/http/typebox.ts';
import { doc } from '../api-doc.ts';
import { principalOf, requireAgent } from '../../procedures.policy.ts';
import { bulkTransition, transitionDossier } from '../../actions/transition-dossier.ts';
import { agentMessage } from '../../actions/dossier-messages.ts';
import { assignDossier, setLabels } from '../../actions/assign-dossier.ts';
import type { FileAnswer } from '../../fields/values.ts';
import { readPostedForm, firstValue } from '../form-body.ts';
import { dossierJson, NumberParams } from './dossier-json.ts';

const TransitionBody = Type.Object({ to: Type.String(), motivation: Type.Optional(Type.String()) });
const BulkTransitionBody = Type.Object({
  numbers: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 500 }),
  to: Type.String(),
  motivation: Type.Optional(Type.String()),
});
const MessageBody = Type.Object({ body: Type.String() });
const AssigneeBody = Type.Object({ assignee: Type.Union([Type.String(), Type.Null()]) });
const LabelsBody = Type.Object({ labels: Type.Array(Type.String()) });

export function registerInstructionApi(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const api = typed(app);

  api.post(
    '/api/v1/:tenant/dossiers/:number/transitions',
    { schema: { ...doc('Changer l’état d’un dossier', 'dossiers'), params: NumberParams, body: TransitionBody } },
    async (request) => {
      const d = await transitionDossier(db, principalOf(request.ctx), Number(request.params.number), request.body);
      return dossierJson(d);
    },
  );

  api.post(
    '/api/v1/:tenant/dossiers/transitions',
    { schema: { ...doc('Changer l’état de plusieurs dossiers', 'dossiers'), body: BulkTransitionBody } },
    async (request) => {
      const { numbers, ...input } = request.body;
      return bulkTransition(db, principalOf(request.ctx), numbers, input);
    },
  );

  for (const kind of ['messages', 'notes'] as const) {
    api.post(
      `/api/v1/:tenant/dossiers/:number/${kind}`,
      {
        schema: { ...doc(kind === 'messages' ? 'Écrire à l’usager' : 'Ajouter une annotation privée', 'dossiers'), params: NumberParams, body: MessageBody },
        // Multipart (with files in `file` or `files`) is read by the handler; JSON is checked against MessageBody.
        validatorCompiler: validateJsonBodies,
      },
      async (request, reply) => {
        const p = principalOf(request.ctx);
        requireAgent(p);
        // No parsed body for a multipart request.
        let text: string | undefined = request.body?.body;
        let files: FileAnswer[] = [];
        if (request.isMultipart()) {
          const form = await readPostedForm(request, deps, p.tenantId, [], p.t, ['file', 'files']);
          if (Object.keys(form.fileErrors).length) throw unprocessable(form.fileErrors);
          text = firstValue(form.body, 'body');
          files = [...(form.files.file ?? []), ...(form.files.files ?? [])];
        }
        const message = await agentMessage(db, p, Number(request.params.number), { body: text, files, private: kind === 'notes' });
        return reply.code(201).send(message);
      },
    );
  }

  api.put(
    '/api/v1/:tenant/dossiers/:number/assignee',
    { schema: { ...doc('Attribuer un dossier', 'dossiers'), params: NumberParams, body: AssigneeBody } },
    async (request) => dossierJson(await assignDossier(db, principalOf(request.ctx), Number(request.params.number), request.body.assignee)),
  );

  api.put(
    '/api/v1/:tenant/dossiers/:number/labels',
    { schema: { ...doc('Étiqueter un dossier', 'dossiers'), params: NumberParams, body: LabelsBody } },
    async (request) => dossierJson(await setLabels(db, principalOf(request.ctx), Number(request.params.number), request.body.labels)),
  );
}
