// What other modules may show of the public catalogue (the debates show linked datasets on a debate's
// page): the published datasets' slugs and titles, and the first rows of a published dataset, as its own
// public page previews them (the newest version of its first previewable resource). Drafts, datasets under
// review and archived ones do not exist here.
import type { Database } from '../../core/db/database.ts';
import { publiclyVisible } from './catalogue.policy.ts';
import { findDatasetBySlug, listDatasets, listResources, versionReport } from './catalogue.repository.ts';
import { previewable, previewOf } from './preview.ts';

export interface PublishedDatasetPreview {
  slug: string;
  title: string;
  /** The resource whose rows are shown. */
  resource: string;
  header: string[];
  rows: string[][];
}

/** The published datasets of the collectivité, by title (at most 500). */
export async function publishedDatasets(deps: { db: Database }, tenantId: string): Promise<Array<{ slug: string; title: string }>> {
  const { rows } = await deps.db.transaction(tenantId, (tx) => listDatasets(tx, { states: ['published'], limit: 500, offset: 0 }));
  return rows.map((d) => ({ slug: d.slug, title: d.title })).sort((a, b) => a.title.localeCompare(b.title, 'fr'));
}

/** The first rows of a published dataset, or null (not published, or nothing to preview). */
export async function publishedDatasetPreview(
  deps: { db: Database; config: { dataDir: string } },
  tenantId: string,
  slug: string,
  maxRows = 5,
): Promise<PublishedDatasetPreview | null> {
  if (!/^[a-z0-9-]{1,120}$/.test(slug)) return null;
  const found = await deps.db.transaction(tenantId, async (tx) => {
    const dataset = await findDatasetBySlug(tx, slug);
    if (!dataset || !publiclyVisible(dataset.state)) return null;
    for (const r of await listResources(tx, dataset.id)) {
      const v = r.versions[0];
      if (!v || !previewable(v.content_type)) continue;
      const report = v.validation_state === 'done' ? await versionReport(tx, v.id) : null;
      return { dataset, resource: r.title, version: v, delimiter: report?.stats.delimiter ?? null };
    }
    return { dataset, resource: '', version: null, delimiter: null };
  });
  if (!found?.version) return null;
  const data = await previewOf(deps.config, tenantId, found.version.sha256, found.delimiter, maxRows, found.version.content_type);
  return data ? { slug: found.dataset.slug, title: found.dataset.title, resource: found.resource, header: data.header, rows: data.rows } : null;
}
