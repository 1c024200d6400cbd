// Shortcuts of the publishing tests: a dataset with full metadata and a file, published through the pages
// (steward submits, administrator approves); parsing Turtle; validating against the DCAT-AP 3.0.1 shapes.
import { readFileSync } from 'node:fs';
import { Parser, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { postForm, type TestApp } from '../../helpers/app.ts';
import { makeDataset, uploadFile, type Catalogue } from './datasets.ts';

const VALID = readFileSync(new URL('../../../src/modules/catalogue/seed-fixtures/subventions-valide.csv', import.meta.url), 'utf8');

export const FULL_METADATA = {
  description: 'Les subventions versées aux associations, « avec des guillemets " et \\ une barre »\nsur deux lignes.',
  keywords: 'subventions, associations',
  themes: ['ECON', 'GOVE'],
  licence: 'etalab-2.0',
  frequency: 'ANNUAL',
  spatial: '44109, 244400404, 44',
  temporal_start: '2020-01-01',
  temporal_end: '2020-12-31',
  publisher: '',
  contact_point: 'donnees@example.org',
  schema: 'scdl-subventions',
};

/** A dataset in `state`: draft (created), or published with one uploaded CSV. */
export async function datasetIn(
  t: TestApp,
  c: Catalogue,
  state: 'draft' | 'published',
  title: string,
  fields: Record<string, string | string[]> = {},
): Promise<{ id: string; slug: string }> {
  const d = await makeDataset(t, c, { ...FULL_METADATA, title, ...fields });
  if (state === 'draft') return d;
  const up = await uploadFile(t, c.steward, d.page, { name: 'subventions.csv', body: VALID }, { title: 'Subventions 2016' });
  if (up.statusCode !== 303) throw new Error(`upload: ${up.statusCode}`);
  for (const [who, op] of [
    [c.steward, 'submit'],
    [c.admin, 'approve'],
  ] as const) {
    const res = await postForm(t, who, `${d.page}/etat`, { op });
    if (res.statusCode !== 303) throw new Error(`${op}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  }
  return d;
}

export function parseTurtle(body: string, baseIRI?: string): Store {
  return new Store(new Parser({ format: 'text/turtle', baseIRI }).parse(body));
}

const SHAPES_DIR = new URL('../../../src/modules/catalogue/publishing/fixtures/dcat-ap-3.0.1/', import.meta.url);
let shapes: Store | null = null;

/** The official DCAT-AP 3.0.1 shapes (the consolidated shapes and the class ranges), read from the module's fixtures. */
export function dcatApShapes(): Store {
  shapes ??= new Store([
    ...new Parser({ format: 'text/turtle' }).parse(readFileSync(new URL('dcat-ap-SHACL.ttl', SHAPES_DIR), 'utf8')),
    ...new Parser({ format: 'text/turtle' }).parse(readFileSync(new URL('ranges.ttl', SHAPES_DIR), 'utf8')),
  ]);
  return shapes;
}

export interface Violation {
  focus: string;
  path: string;
  severity: string;
  message: string;
}

export async function validateDcatAp(data: Store): Promise<{ conforms: boolean; violations: Violation[] }> {
  const report = await new SHACLValidator(dcatApShapes()).validate(data);
  const violations = report.results.map((r) => ({
    focus: r.focusNode?.value ?? '',
    path: r.path?.value ?? '',
    severity: r.severity?.value.replace(/.*#/, '') ?? '',
    message: r.message.map((m) => m.value).join(' '),
  }));
  return { conforms: report.conforms, violations };
}
