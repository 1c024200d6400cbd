// The tabular API (issue 12), in api-tabular's syntax (data.gouv.fr):
//   GET /api/v1/<slug>/datasets/<dataset>/resources/<resource>/rows          a page of rows, filtered and sorted
//   GET …/rows.csv, …/rows.jsonl                                            every matching row, streamed
//   GET …/profile                                                           the columns, their types and filters
//   GET …/swagger.json                                                      this resource's OpenAPI document
// A published dataset's resources are public; a draft's (or one in review, archived) are readable by the
// collectivité's data stewards and administrators only, and a 404 for anyone else. The rows are those of
// the resource's current load (tabular/store.ts); a resource not loaded yet is a 404 that says so, and one
// whose current table is missing (after a tenant import) a 503 « en cours de chargement » with Retry-After,
// a load being queued once (tabular/requeue.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import type { Tx } from '../../../../core/db/database.ts';
import { typed } from '../../../../core/http/typebox.ts';
import { canPrepare, publiclyVisible, type DatasetState } from '../../catalogue.policy.ts';
import { sortExpression } from '../../tabular/columns.ts';
import { after, orderBy, parseTabularQuery, rowObject, selectList, TabularQueryError, type TabularQuery } from '../../tabular/query.ts';
import { checkedTable, findTabularTarget, readPage, type LoadRow, type TabularTarget } from '../../tabular/store.ts';
import { resourceOpenApi, profileOf } from '../../tabular/openapi.ts';
import { formOf } from '../shared.ts';
import { requeueMissingTable, RETRY_AFTER_SECONDS, tableExists } from '../../tabular/requeue.ts';

/** Rows read per transaction while streaming (BASTIDE_TABULAR_STREAM_CHUNK, 5,000): each chunk is one short transaction, memory stays bounded. */
function streamChunk(): number {
  return Number(process.env.BASTIDE_TABULAR_STREAM_CHUNK) || 5000;
}

const Params = Type.Object({
  tenant: Type.String(),
  dataset: Type.String({ description: 'Identifiant (slug) du jeu de données' }),
  resource: Type.String({ format: 'uuid', description: 'Identifiant de la ressource' }),
});

const RowsQuery = Type.Object(
  {
    page: Type.Optional(Type.String({ description: 'Page, à partir de 1' })),
    page_size: Type.Optional(Type.String({ description: 'Lignes par page : 20 par défaut, 50 au plus' })),
    columns: Type.Optional(Type.String({ description: 'Colonnes à donner, séparées par des virgules' })),
  },
  {
    additionalProperties: true,
    description:
      'Filtres par colonne : `<colonne>__exact`, `__differs`, `__contains`, `__notcontains`, `__in` et `__notin` (liste séparée par des virgules), `__less`, `__greater`, `__strictly_less`, `__strictly_greater`, `__isnull`, `__isnotnull` ; tri : `<colonne>__sort=asc|desc`. Le document OpenAPI de chaque ressource (`…/swagger.json`) liste ses colonnes et leurs filtres.',
  },
);

const StreamQuery = Type.Object(
  { columns: Type.Optional(Type.String({ description: 'Colonnes à donner, séparées par des virgules' })) },
  { additionalProperties: true, description: 'Les mêmes filtres et tri que `rows`, sans pagination : toutes les lignes.' },
);

const doc = (summary: string) => ({ summary, tags: ['catalogue'] });

interface Target {
  tenantId: string;
  dataset: TabularTarget['dataset'];
  resource: TabularTarget['resource'];
  load: LoadRow;
  base: string;
  isPublic: boolean;
}

function queryError(request: FastifyRequest, error: unknown): never {
  if (error instanceof TabularQueryError) throw new HttpError(400, error.code, request.ctx.t(`catalogue.tabular.${error.code}`, error.params));
  throw error;
}

/** A read in the tenant's transaction; a table dropped meanwhile (a newer load replaced it) reads as not loaded. */
async function inTenant<T>(deps: AppDeps, request: FastifyRequest, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await deps.db.transaction(requireTenant(request).id, fn);
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') throw new HttpError(404, 'not_loaded', request.ctx.t('catalogue.tabular.not_loaded'));
    throw error;
  }
}

