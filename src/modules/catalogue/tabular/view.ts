// What the catalogue's pages show of the tabular API: on the public dataset page, a link to each loaded
// resource's rows and its OpenAPI document; on the staff page, each resource's load (queued, in progress
// with its percentage, done with its row count, failed with why) and a button to load it again.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { Database } from '../../../core/db/database.ts';
import { loadsOfResources, type LoadRow } from './store.ts';

/** `/api/v1/<slug>/datasets/<dataset>/resources/<resource>` */
export function resourceApiBase(tenantSlug: string, datasetSlug: string, resourceId: string): string {
  return `/api/v1/${tenantSlug}/datasets/${datasetSlug}/resources/${resourceId}`;
}

function apiLinks(ctx: RequestContext, api: string, load: LoadRow): Html {
  return html`<a href="${api}/rows">${ctx.t('catalogue.tabular.api')}</a> (${ctx.t('catalogue.tabular.rows', { count: load.rows_loaded })}, <a href="${api}/swagger.json">OpenAPI</a>)`;
}

function stateText(ctx: RequestContext, load: LoadRow): string {
  if (load.state === 'loading') {
    const percent = load.bytes_total > 0 ? Math.min(99, Math.floor((100 * load.bytes_read) / load.bytes_total)) : 0;
    return ctx.t('catalogue.tabular.state.loading', { percent });
  }
  if (load.state === 'failed') return ctx.t('catalogue.tabular.state.failed', { error: (load.error ?? '').slice(0, 200) });
  return ctx.t('catalogue.tabular.state.queued');
}

/** Per resource id, what its card shows. */
export async function tabularLinks(
  db: Database,
  ctx: RequestContext,
  o: { tenantId: string; tenantSlug: string; datasetSlug: string; resourceIds: string[]; staff?: { formBase: string } },
): Promise<Map<string, Html>> {
  const loads = await db.transaction(o.tenantId, (tx) => loadsOfResources(tx, o.resourceIds));
  const out = new Map<string, Html>();
  for (const [id, { current, latest }] of loads) {
    const api = resourceApiBase(o.tenantSlug, o.datasetSlug, id);
    if (!o.staff) {
      if (current) out.set(id, html`<p>${apiLinks(ctx, api, current)}</p>`);
      continue;
    }
    const parts: Html[] = [];
    if (current)
      parts.push(
        html`${ctx.t('catalogue.tabular.state.done', { rows: ctx.t('catalogue.tabular.rows', { count: current.rows_loaded }) })} · ${apiLinks(ctx, api, current)}`,
      );
    if (latest && latest.id !== current?.id && latest.state !== 'replaced') parts.push(html`${stateText(ctx, latest)}`);
    if (parts.length === 0 && !latest) continue;
    out.set(
      id,
      html`<p>${parts.map((p, i) => html`${i ? html`<br>` : ''}${p}`)}</p>
<form method="post" action="${o.staff.formBase}/ressources/${id}/charger"><input type="hidden" name="_csrf" value="${ctx.csrfToken}"><button type="submit" class="secondary">${ctx.t('catalogue.tabular.reload')}</button></form>`,
    );
  }
  return out;
}
