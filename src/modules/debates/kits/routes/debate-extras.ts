// A debate's information, meetings (and their iCal feed), results, follow and unsubscribe pages, under
// /{tenant}/concertations/{debate}/…; the team's forms (minutes, answers, synthesis) post to the same
// actions as everything else. A draft debate is the team's only.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { typed } from '../../../../core/http/typebox.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { notFound } from '../../../../core/base/errors.ts';
import { html } from '../../../../core/views/html.ts';
import { csrfField } from '../../../../core/views/forms.ts';
import type { AppDeps } from '../../../../core/module.ts';
import { clientAddressKey } from '../../../../core/base/rate-limit.ts';
import { canModerate, principalOf, type Principal } from '../../debates.policy.ts';
import { findDebate } from '../../debates.repository.ts';
import { notice, pager, sendPage, seeOther } from '../../views/common.ts';
import { debateContents } from '../kits.repository.ts';
import { publishedDatasetPreview, type PublishedDatasetPreview } from '../../../catalogue/index.ts';
import { findMeeting, isRegistered, meetingsOf } from '../meetings.repository.ts';
import { calendar } from '../ical.ts';
import type { RadioSite } from '../anfr-sites.ts';
import { publishMinutes, registerForMeeting, withdrawFromMeeting } from '../actions/meetings.ts';
import { answerContribution, answersOf, publishSynthesis, synthesisOf } from '../actions/results.ts';
import { followDebate, isFollowing, unsubscribeByLink } from '../actions/follow.ts';
import { datasetTableBody, informationBody, meetingBody, meetingsBody, resultsBody, type ResultRow } from '../views/extras.ts';

const DebatePath = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }) });
const MeetingPath = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }), meeting: Type.String({ maxLength: 40 }) });
const DatasetPath = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }), key: Type.String({ maxLength: 63 }) });
const Str = Type.Optional(Type.String({ maxLength: 60_000 }));
const Query = Type.Object({ notice: Str, page: Str, personne: Str, signature: Str }, { additionalProperties: true });
const Form = Type.Object(
  { minutes: Str, synthesis: Str, answer: Str, status: Str, contribution: Str, follow: Str, personne: Str, signature: Str },
  { additionalProperties: true },
);
const ROWS_PER_PAGE = 50;

