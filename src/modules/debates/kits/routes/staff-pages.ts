// The team's pages on one debate, under /{tenant}/concertations/{debate}/gestion: presentation and
// phases, FAQ, questions to ask, meetings, documents (uploads, links), data (catalogue datasets, the ANFR
// radio-sites file); and the public download of an uploaded document. Forms post to the actions of
// actions/staff-content.ts and actions/staff-documents.ts (policy checked, journaled, one transaction each);
// a refusal comes back as the page with each field's message and what was typed (422), nothing written.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { typed } from '../../../../core/http/typebox.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { clientAddressKey } from '../../../../core/base/rate-limit.ts';
import { findBlob } from '../../../../core/files/upload.ts';
import { sendAttachment } from '../../../../core/files/send.ts';
import type { AppDeps } from '../../../../core/module.ts';
import { publishedDatasets } from '../../../catalogue/index.ts';
import { canModerate, principalOf, type Principal } from '../../debates.policy.ts';
import { findDebate, phasesOf, type DebateRow } from '../../debates.repository.ts';
import { notice, sendPage, seeOther } from '../../views/common.ts';
import { findMeeting, meetingsOf } from '../meetings.repository.ts';
import { datasetSlots, documentsOf, findDocument, listItems, type ListKind, LIST_TABLES } from '../staff.repository.ts';
import {
  moveListItem,
  removeListItem,
  saveListItem,
  saveMeeting,
  setDebateForMembers,
  setMeetingCancel,
  updateDebateSetup,
  type SetupInput,
} from '../actions/staff-content.ts';
import { isForMembers, membersOfHost } from '../../members.repository.ts';
import { addDocumentLink, linkCatalogueDataset, maxDocumentBytes, removeDocument } from '../actions/staff-documents.ts';
import { dataStaffBody, documentsStaffBody, listBody, meetingStaffBody, meetingsStaffBody, meetingValues, setupBody, setupValues } from '../views/staff.ts';
import { maxAnfrUploadBytes, receiveAnfrFile, receiveDebateDocument } from './staff-uploads.ts';
import { fieldErrors, isId } from '../actions/staff-checks.ts';

const DebatePath = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }) });
const ItemPath = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }), id: Type.String({ maxLength: 40 }) });
const SlotPath = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }), key: Type.String({ maxLength: 63 }) });
// Lengths are checked by the actions (a message naming the limit); this only bounds the request.
const Str = Type.Optional(Type.String({ maxLength: 100_000 }));
const Form = Type.Record(
  Type.String({ maxLength: 100 }),
  Type.Union([Type.String({ maxLength: 100_000 }), Type.Array(Type.String({ maxLength: 100_000 }), { maxItems: 2 })]),
  {
    maxProperties: 200,
  },
);
const Query = Type.Object({ notice: Str }, { additionalProperties: true });

type Values = Record<string, string>;
type Errors = Record<string, string[]>;

/** The form as text fields (a repeated field keeps its first value); the CSRF token left out. */
function valuesOf(body: Record<string, string | string[]>): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(body)) if (k !== '_csrf') out[k] = Array.isArray(v) ? (v[0] ?? '') : v;
  return out;
}

