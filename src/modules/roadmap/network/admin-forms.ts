// The network's HTML forms, going through the same actions as the API (member-actions.ts, actions.ts):
//  - at a MEMBER's slug, its administrator: /<member>/admin/reseaux (its networks; accept an invitation;
//    leave) and /<member>/admin/reseaux/<network>/solutions (declare a solution it uses; ?solution=<slug> edits
//    its own declaration, …/solutions/<slug>/retirer withdraws it);
//  - at the NETWORK's slug, its administrator: /<network>/reseau/reunions/<id>/compte-rendu (the minutes).
// CSRF is checked for every form post by the request guard; bad fields come back with a message beside each
// one (422) and nothing written.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { HttpError, notFound } from '../../../core/base/errors.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { page } from '../../../core/views/layout.ts';
import { html, type Html } from '../../../core/views/html.ts';
import { csrfField, errorSummary, input, notice, select, submit, textarea } from '../../../core/views/forms.ts';
import { requireMemberAdmin, requireNetworkAdmin } from './network.policy.ts';
import { findMeeting, networksOf, type MemberRow } from './network.repository.ts';
import { declaredUses, declareSolutionUse, memberJoin, memberLeave, withdrawSolutionUse } from './member-actions.ts';
import { publishMinutes } from './actions.ts';

type Errors = Record<string, string[]>;

function fields(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function send(reply: FastifyReply, ctx: RequestContext, title: string, path: string, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(ctx, { title, path, body }).value);
}

const SLUG = /^[a-z0-9-]{1,63}$/;

function isPastDay(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v) && d.getTime() <= Date.now();
}

// ---- the member's networks page -------------------------------------------------------------------------

function networksBody(ctx: RequestContext, base: string, mine: MemberRow[], others: MemberRow[], error?: string, saved?: boolean): Html {
  const t = ctx.t;
  const button = (action: string, label: string) => html`<form method="post" action="${action}" class="inline">${csrfField(ctx)}${submit(label)}</form>`;
  return html`<h1>${t('roadmap.network.forms.title')}</h1>
${error ? html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><p>${error}</p></div>` : ''}${saved ? notice(t('roadmap.network.forms.saved')) : ''}
<h2>${t('roadmap.network.forms.mine')}</h2>
${
  mine.length
    ? html`<ul>${mine.map(
        (n) =>
          html`<li><a href="/${n.slug}/reseau">${n.name}</a> · <a href="${base}/${n.slug}/solutions">${t('roadmap.network.forms.declare')}</a> ${button(`${base}/${n.slug}/quitter`, t('roadmap.network.forms.leave'))}</li>`,
      )}</ul>`
    : html`<p>${t('roadmap.network.forms.none')}</p>`
}
${others.length ? html`<h2>${t('roadmap.network.forms.others')}</h2><p>${t('roadmap.network.forms.others_hint')}</p><ul>${others.map((n) => html`<li>${n.name} ${button(`${base}/${n.slug}/adhesion`, t('roadmap.network.forms.join'))}</li>`)}</ul>` : ''}`;
}

// ---- declaring a solution ---------------------------------------------------------------------------------

interface Declared {
  solution: string;
  referent: string;
  opinion: string;
  since: string;
  visibility: string;
}

function checkDeclared(t: RequestContext['t'], f: Declared, solutions: Array<{ slug: string }>): Errors {
  const e: Errors = {};
  if (!solutions.some((s) => s.slug === f.solution)) e.solution = [t('roadmap.network.forms.unknown_solution')];
  if (f.referent.length > 200) e.referent = [t('roadmap.network.forms.too_long', { max: 200 })];
  if (f.opinion.length > 2000) e.opinion = [t('roadmap.network.forms.too_long', { max: 2000 })];
  if (f.since && !isPastDay(f.since)) e.since = [t('roadmap.network.forms.bad_date')];
  if (f.visibility !== 'public' && f.visibility !== 'members') e.visibility = [t('roadmap.network.forms.visibility')];
  return e;
}

function declareBody(
  ctx: RequestContext,
  action: string,
  network: MemberRow,
  solutions: Array<{ id: string; slug: string; name: string }>,
  f: Declared,
  e?: Errors,
  declared: Array<{ solution_id: string }> = [],
): Html {
  const t = ctx.t;
  const label = (n: string) => t(`roadmap.network.forms.${n}`);
  const labels = Object.fromEntries(['solution', 'referent', 'opinion', 'since', 'visibility'].map((n) => [n, label(n)]));
  const mine = solutions.filter((s) => declared.some((d) => d.solution_id === s.id));
  return html`<p><a href="${action.replace(/\/[^/]+\/solutions$/, '')}">${t('roadmap.network.forms.title')}</a></p>
