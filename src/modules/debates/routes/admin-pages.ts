// The team's pages to set up debates: the new-debate form (through createDebate, as the API's
// POST /api/v1/:tenant/debates) and the "save as kit" button of a debate's team page (through the kits
// part's saveDebateAsKit). A refused form comes back with its messages and what was typed; nothing written.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TProperties } from '@sinclair/typebox';
import { typed } from '../../../core/http/typebox.ts';
import { clientAddressKey } from '../../../core/base/rate-limit.ts';
import { HttpError } from '../../../core/base/errors.ts';
import { requireTenant } from '../../../core/base/context.ts';
import { requireRoles } from '../../../core/auth/require.ts';
import type { AppDeps } from '../../../core/module.ts';
import { principalOf } from '../debates.policy.ts';
import { PHASE_KINDS, type DebateInput, type PhaseInput } from '../debates.schema.ts';
import { createDebate } from '../actions/create-debate.ts';
import { saveDebateAsKit } from '../kits/actions/kit-library.ts';
import { sendPage, seeOther } from '../views/common.ts';
import { newDebateBody, PHASE_FIELDS, PHASE_ROWS } from '../views/new-debate.ts';

const Str = Type.Optional(Type.String({ maxLength: 100_000 }));
const phaseFields: TProperties = {};
for (let i = 0; i < PHASE_ROWS; i++) for (const f of PHASE_FIELDS) phaseFields[`phases.${i}.${f}`] = Str;
const NewDebateForm = Type.Object(
  { title: Str, presentation: Str, status: Str, moderation: Str, charter: Str, ...phaseFields },
  { additionalProperties: true },
);
const DebatePath = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }) });
const KitForm = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: true });

type Form = Record<string, string | undefined>;

/**
 * The debate the form describes. Empty phase rows are left out; `rows` maps each phase kept to its row so
 * that the action's messages (phases.<n>.…) go back to the row the person filled in.
 */
export function debateOfForm(f: Form): { input: DebateInput; rows: number[] } {
  const phases: PhaseInput[] = [];
  const rows: number[] = [];
  for (let i = 0; i < PHASE_ROWS; i++) {
    const v = (name: string) => (f[`phases.${i}.${name}`] ?? '').trim();
    if (!v('title') && !v('summary') && !v('starts_on') && !v('ends_on')) continue;
    const kind = (PHASE_KINDS as readonly string[]).includes(v('kind')) ? (v('kind') as PhaseInput['kind']) : (PHASE_KINDS[i] ?? 'information');
    phases.push({ kind, title: v('title') || undefined, summary: v('summary'), starts_on: v('starts_on'), ends_on: v('ends_on') });
    rows.push(i);
  }
  return {
    input: {
      title: f.title ?? '',
      presentation: f.presentation ?? '',
      charter: f.charter ?? '',
      status: f.status === 'published' ? 'published' : 'draft',
      moderation: f.moderation === 'pre' ? 'pre' : 'post',
      phases,
    },
    rows,
  };
}

function errorsToRows(errors: Record<string, string[]>, rows: number[]): Record<string, string[]> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.replace(/^phases\.(\d+)\./, (_, n: string) => `phases.${rows[Number(n)] ?? n}.`), v]));
}

export function registerDebatesAdminPages(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const web = typed(app);
  const adminUrl = (tenant: string) => `/${tenant}/admin/concertations`;

  const showForm = (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: Record<string, string[]>, status = 200) => {
    const tenant = requireTenant(request);
    return sendPage(
      reply,
      request.ctx,
      {
        title: request.ctx.t('debates.web.admin.new'),
        path: request.url,
        body: newDebateBody(request.ctx, { action: `${adminUrl(tenant.slug)}/nouvelle`, back: adminUrl(tenant.slug), values, errors }),
      },
      status,
    );
  };

  web.get('/:tenant/admin/concertations/nouvelle', async (request, reply) => {
    requireRoles(request, 'moderator');
    return showForm(request, reply, {}, {});
  });

  web.post('/:tenant/admin/concertations/nouvelle', { schema: { hide: true, body: NewDebateForm } }, async (request, reply) => {
    const tenant = requireTenant(request);
    requireRoles(request, 'moderator');
    const form: Form = request.body;
    const { input, rows } = debateOfForm(form);
    try {
      const { debate } = await createDebate(db, principalOf(request.ctx, clientAddressKey(request.ip)), input);
      return seeOther(reply, `/${tenant.slug}/concertations/${debate.slug}/moderation`, 'created');
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode !== 422) throw error;
      const errors = errorsToRows((error.details as { errors: Record<string, string[]> }).errors, rows);
      const values = Object.fromEntries(Object.entries(form).filter(([k, v]) => k !== '_csrf' && typeof v === 'string')) as Record<string, string>;
      return showForm(request, reply, values, errors, 422);
    }
  });

  web.post(
    '/:tenant/concertations/:debate/moderation/enregistrer-kit',
    { schema: { hide: true, params: DebatePath, body: KitForm } },
    async (request, reply) => {
      const tenant = requireTenant(request);
      requireRoles(request, 'moderator');
      const saved = await saveDebateAsKit(db, principalOf(request.ctx, clientAddressKey(request.ip)), request.params.debate, {
        note: (request.body.note ?? '').trim(),
      });
      return seeOther(reply, `/${tenant.slug}/admin/concertations/kits/${tenant.slug}/${saved.slug}`, 'kit_saved');
    },
  );
}