export function registerTabularApi(app: FastifyInstance, deps: AppDeps): void {
  const api = typed(app);
  const prefix = '/api/v1/:tenant/datasets/:dataset/resources/:resource';

  /** The dataset, resource and current load a request names, read in the caller's transaction; 404 otherwise. */
  async function resolve(tx: Tx, request: FastifyRequest): Promise<Target> {
    const tenant = requireTenant(request);
    const params = formOf(request.params);
    const slug = params.dataset as string;
    const rid = params.resource as string;
    if (typeof slug !== 'string' || !/^[a-z0-9-]{1,80}$/.test(slug) || !isUuid(rid)) throw notFound();
    const found = await findTabularTarget(tx, slug, rid);
    // Not published: the collectivité's stewards and administrators only; a 404 for anyone else.
    if (!found || (!publiclyVisible(found.dataset.state as DatasetState) && !canPrepare(request.ctx))) throw notFound();
    if (!found.load) throw new HttpError(404, 'not_loaded', request.ctx.t('catalogue.tabular.not_loaded'));
    return {
      tenantId: tenant.id,
      dataset: found.dataset,
      resource: found.resource,
      load: found.load,
      base: `/api/v1/${tenant.slug}/datasets/${found.dataset.slug}/resources/${found.resource.id}`,
      isPublic: publiclyVisible(found.dataset.state as DatasetState),
    };
  }

  /**
   * The current load's table is missing: one load queued (at most), and a 503 that says to come back. Sent
   * here rather than thrown: the error handler gives every 5xx a generic text, and this one must say why.
   */
  class MissingTable extends Error {}
  async function sendLoading(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    await requeueMissingTable(deps.db, requireTenant(request).id, formOf(request.params).resource as string);
    return reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .header('cache-control', 'no-store')
      .type('application/json')
      .send({ error: { code: 'loading', message: request.ctx.t('catalogue.tabular.loading') } });
  }
  /** Runs a handler; a missing table (noticed by a failed query, or looked for) becomes the 503. */
  async function orLoading(request: FastifyRequest, reply: FastifyReply, fn: () => Promise<FastifyReply>): Promise<FastifyReply> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof MissingTable || (error as { code?: string }).code === '42P01') return sendLoading(request, reply);
      throw error;
    }
  }

  /** For the streams and documents: the target, its table checked first (a stream cannot turn into a 503 once started). */
  async function target(request: FastifyRequest): Promise<Target> {
    const { t, present } = await deps.db.transaction(requireTenant(request).id, async (tx) => {
      const t = await resolve(tx, request);
      return { t, present: await tableExists(tx, t.load.table_name) };
    });
    if (!present) throw new MissingTable();
    return t;
  }

  const cacheControl = (t: Target) => (t.isPublic ? 'public, max-age=60' : 'private, no-store');

  function parse(request: FastifyRequest, t: Target, paged: boolean): TabularQuery {
    try {
      return parseTabularQuery(formOf(request.query), t.load.columns, { paged });
    } catch (error) {
      queryError(request, error);
    }
  }

  function link(t: Target, q: TabularQuery, page: number): string {
    const search = new URLSearchParams([...q.kept, ['page', String(page)], ['page_size', String(q.pageSize)]]);
    return `${deps.config.baseUrl}${t.base}/rows?${search}`;
  }

  api.get(
    `${prefix}/rows`,
    { schema: { ...doc('Lignes d’une ressource CSV : filtres, tri, colonnes, pages (syntaxe d’api-tabular)'), params: Params, querystring: RowsQuery } },
    async (request, reply) =>
      orLoading(request, reply, async () => {
        // One transaction: the lookup, the page and its count (what the `tabular` benchmark's limit runs). A
        // missing table is noticed by the page's query failing, so the common case costs no extra look.
        const { t, q, rows, total } = await deps.db.transaction(requireTenant(request).id, async (tx) => {
          const t = await resolve(tx, request);
          const q = parse(request, t, true);
          return { t, q, ...(await readPage(tx, t.load, q)) };
        });
        return reply.header('cache-control', cacheControl(t)).send({
          data: rows.map((r) => rowObject(q, r)),
          links: {
            profile: `${deps.config.baseUrl}${t.base}/profile`,
            swagger: `${deps.config.baseUrl}${t.base}/swagger.json`,
            next: q.page * q.pageSize < total ? link(t, q, q.page + 1) : null,
            prev: q.page > 1 ? link(t, q, q.page - 1) : null,
          },
          meta: { page: q.page, page_size: q.pageSize, total },
        });
      }),
  );

  /** Every matching row, chunk after chunk (keyset: each chunk continues after the last row sent). */
  async function* streamRows(request: FastifyRequest, t: Target, q: TabularQuery): AsyncGenerator<Record<string, unknown>> {
    const table = checkedTable(t.load.table_name);
    const sortValue = q.sort ? `, (${sortExpression(q.sort.column)})::text as sort_value` : '';
    let last: { rowNumber: number; value: string | null } | null = null;
    const chunk = streamChunk();
    for (;;) {
      const params = [...q.params];
      const bind = (v: unknown) => {
        params.push(v);
        return `$${params.length}`;
      };
      const next = after(q, last, bind);
      const where = ['tenant_id = app_tenant()', ...q.where, ...(next ? [next] : [])].join(' and ');
      const rows: Array<Record<string, unknown>> = await inTenant(deps, request, (tx) =>
        tx.query(`select ${selectList(q)}${sortValue} from ${table} where ${where} order by ${orderBy(q)} limit ${chunk}`, params),
      );
      for (const row of rows) yield row;
      if (rows.length < chunk) return;
      const end = rows[rows.length - 1]!;
      last = { rowNumber: Number(end.row_number), value: (end.sort_value as string | null | undefined) ?? null };
    }
  }

  const csvCell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };

  const filename = (t: Target, ext: string) => `${t.dataset.slug}-${t.resource.id.slice(0, 8)}.${ext}`;

  api.get(
    `${prefix}/rows.csv`,
    { schema: { ...doc('Toutes les lignes filtrées d’une ressource, en CSV (flux, sans limite de taille)'), params: Params, querystring: StreamQuery } },
    async (request, reply) =>
      orLoading(request, reply, async () => {
        const t = await target(request);
        const q = parse(request, t, false);
        const rows = streamRows(request, t, q);
        const lines = async function* () {
          yield `${q.select.map((c) => csvCell(c.name)).join(',')}\r\n`;
          let batch = '';
          for await (const row of rows) {
            batch += `${q.select.map((c) => csvCell(row[c.column])).join(',')}\r\n`;
            if (batch.length > 64 * 1024) {
              yield batch;
              batch = '';
            }
          }
          if (batch) yield batch;
        };
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename(t, 'csv')}"`)
          .header('cache-control', cacheControl(t))
          .send(Readable.from(lines()));
      }),
  );

  api.get(
    `${prefix}/rows.jsonl`,
    {
      schema: {
        ...doc('Toutes les lignes filtrées d’une ressource, un objet JSON par ligne (flux, sans limite de taille)'),
        params: Params,
        querystring: StreamQuery,
      },
    },
    async (request, reply) =>
      orLoading(request, reply, async () => {
        const t = await target(request);
        const q = parse(request, t, false);
        const rows = streamRows(request, t, q);
        const lines = async function* () {
          let batch = '';
          for await (const row of rows) {
            batch += `${JSON.stringify(rowObject(q, row))}\n`;
            if (batch.length > 64 * 1024) {
              yield batch;
              batch = '';
            }
          }
          if (batch) yield batch;
        };
        return reply
          .header('content-type', 'application/jsonl; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename(t, 'jsonl')}"`)
          .header('cache-control', cacheControl(t))
          .send(Readable.from(lines()));
      }),
  );

  api.get(`${prefix}/profile`, { schema: { ...doc('Colonnes d’une ressource chargée : types et filtres'), params: Params } }, async (request, reply) =>
    orLoading(request, reply, async () => {
      const t = await target(request);
      return reply.header('cache-control', cacheControl(t)).send(profileOf(t.load));
    }),
  );

  api.get(
    `${prefix}/swagger.json`,
    { schema: { ...doc('Document OpenAPI propre à une ressource : ses colonnes et leurs filtres'), params: Params } },
    async (request, reply) =>
      orLoading(request, reply, async () => {
        const t = await target(request);
        return reply
          .header('cache-control', cacheControl(t))
          .send(resourceOpenApi({ baseUrl: deps.config.baseUrl, path: t.base, dataset: t.dataset, resource: t.resource, load: t.load }));
      }),
  );
}
