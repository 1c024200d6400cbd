// Datasets that Bastide itself writes: the statistics of procedures (statistics/publish.ts), the debates'
// and the roadmap's open data. Another module owns the figures and the Table Schema; the catalogue owns
// how they become a published dataset.
//
//   publishGeneratedDataset(deps: Pick<AppDeps, 'db' | 'config'>, input: GeneratedDatasetInput)
//     : Promise<{ outcome: 'created' | 'updated' | 'unchanged' | 'skipped'; datasetId: string }>
//   input = { tenantId, slug, title, description, keywords: string[], themes?: string[], frequency?: string | null,
//             schema: <Table Schema JSON object> | <bundled schema name>, fileName, csv: Buffer, actor,
//             generator?, licence?, spatial?, temporalStart?, resourceTitle?, resourceDescription? }
//
// - Bad input (a schema that is not a valid Table Schema, an unknown bundled name, a bad slug, theme or
//   frequency) throws a 422 HttpError naming the field, before anything is written.
// - The dataset is created as a draft marked `generated_by` (the generator, `actor` by default), its file
//   goes the way of any upload (blob store, typed from its content, validated against the schema, loaded
//   for the tabular API when valid), then it is published. A new version only when the bytes change. Each
//   step is one transaction with its journal entry; a run that stops halfway leaves a draft the next completes.
// - The stewards keep the last word: a dataset with the slug that this generator did not create, or one
//   sent to review or archived, is never written ('skipped'). Metadata is set once, at creation (a steward
//   may edit it); only the schema follows the caller's, since the file must validate against it.
// - Per tenant, in that tenant's transactions (row-level security).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { journal } from '../../../core/audit/journal.ts';
import { unprocessable } from '../../../core/base/errors.ts';
import { translator } from '../../../core/i18n/i18n.ts';
import { storeUpload } from '../../../core/files/upload.ts';
import type { AppDeps } from '../../../core/module.ts';
import type { AdoptedBlob } from '../../../core/files/store.ts';
import type { Tx } from '../../../core/db/database.ts';
import { findDatasetBySlug, insertDataset, listResources, setDatasetState, type DatasetFields, type DatasetRow } from '../catalogue.repository.ts';
import type { Principal } from '../catalogue.policy.ts';
import { addResourceVersion, maxUploadBytes } from '../actions/upload-version.ts';
import { readDatasetInput } from '../dataset-input.ts';

export interface GeneratedDatasetInput {
  tenantId: string;
  /** The dataset's address in the collectivité's catalogue (`^[a-z0-9]+(-[a-z0-9]+)*$`, 80 characters at most). */
  slug: string;
  title: string;
  description: string;
  keywords: string[];
  /** EU data-theme codes (GOVE, SOCI…). */
  themes?: string[];
  /** EU frequency code (DAILY, CONT, IRREG…). */
  frequency?: string | null;
  /** The Table Schema the calling module owns (a JSON object), or the name of a bundled schema. */
  schema: Record<string, unknown> | string;
  fileName: string;
  csv: Buffer;
  /** Journal actor of every step (`system`, or `person:<id>` when a person asked for the run). */
  actor: string;
  /** Who owns the dataset across runs (default: `actor`); give it when the actor changes from run to run. */
  generator?: string;
  licence?: string;
  /** COG codes. */
  spatial?: string[];
  /** YYYY-MM-DD. */
  temporalStart?: string | null;
  resourceTitle?: string;
  resourceDescription?: string;
}

export type GeneratedOutcome = 'created' | 'updated' | 'unchanged' | 'skipped';
export interface GeneratedResult {
  outcome: GeneratedOutcome;
  datasetId: string;
}

type Deps = Pick<AppDeps, 'db' | 'config'>;

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** JSON with keys sorted: jsonb reorders an object's keys, so stored and given schemas compare this way. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The dataset's columns from the caller's input, checked by the same rules as a steward's form; throws a 422. */
export function generatedFields(input: GeneratedDatasetInput): DatasetFields {
  const t = translator('fr');
  const bundled = typeof input.schema === 'string';
  if (!bundled && (input.schema === null || typeof input.schema !== 'object' || Array.isArray(input.schema))) {
    throw unprocessable({ schema: [t('catalogue.schema.invalid', { reason: 'not a JSON object' })] });
  }
  const read = readDatasetInput(
    {
      title: input.title,
      description: input.description,
      keywords: input.keywords.join(', '),
      themes: input.themes ?? [],
      licence: input.licence ?? '',
      frequency: input.frequency ?? '',
      spatial: (input.spatial ?? []).join(', '),
      temporal_start: input.temporalStart ?? '',
      schema: bundled ? (input.schema as string) : 'custom',
      custom_schema: bundled ? '' : JSON.stringify(input.schema),
    },
    t,
  );
  const errors = read.ok ? {} : { ...read.errors };
  if (read.ok === false && errors.custom_schema) {
    errors.schema = [...(errors.schema ?? []), ...errors.custom_schema];
    delete errors.custom_schema;
  }
  if (!SLUG.test(input.slug) || input.slug.length > 80) (errors.slug ??= []).push(t('catalogue.generated.bad_slug'));
  if (!input.fileName.trim() || input.fileName.length > 200) (errors.fileName ??= []).push(t('catalogue.generated.bad_file_name'));
  if (Object.keys(errors).length || !read.ok) throw unprocessable(errors);
  return read.fields;
}

