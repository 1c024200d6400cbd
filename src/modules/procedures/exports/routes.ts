// Export and print routes:
// - agents, API (bearer token): GET /api/v1/<slug>/procedures/<id|slug>/dossiers.csv | dossiers.json,
//   GET /api/v1/<slug>/dossiers/<number>/dossier.pdf
// - agents, browser (session): the same under /<slug>/exports/procedures/<id|slug>/dossiers.csv|json and
//   /<slug>/exports/dossiers/<number>/dossier.pdf (linked from the inbox and the dossier page)
// - the citizen: /<slug>/dossiers/<number>/accuse-reception.pdf (signed-in applicant, or ?code= of a guest)
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { notFound } from '../../../core/base/errors.ts';
import { requireSignedIn } from '../../../core/auth/require.ts';
import { dossierScope, loadVisibleDossier, principalOf, requireAgent, type Principal } from '../procedures.policy.ts';
import { findProcedure, findRevision } from '../procedures.repository.ts';
import { listMessages, listTransitions } from '../dossiers.repository.ts';
import type { FieldDefinition } from '../fields/definition.ts';
import { loadDossierSnapshot } from '../operations/dossier-snapshot.ts';
import { dossierPdf, receiptPdf } from '../receipt/documents.ts';
import { trackingCodeHash } from '../tracking-code.ts';
import { exportPages } from './rows.ts';
import { csvHeader, csvRow, jsonItem, type CsvSeparator } from './formats.ts';

type Params = { procedure: string; number: string };

function agentPrincipal(request: FastifyRequest, browser: boolean): Principal {
  if (browser) requireSignedIn(request);
  const p = principalOf(request.ctx);
  requireAgent(p);
  return p;
}

async function streamExport(
  deps: AppDeps,
  request: FastifyRequest<{ Params: Params; Querystring: { sep?: string } }>,
  reply: FastifyReply,
  format: 'csv' | 'json',
  browser: boolean,
) {
  const p = agentPrincipal(request, browser);
  const setup = await deps.db.transaction(p.tenantId, async (tx) => {
    const procedure = await findProcedure(tx, request.params.procedure);
    if (!procedure || !procedure.current_revision) return null;
    const revision = await findRevision(tx, procedure.id, procedure.current_revision);
    return { procedure, fields: (revision?.definition.fields ?? []) as FieldDefinition[], scope: await dossierScope(tx, p) };
  });
  if (!setup) throw notFound();
  const { procedure, fields, scope } = setup;
  const sep: CsvSeparator = request.query.sep === 'comma' ? ',' : ';';
  const pages = exportPages(deps.db, p.tenantId, procedure.id, scope);
  // One chunk per page of 1,000 dossiers: few writes, and at most one page in memory at a time.
  async function* body(): AsyncGenerator<Buffer> {
    if (format === 'csv') {
      yield Buffer.from(csvHeader(fields, sep));
      for await (const page of pages) yield Buffer.from(page.map((row) => csvRow(row, fields, sep)).join(''));
    } else {
      let first = true;
      yield Buffer.from('[');
      for await (const page of pages) {
        if (!page.length) continue;
        yield Buffer.from(`${first ? '\n' : ',\n'}${page.map(jsonItem).join(',\n')}`);
        first = false;
      }
      yield Buffer.from('\n]\n');
    }
  }
  const stamp = new Date().toISOString().slice(0, 10);
  reply
    .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
    .header('content-disposition', `attachment; filename="dossiers-${procedure.slug}-${stamp}.${format}"`)
    .header('cache-control', 'no-store');
  return reply.send(Readable.from(body()));
}

async function sendDossierPdf(deps: AppDeps, request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, browser: boolean) {
  const p = agentPrincipal(request, browser);
  const number = Number(request.params.number);
  if (!Number.isSafeInteger(number) || number <= 0) throw notFound();
  const pdf = await deps.db.transaction(p.tenantId, async (tx) => {
    // The dossier page's own access rule (procedures.policy.ts): 404 outside the agent's scope.
    const visible = await loadVisibleDossier(tx, p, number);
    const d = await loadDossierSnapshot(tx, { id: visible.id });
    if (!d) return null;
    // The history and messages the dossier page shows (private notes included: agents only).
    const transitions = await listTransitions(tx, d.id);
    const messages = await listMessages(tx, d.id, { includePrivate: true });
    return dossierPdf(
      d,
      {
        transitions: transitions.map((t) => ({ at: new Date(t.at), from: t.from_state, to: t.to_state, actor: t.actor, motivation: t.motivation })),
        messages: messages.map((m) => ({ at: new Date(m.created_at), author: m.author, visibility: m.visibility, body: m.body })),
      },
      request.ctx.locale,
    );
  });
  if (!pdf) throw notFound();
  return reply
    .header('content-type', 'application/pdf')
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="dossier-${number}.pdf"`)
    .send(pdf);
}

export function registerExportRoutes(app: FastifyInstance, deps: AppDeps): void {
  for (const format of ['csv', 'json'] as const) {
    app.get<{ Params: Params; Querystring: { sep?: string } }>(`/api/v1/:tenant/procedures/:procedure/dossiers.${format}`, (request, reply) =>
      streamExport(deps, request, reply, format, false),
    );
    app.get<{ Params: Params; Querystring: { sep?: string } }>(`/:tenant/exports/procedures/:procedure/dossiers.${format}`, (request, reply) =>
      streamExport(deps, request, reply, format, true),
    );
  }
  app.get<{ Params: Params }>('/api/v1/:tenant/dossiers/:number/dossier.pdf', (request, reply) => sendDossierPdf(deps, request, reply, false));
  app.get<{ Params: Params }>('/:tenant/exports/dossiers/:number/dossier.pdf', (request, reply) => sendDossierPdf(deps, request, reply, true));

  app.get<{ Params: Params; Querystring: { code?: string } }>('/:tenant/dossiers/:number/accuse-reception.pdf', async (request, reply) => {
    const tenant = request.ctx.tenant!;
    const number = Number(request.params.number);
    if (!Number.isSafeInteger(number) || number <= 0) throw notFound();
    const code = typeof request.query.code === 'string' ? request.query.code : '';
    const personId = request.ctx.person?.id ?? null;
    const pdf = await deps.db.transaction(tenant.id, async (tx) => {
      const owner = await tx.one<{ id: string }>(
        `select id from dossiers where tenant_id = app_tenant() and number = $1 and state <> 'brouillon'
           and ((applicant_person_id is not null and applicant_person_id = $2::uuid) or (tracking_code_hash is not null and tracking_code_hash = $3))`,
        [number, personId, code ? trackingCodeHash(code) : null],
      );
      if (!owner) return null;
      const d = await loadDossierSnapshot(tx, { id: owner.id });
      return d ? receiptPdf(d, request.ctx.locale) : null;
    });
    if (!pdf) throw notFound();
    return reply
      .header('content-type', 'application/pdf')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="accuse-reception-${number}.pdf"`)
      .send(pdf);
  });
}