<h1>${t('roadmap.network.forms.declare')} — ${network.name}</h1>
${
  mine.length
    ? html`<h2>${t('roadmap.network.staff.my_declarations')}</h2><ul>${mine.map(
        (s) =>
          html`<li><a href="${action}?solution=${s.slug}">${t('roadmap.network.staff.edit_declaration', { solution: s.name })}</a> <form method="post" action="${action}/${s.slug}/retirer" class="inline">${csrfField(ctx)}${submit(t('roadmap.network.staff.withdraw_declaration', { solution: s.name }))}</form></li>`,
      )}</ul>`
    : ''
}
${errorSummary(ctx, e, labels)}
<form method="post" action="${action}" novalidate>${csrfField(ctx)}
${select(ctx, { name: 'solution', label: labels.solution!, value: f.solution, required: true, errors: e, options: solutions.map((s) => ({ value: s.slug, label: s.name })) })}
${input(ctx, { name: 'referent', label: labels.referent!, value: f.referent, errors: e })}
${textarea(ctx, { name: 'opinion', label: labels.opinion!, value: f.opinion, rows: 4, errors: e })}
${input(ctx, { name: 'since', label: labels.since!, type: 'date', value: f.since, errors: e })}
${select(ctx, { name: 'visibility', label: labels.visibility!, value: f.visibility, errors: e, options: ['public', 'members'].map((v) => ({ value: v, label: label(`visibility.${v}`) })) })}
${submit(t('roadmap.network.forms.save'))}
</form>`;
}

// ---- the minutes ------------------------------------------------------------------------------------------

function minutesBody(ctx: RequestContext, action: string, back: string, title: string, f: { minutes: string; minutes_public: string }, e?: Errors): Html {
  const t = ctx.t;
  const labels = { minutes: t('roadmap.network.forms.minutes'), minutes_public: t('roadmap.network.forms.minutes_public') };
  return html`<p><a href="${back}">${title}</a></p>