async function generatorOf(tx: Tx, id: string): Promise<string | null> {
  const row = await tx.one<{ generated_by: string | null }>('select generated_by from catalogue_datasets where tenant_id = app_tenant() and id = $1', [id]);
  return row?.generated_by ?? null;
}

/**
 * Ours when this generator created it. Before migration 0520 the statistics dataset carried no mark: a
 * dataset without a steward, without a mark and with the same bundled schema is taken as ours, and marked.
 */
function owned(d: DatasetRow, generatedBy: string | null, generator: string, f: DatasetFields): 'yes' | 'legacy' | 'no' {
  if (generatedBy !== null) return generatedBy === generator ? 'yes' : 'no';
  return d.steward_person_id === null && f.schema_name !== null && d.schema_name === f.schema_name ? 'legacy' : 'no';
}

export async function publishGeneratedDataset(deps: Deps, input: GeneratedDatasetInput): Promise<GeneratedResult> {
  const { db } = deps;
  const fields = generatedFields(input);
  const generator = input.generator ?? input.actor;
  const { tenantId, actor, slug } = input;
  const automatic = { automatic: generator };

  const found = await db.transaction(tenantId, async (tx) => {
    const d = await findDatasetBySlug(tx, slug);
    return d ? { d, generatedBy: await generatorOf(tx, d.id) } : null;
  });
  const existing = found?.d ?? null;
  let schemaChanged = false;
  if (found) {
    const mine = owned(found.d, found.generatedBy, generator, fields);
    if (mine === 'no' || (found.d.state !== 'draft' && found.d.state !== 'published')) return { outcome: 'skipped', datasetId: found.d.id };
    schemaChanged = found.d.schema_name !== fields.schema_name || canonical(found.d.custom_schema) !== canonical(fields.custom_schema);
    if (mine === 'legacy' || schemaChanged) {
      await db.transaction(tenantId, async (tx) => {
        await tx.execute(
          `update catalogue_datasets set generated_by = $2, schema_name = $3, custom_schema = $4, updated_at = now() where tenant_id = app_tenant() and id = $1`,
          [found.d.id, generator, fields.schema_name, fields.custom_schema === null ? null : JSON.stringify(fields.custom_schema)],
        );
        await journal(tx, {
          actor,
          action: 'catalogue.dataset.update',
          subjectType: 'dataset',
          subjectId: found.d.id,
          data: { changed: schemaChanged ? ['schema_name', 'custom_schema'] : [], generated_by: generator, ...automatic },
        });
      });
    }
  }

  let datasetId = existing?.id;
  if (!datasetId) {
    datasetId = await db.transaction(tenantId, async (tx) => {
      const id = await insertDataset(tx, slug, fields, null);
      await tx.execute('update catalogue_datasets set generated_by = $2 where tenant_id = app_tenant() and id = $1', [id, generator]);
      await journal(tx, { actor, action: 'catalogue.dataset.create', subjectType: 'dataset', subjectId: id, data: { slug, ...automatic } });
      return id;
    });
  }
  const newVersion = await addVersionIfChanged(deps, input, datasetId);

  // Published once the first version is there (the draft of a run that stopped halfway, too).
  if ((existing?.state ?? 'draft') === 'draft') {
    await db.transaction(tenantId, async (tx) => {
      await setDatasetState(tx, datasetId, 'published');
      await journal(tx, { actor, action: 'catalogue.dataset.approve', subjectType: 'dataset', subjectId: datasetId, data: automatic });
    });
  }
  if (!existing) return { outcome: 'created', datasetId };
  return { outcome: newVersion || schemaChanged ? 'updated' : 'unchanged', datasetId };
}

/** Adds the file as a new version of the dataset's resource unless its latest version has the same bytes. */
async function addVersionIfChanged(deps: Deps, input: GeneratedDatasetInput, datasetId: string): Promise<boolean> {
  const { db } = deps;
  const resources = await db.transaction(input.tenantId, (tx) => listResources(tx, datasetId));
  const resource = resources.find((r) => r.versions[0]?.filename === input.fileName) ?? resources.find((r) => r.versions.length === 0);
  const sha256 = createHash('sha256').update(input.csv).digest('hex');
  if (resource?.versions[0]?.sha256 === sha256) return false;
  const created: AdoptedBlob[] = [];
  try {
    const stored = await storeUpload(deps, input.tenantId, Readable.from([input.csv]), {
      filename: input.fileName,
      allowedTypes: ['text/csv'],
      maxBytes: maxUploadBytes(),
      onCreated: (b) => created.push(b),
    });
    const system: Principal = { tenantId: input.tenantId, actor: input.actor, personId: null, roles: ['data_steward'], t: translator('fr') };
    await addResourceVersion(
      deps,
      system,
      datasetId,
      resource ? { resourceId: resource.id } : { title: input.resourceTitle ?? input.fileName, description: input.resourceDescription ?? '' },
      stored,
    );
  } catch (error) {
    // Nothing recorded refers to bytes this run stored: take them back (the daily file sweep would, later).
    const recorded = await db.transaction(input.tenantId, (tx) => tx.query('select 1 from blobs where tenant_id = app_tenant() and sha256 = $1', [sha256]));
    if (recorded.length === 0) for (const b of created) await b.discard();
    throw error;
  }
  return true;
}