export function registerDebateExtras(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const web = typed(app);
  const who = (request: FastifyRequest): Principal => principalOf(request.ctx, clientAddressKey(request.ip));
  const base = (tenant: string, debate: string) => `/${tenant}/concertations/${debate}`;
  const readable = async (p: Principal, ref: string) =>
    db.transaction(p.tenantId, async (tx) => {
      const debate = await findDebate(tx, ref);
      if (!debate || (debate.status === 'draft' && !canModerate(p))) throw notFound(p.t('debates.error.not_found'));
      return debate;
    });

  web.get('/:tenant/concertations/:debate/informations', { schema: { hide: true, params: DebatePath, querystring: Query } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const p = who(request);
    const debate = await readable(p, request.params.debate);
    const contents = await db.transaction(p.tenantId, (tx) => debateContents(tx, debate.id));
    // Linked catalogue datasets shown as tables (the first five with something to preview).
    const previews: PublishedDatasetPreview[] = [];
    for (const d of contents.documents) {
      if (!d.dataset_slug || previews.length >= 5) continue;
      const preview = await publishedDatasetPreview(deps, p.tenantId, d.dataset_slug, 5);
      if (preview) previews.push(preview);
    }
    const b = base(tenant.slug, debate.slug);
    const following = p.personId ? await isFollowing(db, p.tenantId, debate.id, p.personId) : false;
    const follow = p.personId
      ? html`<form method="post" action="${b}/suivre">${csrfField(request.ctx)}<input type="hidden" name="follow" value="${following ? 'no' : 'yes'}"><button type="submit">${request.ctx.t(following ? 'debates.kits.follow.stop' : 'debates.kits.follow.start')}</button></form>`
      : html``;
    return sendPage(reply, request.ctx, {
      title: debate.title,
      path: request.url,
      body: html`${notice(request.ctx, request.query)}${informationBody(request.ctx, b, debate, contents, previews)}${follow}`,
    });
  });

  web.get('/:tenant/concertations/:debate/donnees/:key', { schema: { hide: true, params: DatasetPath, querystring: Query } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const p = who(request);
    const debate = await readable(p, request.params.debate);
    const pageNo = /^\d{1,5}$/.test(request.query.page ?? '') ? Math.max(1, Number(request.query.page)) : 1;
    const found = await db.transaction(p.tenantId, async (tx) => {
      const d = await tx.one<{ title: string; source_note: string; row_count: number }>(
        'select title, source_note, row_count from debate_datasets where tenant_id = app_tenant() and debate_id = $1 and dataset_key = $2',
        [debate.id, request.params.key],
      );
      if (!d) return null;
      const rows = await tx.query<{ data: RadioSite }>(
        'select data from debate_dataset_rows where tenant_id = app_tenant() and debate_id = $1 and dataset_key = $2 and row_no >= $3 order by row_no limit $4',
        [debate.id, request.params.key, (pageNo - 1) * ROWS_PER_PAGE, ROWS_PER_PAGE],
      );
      return { d, rows: rows.map((r) => r.data) };
    });
    if (!found) throw notFound();
    const b = base(tenant.slug, debate.slug);
    return sendPage(reply, request.ctx, {
      title: found.d.title,
      path: request.url,
      body: datasetTableBody(
        request.ctx,
        b,
        found.d.title,
        found.d.source_note,
        found.rows,
        pager(request.ctx, `${b}/donnees/${request.params.key}`, {}, pageNo, found.d.row_count, ROWS_PER_PAGE),
      ),
    });
  });

  web.get('/:tenant/concertations/:debate/reunions', { schema: { hide: true, params: DebatePath } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const p = who(request);
    const debate = await readable(p, request.params.debate);
    const meetings = await db.transaction(p.tenantId, (tx) => meetingsOf(tx, debate.id));
    return sendPage(reply, request.ctx, {
      title: debate.title,
      path: request.url,
      body: meetingsBody(request.ctx, base(tenant.slug, debate.slug), debate, meetings),
    });
  });

  web.get('/:tenant/concertations/:debate/reunions.ics', { schema: { hide: true, params: DebatePath } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const p = who(request);
    const debate = await readable(p, request.params.debate);
    const meetings = await db.transaction(p.tenantId, (tx) => meetingsOf(tx, debate.id));
    const b = `${deps.config.baseUrl}${base(tenant.slug, debate.slug)}`;
    const ics = calendar(
      debate.title,
      meetings.map((m) => ({
        uid: `${m.id}@${new URL(deps.config.baseUrl).host}`,
        title: m.title,
        description: m.description,
        location: m.format === 'online' ? (m.online_url ?? '') : m.place,
        url: `${b}/reunions/${m.id}`,
        startsAt: m.starts_at,
        endsAt: m.ends_at,
        updatedAt: m.updated_at,
        cancelled: m.cancelled,
      })),
    );
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', `inline; filename="${debate.slug}.ics"`).send(ics);
  });

  web.get('/:tenant/concertations/:debate/reunions/:meeting', { schema: { hide: true, params: MeetingPath, querystring: Query } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const p = who(request);
    const debate = await readable(p, request.params.debate);
    const found = await db.transaction(p.tenantId, async (tx) => {
      const m = await findMeeting(tx, debate.id, request.params.meeting);
      if (!m) return null;
      return { m, registered: p.personId ? await isRegistered(tx, m.id, p.personId) : false };
    });
    if (!found) throw notFound();
    const state = { registered: found.registered, signedIn: !!p.personId, moderator: canModerate(p), past: found.m.starts_at <= new Date() };
    return sendPage(reply, request.ctx, {
      title: found.m.title,
      path: request.url,
      body: meetingBody(request.ctx, base(tenant.slug, debate.slug), found.m, state, notice(request.ctx, request.query)),
    });
  });

  const meetingUrl = (request: FastifyRequest, params: { debate: string; meeting: string }) =>
    `${base(requireTenant(request).slug, params.debate)}/reunions/${params.meeting}`;
  web.post('/:tenant/concertations/:debate/reunions/:meeting/inscription', { schema: { hide: true, params: MeetingPath } }, async (request, reply) => {
    await registerForMeeting(db, who(request), request.params.debate, request.params.meeting);
    return seeOther(reply, meetingUrl(request, request.params), 'meeting_registered');
  });
  web.post('/:tenant/concertations/:debate/reunions/:meeting/desinscription', { schema: { hide: true, params: MeetingPath } }, async (request, reply) => {
    await withdrawFromMeeting(db, who(request), request.params.debate, request.params.meeting);
    return seeOther(reply, meetingUrl(request, request.params), 'meeting_withdrawn');
  });
  web.post(
    '/:tenant/concertations/:debate/reunions/:meeting/compte-rendu',
    { schema: { hide: true, params: MeetingPath, body: Form } },
    async (request, reply) => {
      await publishMinutes(db, who(request), request.params.debate, request.params.meeting, request.body.minutes ?? '');
      return seeOther(reply, meetingUrl(request, request.params), 'minutes_published');
    },
  );

  web.get('/:tenant/concertations/:debate/resultats', { schema: { hide: true, params: DebatePath } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const p = who(request);
    const debate = await readable(p, request.params.debate);
    const moderator = canModerate(p);
    const data = await db.transaction(p.tenantId, async (tx) => {
      const synthesis = await synthesisOf(tx, debate.id);
      const answers = await answersOf(tx, debate.id);
      const titles = await tx.query<{ id: string; kind: string; title: string }>(
        `select id, kind, title from debate_contributions where tenant_id = app_tenant() and debate_id = $1 and moderation = 'visible' and kind <> 'opinion'
         order by support_count desc, created_at limit 200`,
        [debate.id],
      );
      return { synthesis, answers, titles };
    });
    const byId = new Map(data.titles.map((c) => [c.id, c]));
    const rows: ResultRow[] = data.answers.flatMap((a) => {
      const c = byId.get(a.contribution_id);
      return c ? [{ id: c.id, kind: c.kind, title: c.title, status: a.status, answer: a.answer }] : [];
    });
    const b = base(tenant.slug, debate.slug);
    const answered = new Set(data.answers.map((a) => a.contribution_id));
    const form = moderator
      ? html`<h2>${request.ctx.t('debates.kits.answer.form_title')}</h2><form method="post" action="${b}/reponse">${csrfField(request.ctx)}
<p><label for="contribution">${request.ctx.t('debates.kits.answer.contribution')}</label><br><select id="contribution" name="contribution">${data.titles.map((c) => html`<option value="${c.id}">${answered.has(c.id) ? '✓ ' : ''}${c.title}</option>`)}</select></p>
<p><label for="status">${request.ctx.t('debates.kits.answer.status')}</label><br><select id="status" name="status">${['retained', 'studied', 'not_retained'].map((s) => html`<option value="${s}">${request.ctx.t(`debates.kits.answer.${s}`)}</option>`)}</select></p>
<p><label for="answer">${request.ctx.t('debates.kits.answer.text')}</label><br><textarea id="answer" name="answer" rows="6"></textarea></p><button type="submit">${request.ctx.t('debates.kits.answer.submit')}</button></form>`
      : html``;
    const synthesis = data.synthesis?.published_at ? data.synthesis.text : null;
    return sendPage(reply, request.ctx, {
      title: debate.title,
      path: request.url,
      body: html`${resultsBody(request.ctx, b, debate, { synthesis, datasetSlug: data.synthesis?.dataset_slug ?? null, answers: rows, moderator })}${form}`,
    });
  });

  web.post('/:tenant/concertations/:debate/reponse', { schema: { hide: true, params: DebatePath, body: Form } }, async (request, reply) => {
    await answerContribution(db, who(request), request.params.debate, request.body.contribution ?? '', request.body.status ?? '', request.body.answer ?? '');
    return seeOther(reply, `${base(requireTenant(request).slug, request.params.debate)}/resultats`, 'answered');
  });
  web.post('/:tenant/concertations/:debate/synthese', { schema: { hide: true, params: DebatePath, body: Form } }, async (request, reply) => {
    await publishSynthesis(db, who(request), request.params.debate, request.body.synthesis ?? '');
    return seeOther(reply, `${base(requireTenant(request).slug, request.params.debate)}/resultats`, 'synthesis_published');
  });
  web.post('/:tenant/concertations/:debate/suivre', { schema: { hide: true, params: DebatePath, body: Form } }, async (request, reply) => {
    await followDebate(db, who(request), request.params.debate, request.body.follow !== 'no');
    return seeOther(
      reply,
      `${base(requireTenant(request).slug, request.params.debate)}/informations`,
      request.body.follow !== 'no' ? 'followed' : 'unfollowed',
    );
  });

  // Unsubscribe from a mail's link: the GET shows a button (a link opened by a mail scanner changes nothing).
  web.get('/:tenant/concertations/:debate/desabonnement', { schema: { hide: true, params: DebatePath, querystring: Query } }, async (request, reply) => {
    const t = request.ctx.t;
    return sendPage(reply, request.ctx, {
      title: t('debates.kits.unsubscribe.title'),
      path: request.url,
      body: html`<h1>${t('debates.kits.unsubscribe.title')}</h1><form method="post" action="${request.url.split('?')[0]!}">${csrfField(request.ctx)}
<input type="hidden" name="personne" value="${request.query.personne ?? ''}"><input type="hidden" name="signature" value="${request.query.signature ?? ''}">
<button type="submit">${t('debates.kits.unsubscribe.submit')}</button></form>`,
    });
  });
  web.post('/:tenant/concertations/:debate/desabonnement', { schema: { hide: true, params: DebatePath, body: Form } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const done = await unsubscribeByLink(deps, tenant.id, request.params.debate, request.body.personne ?? '', request.body.signature ?? '');
    if (!done) throw notFound();
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('debates.kits.unsubscribe.title'),
      body: html`<h1>${request.ctx.t('debates.kits.unsubscribe.done')}</h1>`,
    });
  });
}