<h1>${t('roadmap.network.forms.minutes_title')} — ${title}</h1>
${errorSummary(ctx, e, labels)}
<form method="post" action="${action}" novalidate>${csrfField(ctx)}
${textarea(ctx, { name: 'minutes', label: labels.minutes, value: f.minutes, rows: 12, required: true, errors: e })}
${select(ctx, { name: 'minutes_public', label: labels.minutes_public, value: f.minutes_public, errors: e, options: ['yes', 'no'].map((v) => ({ value: v, label: t(`roadmap.network.forms.minutes_public.${v}`) })) })}
${submit(t('roadmap.network.forms.save'))}
</form>`;
}

export function registerNetworkForms(app: FastifyInstance, deps: AppDeps): void {
  const networksPage = async (request: FastifyRequest, reply: FastifyReply, error?: string, saved?: boolean) => {
    const m = requireMemberAdmin(request);
    const mine = await deps.db.transaction(m.tenant.id, (tx) => networksOf(tx, m.tenant.id));
    const all = await deps.db.transaction(null, (tx) =>
      tx.query<MemberRow>(`select id, slug, name, kind, official_code from tenants where kind = 'network' order by name limit 200`),
    );
    const others = all.filter((n) => !mine.some((x) => x.id === n.id));
    const base = `/${m.tenant.slug}/admin/reseaux`;
    return send(
      reply,
      request.ctx,
      request.ctx.t('roadmap.network.forms.title'),
      request.url,
      networksBody(request.ctx, base, mine, others, error, saved),
      error ? 422 : 200,
    );
  };
  const networkParam = (request: FastifyRequest) => {
    const slug = fields(request.params).network ?? '';
    if (!SLUG.test(slug)) throw notFound();
    return slug;
  };
  /** The member's action; "not invited" / "not a member" (404 from the action) comes back as a message. */
  const memberAct = async (request: FastifyRequest, reply: FastifyReply, act: typeof memberJoin, refusal: string) => {
    const m = requireMemberAdmin(request);
    const network = networkParam(request);
    try {
      await act(deps.db, { tenantId: m.tenant.id, personId: m.personId }, network);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 404) return networksPage(request, reply, request.ctx.t(refusal));
      throw error;
    }
    return reply.redirect(`/${m.tenant.slug}/admin/reseaux?fait=1`, 303);
  };

  app.get('/:tenant/admin/reseaux', (request, reply) => networksPage(request, reply, undefined, fields(request.query).fait === '1'));
  app.post('/:tenant/admin/reseaux/:network/adhesion', (request, reply) => memberAct(request, reply, memberJoin, 'roadmap.network.forms.no_invitation'));
  app.post('/:tenant/admin/reseaux/:network/quitter', (request, reply) => memberAct(request, reply, memberLeave, 'roadmap.network.forms.not_member'));

  /** The member's network and its directory; 404 unless the collectivité is a member. */
  const declaring = async (request: FastifyRequest) => {
    const m = requireMemberAdmin(request);
    const slug = networkParam(request);
    const network = (await deps.db.transaction(m.tenant.id, (tx) => networksOf(tx, m.tenant.id))).find((n) => n.slug === slug);
    if (!network) throw notFound();
    const solutions = await deps.db.transaction(network.id, (tx) =>
      tx.query<{ id: string; slug: string; name: string }>('select id, slug, name from network_solutions order by name'),
    );
    const declared = await declaredUses(deps.db, { tenantId: m.tenant.id, personId: m.personId }, network.id);
    return { m, network, solutions, declared, action: `/${m.tenant.slug}/admin/reseaux/${network.slug}/solutions` };
  };
  app.get('/:tenant/admin/reseaux/:network/solutions', async (request, reply) => {
    const d = await declaring(request);
    // ?solution=<slug>: the member's own declaration of that solution, to edit.
    const chosen = d.solutions.find((s) => s.slug === fields(request.query).solution);
    const own = chosen && d.declared.find((x) => x.solution_id === chosen.id);
    const f = own
      ? { solution: chosen.slug, referent: own.referent, opinion: own.opinion, since: own.since ?? '', visibility: own.public ? 'public' : 'members' }
      : { solution: chosen?.slug ?? '', referent: '', opinion: '', since: '', visibility: 'public' };
    return send(
      reply,
      request.ctx,
      request.ctx.t('roadmap.network.forms.declare'),
      request.url,
      declareBody(request.ctx, d.action, d.network, d.solutions, f, undefined, d.declared),
    );
  });
  app.post('/:tenant/admin/reseaux/:network/solutions', async (request, reply) => {
    const d = await declaring(request);
    const b = fields(request.body);
    const f: Declared = {
      solution: (b.solution ?? '').trim(),
      referent: (b.referent ?? '').trim(),
      opinion: (b.opinion ?? '').trim(),
      since: (b.since ?? '').trim(),
      visibility: b.visibility ?? 'public',
    };
    const e = checkDeclared(request.ctx.t, f, d.solutions);
    if (Object.keys(e).length)
      return send(
        reply,
        request.ctx,
        request.ctx.t('roadmap.network.forms.declare'),
        request.url,
        declareBody(request.ctx, d.action, d.network, d.solutions, f, e, d.declared),
        422,
      );
    await declareSolutionUse(deps.db, { tenantId: d.m.tenant.id, personId: d.m.personId }, d.network.slug, f.solution, {
      referent: f.referent,
      opinion: f.opinion,
      ...(f.since ? { since: f.since } : {}),
      public: f.visibility === 'public',
    });
    return reply.redirect(`/${d.network.slug}/reseau/solutions/${f.solution}`, 303);
  });

  // Withdrawing the member's own declaration (its row, its tenant: another member's is out of reach).
  app.post('/:tenant/admin/reseaux/:network/solutions/:solution/retirer', async (request, reply) => {
    const d = await declaring(request);
    const slug = fields(request.params).solution ?? '';
    if (!d.solutions.some((s) => s.slug === slug)) throw notFound();
    await withdrawSolutionUse(deps.db, { tenantId: d.m.tenant.id, personId: d.m.personId }, d.network.slug, slug);
    return reply.redirect(`${d.action}?fait=1`, 303);
  });

  // The network administrator's minutes form, at the network's slug.
  const meetingOf = async (request: FastifyRequest) => {
    const admin = requireNetworkAdmin(request);
    const id = fields(request.params).id ?? '';
    if (!isUuid(id)) throw notFound();
    const meeting = await deps.db.transaction(admin.network.id, (tx) => findMeeting(tx, id));
    if (!meeting) throw notFound();
    const back = `/${admin.network.slug}/reseau/reunions/${meeting.id}`;
    return { admin, meeting, back, action: `${back}/compte-rendu` };
  };
  app.get('/:tenant/reseau/reunions/:id/compte-rendu', async (request, reply) => {
    const d = await meetingOf(request);
    const f = { minutes: d.meeting.minutes, minutes_public: d.meeting.minutes_public ? 'yes' : 'no' };
    return send(
      reply,
      request.ctx,
      request.ctx.t('roadmap.network.forms.minutes_title'),
      request.url,
      minutesBody(request.ctx, d.action, d.back, d.meeting.title, f),
    );
  });
  app.post('/:tenant/reseau/reunions/:id/compte-rendu', async (request, reply) => {
    const d = await meetingOf(request);
    const b = fields(request.body);
    const f = { minutes: (b.minutes ?? '').trim(), minutes_public: b.minutes_public ?? 'yes' };
    const t = request.ctx.t;
    const e: Errors = {};
    if (!f.minutes) e.minutes = [t('roadmap.network.forms.minutes_required')];
    else if (f.minutes.length > 100000) e.minutes = [t('roadmap.network.forms.too_long', { max: 100000 })];
    if (f.minutes_public !== 'yes' && f.minutes_public !== 'no') e.minutes_public = [t('roadmap.network.forms.minutes_public')];
    if (Object.keys(e).length)
      return send(
        reply,
        request.ctx,
        t('roadmap.network.forms.minutes_title'),
        request.url,
        minutesBody(request.ctx, d.action, d.back, d.meeting.title, f, e),
        422,
      );
    await publishMinutes(deps.db, { networkId: d.admin.network.id, actor: d.admin.actor, t }, d.meeting.id, {
      minutes: f.minutes,
      minutes_public: f.minutes_public === 'yes',
    });
    return reply.redirect(d.back, 303);
  });
}