export function registerDebateStaffPages(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const web = typed(app);
  const who = (request: FastifyRequest): Principal => principalOf(request.ctx, clientAddressKey(request.ip));
  const base = (request: FastifyRequest, debate: DebateRow) => `/${requireTenant(request).slug}/concertations/${debate.slug}`;
  /** The team only (anonymous: sign in; another role or collectivité: 403); the debate of this collectivité or 404. */
  const team = async (request: FastifyRequest, ref: string): Promise<DebateRow> => {
    const tenant = requireTenant(request);
    requireRoles(request, 'moderator');
    const debate = await db.transaction(tenant.id, (tx) => findDebate(tx, ref));
    if (!debate) throw notFound(request.ctx.t('debates.error.not_found'));
    return debate;
  };
  const send = (request: FastifyRequest, reply: FastifyReply, debate: DebateRow, body: Parameters<typeof sendPage>[2]['body'], status = 200) =>
    sendPage(reply, request.ctx, { title: `${request.ctx.t('debates.staff.title')} : ${debate.title}`, path: request.url, body }, status);

  // ---- Presentation and phases.
  const setupPage = async (request: FastifyRequest, reply: FastifyReply, debate: DebateRow, values: Values | null, errors: Errors, status = 200) => {
    const { phases, names, on } = await db.transaction(requireTenant(request).id, async (tx) => ({
      phases: await phasesOf(tx, debate.id),
      names: (await membersOfHost(tx)).map((m) => m.name),
      on: await isForMembers(tx, debate.id),
    }));
    const body = setupBody(request.ctx, {
      base: base(request, debate),
      debate,
      phases,
      values: values ?? setupValues(debate, phases),
      errors,
      notice: notice(request.ctx, request.query),
      // Shown to a host (a collectivité with members), or with the reason it was refused.
      members: names.length || errors.for_members ? { on, names, errors: errors.for_members } : undefined,
    });
    return send(request, reply, debate, body, status);
  };
  web.get('/:tenant/concertations/:debate/gestion', { schema: { hide: true, params: DebatePath, querystring: Query } }, async (request, reply) =>
    setupPage(request, reply, await team(request, request.params.debate), null, {}),
  );
  web.post('/:tenant/concertations/:debate/gestion', { schema: { hide: true, params: DebatePath, body: Form } }, async (request, reply) => {
    const debate = await team(request, request.params.debate);
    const v = valuesOf(request.body);
    const phases: SetupInput['phases'] = [];
    for (let i = 0; i < 50 && v[`phases.${i}.id`] !== undefined; i++) {
      phases.push({
        id: v[`phases.${i}.id`],
        title: v[`phases.${i}.title`],
        summary: v[`phases.${i}.summary`],
        starts_on: v[`phases.${i}.starts_on`],
        ends_on: v[`phases.${i}.ends_on`],
      });
    }
    try {
      await updateDebateSetup(db, who(request), debate.id, {
        title: v.title,
        presentation: v.presentation,
        charter: v.charter,
        status: v.status,
        moderation: v.moderation,
        phases,
      });
    } catch (error) {
      return setupPage(request, reply, debate, v, fieldErrors(error), 422);
    }
    return seeOther(reply, `${base(request, debate)}/gestion`, 'debate_updated');
  });

  // ---- Run for the members (a host's setting, 0750).
  web.post('/:tenant/concertations/:debate/gestion/membres', { schema: { hide: true, params: DebatePath, body: Form } }, async (request, reply) => {
    const debate = await team(request, request.params.debate);
    const on = valuesOf(request.body).for_members === 'on';
    try {
      await setDebateForMembers(db, who(request), debate.id, on);
    } catch (error) {
      return setupPage(request, reply, debate, null, fieldErrors(error), 422);
    }
    return seeOther(reply, `${base(request, debate)}/gestion`, on ? 'for_members_on' : 'for_members_off');
  });

  // ---- FAQ and questions to ask.
  for (const kind of ['faq', 'questions'] as ListKind[]) {
    const listPage = async (request: FastifyRequest, reply: FastifyReply, debate: DebateRow, failed: { id: string; values: Values; errors: Errors } | null) => {
      const items = await db.transaction(requireTenant(request).id, (tx) => listItems(tx, kind, debate.id));
      const body = listBody(request.ctx, { base: base(request, debate), debate, kind, items, failed, notice: notice(request.ctx, request.query) });
      return send(request, reply, debate, body, failed ? 422 : 200);
    };
    web.get(`/:tenant/concertations/:debate/gestion/${kind}`, { schema: { hide: true, params: DebatePath, querystring: Query } }, async (request, reply) =>
      listPage(request, reply, await team(request, request.params.debate), null),
    );
    web.post(`/:tenant/concertations/:debate/gestion/${kind}`, { schema: { hide: true, params: DebatePath, body: Form } }, async (request, reply) => {
      const debate = await team(request, request.params.debate);
      const v = valuesOf(request.body);
      const id = v.id ? v.id : null;
      const [fa, fb] = LIST_TABLES[kind].fields;
      const p = who(request);
      let done = 'item_saved';
      try {
        if (id && v.do === 'remove') {
          await removeListItem(db, p, debate.id, kind, id);
          done = 'item_removed';
        } else if (id && (v.do === 'up' || v.do === 'down')) {
          await moveListItem(db, p, debate.id, kind, id, v.do);
          done = 'item_moved';
        } else await saveListItem(db, p, debate.id, kind, id, { a: v[fa], b: v[fb] });
      } catch (error) {
        return listPage(request, reply, debate, { id: id ?? 'new', values: v, errors: fieldErrors(error) });
      }
      return seeOther(reply, `${base(request, debate)}/gestion/${kind}`, done);
    });
  }

  // ---- Meetings.
  const meetingsPage = async (request: FastifyRequest, reply: FastifyReply, debate: DebateRow, values: Values, errors: Errors, status = 200) => {
    const meetings = await db.transaction(requireTenant(request).id, (tx) => meetingsOf(tx, debate.id));
    const body = meetingsStaffBody(request.ctx, { base: base(request, debate), debate, meetings, values, errors, notice: notice(request.ctx, request.query) });
    return send(request, reply, debate, body, status);
  };
  web.get('/:tenant/concertations/:debate/gestion/reunions', { schema: { hide: true, params: DebatePath, querystring: Query } }, async (request, reply) =>
    meetingsPage(request, reply, await team(request, request.params.debate), {}, {}),
  );
  web.post('/:tenant/concertations/:debate/gestion/reunions', { schema: { hide: true, params: DebatePath, body: Form } }, async (request, reply) => {
    const debate = await team(request, request.params.debate);
    const v = valuesOf(request.body);
    let id: string;
    try {
      id = await saveMeeting(db, who(request), debate.id, null, v);
    } catch (error) {
      return meetingsPage(request, reply, debate, v, fieldErrors(error), 422);
    }
    return seeOther(reply, `${base(request, debate)}/gestion/reunions/${id}`, 'meeting_created');
  });
  const meetingPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    debate: DebateRow,
    id: string,
    values: Values | null,
    errors: Errors,
    status = 200,
  ) => {
    const meeting = isId(id) ? await db.transaction(requireTenant(request).id, (tx) => findMeeting(tx, debate.id, id)) : null;
    if (!meeting) throw notFound();
    const body = meetingStaffBody(request.ctx, {
      base: base(request, debate),
      debate,
      meeting,
      values: values ?? meetingValues(meeting),
      errors,
      notice: notice(request.ctx, request.query),
    });
    return send(request, reply, debate, body, status);
  };
  web.get('/:tenant/concertations/:debate/gestion/reunions/:id', { schema: { hide: true, params: ItemPath, querystring: Query } }, async (request, reply) =>
    meetingPage(request, reply, await team(request, request.params.debate), request.params.id, null, {}),
  );
  web.post('/:tenant/concertations/:debate/gestion/reunions/:id', { schema: { hide: true, params: ItemPath, body: Form } }, async (request, reply) => {
    const debate = await team(request, request.params.debate);
    const v = valuesOf(request.body);
    try {
      await saveMeeting(db, who(request), debate.id, request.params.id, v);
    } catch (error) {
      return meetingPage(request, reply, debate, request.params.id, v, fieldErrors(error), 422);
    }
    return seeOther(reply, `${base(request, debate)}/gestion/reunions/${request.params.id}`, 'meeting_updated');
  });
  for (const [path, cancelled] of [
    ['annuler', true],
    ['retablir', false],
  ] as const) {
    web.post(`/:tenant/concertations/:debate/gestion/reunions/:id/${path}`, { schema: { hide: true, params: ItemPath } }, async (request, reply) => {
      const debate = await team(request, request.params.debate);
      const meetingUrl = `${deps.config.baseUrl}${base(request, debate)}/reunions/${request.params.id}`;
      await setMeetingCancel(db, who(request), debate.id, request.params.id, cancelled, meetingUrl);
      return seeOther(reply, `${base(request, debate)}/gestion/reunions/${request.params.id}`, cancelled ? 'meeting_cancelled' : 'meeting_restored');
    });
  }

  // ---- Documents.
  const maxMb = () => Math.round(maxDocumentBytes() / 1024 / 1024);
  const documentsPage = async (request: FastifyRequest, reply: FastifyReply, debate: DebateRow, values: Values, errors: Errors, status = 200) => {
    const documents = await db.transaction(requireTenant(request).id, (tx) => documentsOf(tx, debate.id));
    const body = documentsStaffBody(request.ctx, {
      base: base(request, debate),
      debate,
      documents,
      maxMb: maxMb(),
      values,
      errors,
      notice: notice(request.ctx, request.query),
    });
    return send(request, reply, debate, body, status);
  };
  web.get('/:tenant/concertations/:debate/gestion/documents', { schema: { hide: true, params: DebatePath, querystring: Query } }, async (request, reply) =>
    documentsPage(request, reply, await team(request, request.params.debate), {}, {}),
  );
  // Multipart: the CSRF token comes in the action's address (core hook), the file is bounded and typed by content.
  web.post('/:tenant/concertations/:debate/gestion/documents/televerser', { schema: { hide: true, params: DebatePath } }, async (request, reply) => {
    const debate = await team(request, request.params.debate);
    const outcome = await receiveDebateDocument(deps, request, who(request), debate.id);
    if ('errors' in outcome) return documentsPage(request, reply, debate, outcome.values, outcome.errors, 422);
    return seeOther(reply, `${base(request, debate)}/gestion/documents`, 'document_added');
  });
  web.post('/:tenant/concertations/:debate/gestion/documents/lien', { schema: { hide: true, params: DebatePath, body: Form } }, async (request, reply) => {
    const debate = await team(request, request.params.debate);
    const v = valuesOf(request.body);
    try {
      await addDocumentLink(db, who(request), debate.id, { title: v.link_title, publisher: v.publisher, url: v.url });
    } catch (error) {
      return documentsPage(request, reply, debate, v, fieldErrors(error), 422);
    }
    return seeOther(reply, `${base(request, debate)}/gestion/documents`, 'document_added');
  });
  web.post('/:tenant/concertations/:debate/gestion/documents/:id/retirer', { schema: { hide: true, params: ItemPath } }, async (request, reply) => {
    const debate = await team(request, request.params.debate);
    const doc = await db.transaction(requireTenant(request).id, (tx) => findDocument(tx, debate.id, request.params.id));
    await removeDocument(db, who(request), debate.id, request.params.id);
    return seeOther(reply, `${base(request, debate)}/gestion/${doc?.dataset_slug ? 'donnees' : 'documents'}`, 'document_removed');
  });

  // ---- Data: catalogue datasets linked, the ANFR radio-sites file.
  const dataPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    debate: DebateRow,
    errors: Errors,
    refused: { key: string; messages: string[] } | null,
    status = 200,
  ) => {
    const tenant = requireTenant(request);
    const { documents, slots } = await db.transaction(tenant.id, async (tx) => ({
      documents: await documentsOf(tx, debate.id),
      slots: await datasetSlots(tx, debate.id),
    }));
    const body = dataStaffBody(request.ctx, {
      base: base(request, debate),
      debate,
      linked: documents.filter((d) => d.dataset_slug),
      available: await publishedDatasets(deps, tenant.id),
      slots,
      errors,
      refused,
      maxMb: Math.round(maxAnfrUploadBytes() / 1024 / 1024),
      notice: notice(request.ctx, request.query),
    });
    return send(request, reply, debate, body, status);
  };
  web.get('/:tenant/concertations/:debate/gestion/donnees', { schema: { hide: true, params: DebatePath, querystring: Query } }, async (request, reply) =>
    dataPage(request, reply, await team(request, request.params.debate), {}, null),
  );
  web.post('/:tenant/concertations/:debate/gestion/donnees/lier', { schema: { hide: true, params: DebatePath, body: Form } }, async (request, reply) => {
    const debate = await team(request, request.params.debate);
    try {
      await linkCatalogueDataset(db, who(request), debate.id, valuesOf(request.body).dataset ?? '');
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 409) return dataPage(request, reply, debate, { dataset: [error.message] }, null, 409);
      return dataPage(request, reply, debate, fieldErrors(error), null, 422);
    }
    return seeOther(reply, `${base(request, debate)}/gestion/donnees`, 'dataset_linked');
  });
  web.post('/:tenant/concertations/:debate/gestion/donnees/:key/anfr', { schema: { hide: true, params: SlotPath } }, async (request, reply) => {
    const debate = await team(request, request.params.debate);
    const outcome = await receiveAnfrFile(deps, request, who(request), debate.id, request.params.key);
    if ('messages' in outcome) return dataPage(request, reply, debate, {}, { key: request.params.key, messages: outcome.messages }, 422);
    return seeOther(reply, `${base(request, debate)}/gestion/donnees`, 'sites_loaded');
  });

  // ---- The public download of an uploaded document (a draft debate's: the team only).
  web.get('/:tenant/concertations/:debate/documents/:id', { schema: { hide: true, params: ItemPath } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const found = await db.transaction(tenant.id, async (tx) => {
      const debate = await findDebate(tx, request.params.debate);
      if (!debate || (debate.status === 'draft' && !canModerate(request.ctx))) return null;
      const doc = await findDocument(tx, debate.id, request.params.id);
      const blob = doc?.blob_sha256 ? await findBlob(tx, doc.blob_sha256) : null;
      return doc && blob ? { doc, blob } : null;
    });
    if (!found) throw notFound();
    return sendAttachment(reply, deps, tenant.id, found.blob, found.doc.filename ?? 'document');
  });
}
