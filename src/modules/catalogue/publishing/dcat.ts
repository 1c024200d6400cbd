// A published dataset as DCAT-AP 3 nodes (SEMIC DCAT-AP 3.0.1; checked against its SHACL shapes in
// dcat-shacl.test.ts). Every node a property points at is typed (the shapes check the class of each
// object: skos:Concept for a theme, dct:Frequency, dct:LicenseDocument, dct:Location…), and every IRI is
// one that a harvester knows: EU vocabularies for themes, frequencies, formats and languages; INSEE's COG
// IRIs for places; the licence's own page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_SCHEMAS_DIR } from '../validation/bundled.ts';
import { catalogueMessages } from '../messages.ts';
import type { DatasetRow } from '../catalogue.repository.ts';
import { iri, plain, text, typed, type RdfNode, type Term } from './rdf.ts';

const EU = 'http://publications.europa.eu/resource/authority/';

/** What the feed knows of a published dataset (feed.repository.ts reads it). */
export interface FeedDataset extends Pick<
  DatasetRow,
  | 'id'
  | 'slug'
  | 'title'
  | 'description'
  | 'keywords'
  | 'themes'
  | 'licence'
  | 'frequency'
  | 'spatial'
  | 'temporal_start'
  | 'temporal_end'
  | 'publisher'
  | 'contact_point'
  | 'schema_name'
  | 'published_at'
  | 'created_at'
  | 'updated_at'
> {
  has_custom_schema: boolean;
  resources: FeedResource[];
}

export interface FeedResource {
  id: string;
  title: string;
  description: string;
  created_at: Date;
  /** The newest version, or null when nothing was uploaded yet. */
  latest: { version: number; sha256: string; size: number; content_type: string; filename: string; format: string; uploaded_at: Date } | null;
}

export interface FeedTenant {
  slug: string;
  name: string;
}

/** Licence pages as data.gouv.fr and CKAN recognise them (udata guesses the licence from this URL). */
export const LICENCE_IRIS: Record<string, { iri: string; title: string }> = {
  'etalab-2.0': { iri: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/', title: 'Licence Ouverte / Open Licence version 2.0' },
  'odbl-1.0': { iri: 'https://opendatacommons.org/licenses/odbl/1-0/', title: 'Open Data Commons Open Database License (ODbL)' },
  'cc-by-4.0': { iri: 'https://creativecommons.org/licenses/by/4.0/', title: 'Creative Commons Attribution 4.0' },
  'cc-by-sa-4.0': { iri: 'https://creativecommons.org/licenses/by-sa/4.0/', title: 'Creative Commons Attribution-ShareAlike 4.0' },
  'cc0-1.0': { iri: 'https://creativecommons.org/publicdomain/zero/1.0/', title: 'Creative Commons CC0 1.0' },
};

/** Our formats as the EU file-type vocabulary names them. */
const FILE_TYPES: Record<string, string> = { CSV: 'CSV', JSON: 'JSON', GeoJSON: 'GEOJSON', PDF: 'PDF', XLSX: 'XLSX', ODS: 'ODS', ZIP: 'ZIP', TXT: 'TXT' };

/**
 * The COG IRI of a code (INSEE's linked data): communes (5 characters), EPCI (9-digit SIREN), départements
 * (2 or 3 characters: 01…95, 2A, 2B, 971…976; a two-digit code is read as a département, the more common
 * case, since région codes share the range) and the whole country (the EU country vocabulary).
 */
export function spatialIri(code: string): string | null {
  if (code === 'FR') return `${EU}country/FRA`;
  if (/^\d{9}$/.test(code)) return `http://id.insee.fr/geo/intercommunalite/${code}`;
  if (/^\d[\dAB]\d{3}$/.test(code)) return `http://id.insee.fr/geo/commune/${code}`;
  if (/^(\d{2}|2[AB]|97\d)$/.test(code)) return `http://id.insee.fr/geo/departement/${code}`;
  return null;
}

const schemaUrls = new Map<string, string | null>();

/** The canonical URL of a bundled schema (its `path`, as schema.data.gouv.fr publishes it), read once. */
export function bundledSchemaUrl(name: string): string | null {
  if (!schemaUrls.has(name)) {
    let url: string | null = null;
    try {
      const json = JSON.parse(readFileSync(join(BUNDLED_SCHEMAS_DIR, name, 'schema.json'), 'utf8')) as { path?: unknown };
      if (typeof json.path === 'string' && /^https:\/\/\S+$/.test(json.path)) url = json.path;
    } catch {
      url = null;
    }
    schemaUrls.set(name, url);
  }
  return schemaUrls.get(name) ?? null;
}

export function datasetUrl(baseUrl: string, tenant: FeedTenant, slug: string): string {
  return `${baseUrl}/${tenant.slug}/donnees/${slug}`;
}

/** The schema a dataset conforms to: the bundled one's canonical URL, or its own (served by the catalogue). */
export function schemaUrlOf(baseUrl: string, tenant: FeedTenant, d: Pick<FeedDataset, 'slug' | 'schema_name' | 'has_custom_schema'>): string | null {
  if (d.schema_name) return bundledSchemaUrl(d.schema_name) ?? `${baseUrl}/${tenant.slug}/donnees/${d.slug}/schema.json`;
  return d.has_custom_schema ? `${baseUrl}/${tenant.slug}/donnees/${d.slug}/schema.json` : null;
}

const dateTime = (d: Date): Term => typed(d.toISOString(), 'xsd:dateTime');

/** The theme's label in French and English, from the catalogue's dictionaries (the shapes want a skos:prefLabel). */
function themeLabels(code: string): RdfNode['props'] {
  const out: RdfNode['props'] = [];
  for (const lang of ['fr', 'en'] as const) {
    const label = catalogueMessages[lang][`catalogue.theme.${code}`];
    if (typeof label === 'string') out.push(['skos:prefLabel', text(label, lang)]);
  }
  return out;
}

export const LOCAL_AUTHORITY: RdfNode = {
  id: 'http://purl.org/adms/publishertype/LocalAuthority',
  types: ['skos:Concept'],
  props: [['skos:prefLabel', text('Local Authority', 'en')]],
};

/** A page (landing page, home page): the shapes want it typed foaf:Document. */
export const documentNode = (id: string): RdfNode => ({ id, types: ['foaf:Document'], props: [] });

/** The agent that publishes a collectivité's data: the collectivité itself, at its home page. */
export function publisherNode(baseUrl: string, tenant: FeedTenant, name = tenant.name): RdfNode {
  return {
    id: `${baseUrl}/${tenant.slug}`,
    types: ['foaf:Agent'],
    props: [
      ['foaf:name', text(name)],
      ['dct:type', iri('http://purl.org/adms/publishertype/LocalAuthority')],
    ],
  };
}

/** The nodes of one dataset: the dataset, its distributions, and the typed vocabulary nodes it points at. */
export function datasetNodes(baseUrl: string, tenant: FeedTenant, d: FeedDataset): RdfNode[] {
  // The page is the landing page (a foaf:Document); the dataset is a resource of its own, named after it.
  const page = datasetUrl(baseUrl, tenant, d.slug);
  const id = `${page}#jeu-de-donnees`;
  const nodes: RdfNode[] = [documentNode(page)];
  const concept = (value: string, type: string) => nodes.push({ id: value, types: [type], props: [] });
  const props: RdfNode['props'] = [
    ['dct:identifier', plain(page)],
    ['dct:title', text(d.title)],
    ['dct:description', text(d.description || d.title)],
    ['dcat:landingPage', iri(page)],
    ['dct:issued', dateTime(d.published_at ?? d.created_at)],
    ['dct:modified', dateTime(d.updated_at)],
    ['dct:language', iri(`${EU}language/FRA`)],
  ];
  concept(`${EU}language/FRA`, 'dct:LinguisticSystem');
  for (const k of d.keywords) props.push(['dcat:keyword', text(k)]);
  for (const t of d.themes) {
    props.push(['dcat:theme', iri(`${EU}data-theme/${t}`)]);
    nodes.push({ id: `${EU}data-theme/${t}`, types: ['skos:Concept'], props: themeLabels(t) });
  }
  if (d.frequency) {
    props.push(['dct:accrualPeriodicity', iri(`${EU}frequency/${d.frequency}`)]);
    concept(`${EU}frequency/${d.frequency}`, 'dct:Frequency');
  }
  for (const code of d.spatial) {
    const place = spatialIri(code);
    if (!place) continue;
    props.push(['dct:spatial', iri(place)]);
    concept(place, 'dct:Location');
  }
  if (d.temporal_start || d.temporal_end) {
    const period: RdfNode = { id: `${page}#periode`, types: ['dct:PeriodOfTime'], props: [] };
    if (d.temporal_start) period.props.push(['dcat:startDate', typed(d.temporal_start, 'xsd:date')]);
    if (d.temporal_end) period.props.push(['dcat:endDate', typed(d.temporal_end, 'xsd:date')]);
    props.push(['dct:temporal', iri(period.id)]);
    nodes.push(period);
  }
  const schema = schemaUrlOf(baseUrl, tenant, d);
  if (schema) {
    props.push(['dct:conformsTo', iri(schema)]);
    concept(schema, 'dct:Standard');
  }
  const publisher = publisherNode(baseUrl, tenant, d.publisher || tenant.name);
  // A dataset whose publisher is named differently gets its own agent node (the collectivité's stays as it is).
  if (d.publisher && d.publisher !== tenant.name) publisher.id = `${page}#producteur`;
  props.push(['dct:publisher', iri(publisher.id)]);
  nodes.push(publisher, LOCAL_AUTHORITY);
  const contact: RdfNode = { id: `${page}#contact`, types: ['vcard:Kind', 'vcard:Organization'], props: [['vcard:fn', text(d.publisher || tenant.name)]] };
  const cp = d.contact_point.trim();
  if (/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(cp)) contact.props.push(['vcard:hasEmail', iri(`mailto:${cp}`)]);
  else if (/^https?:\/\/\S+$/.test(cp)) contact.props.push(['vcard:hasURL', iri(cp)]);
  else contact.props.push(['vcard:hasURL', iri(page)]);
  props.push(['dcat:contactPoint', iri(contact.id)]);
  nodes.push(contact);

  const licence = LICENCE_IRIS[d.licence];
  if (licence) concept(licence.iri, 'dct:LicenseDocument');
  d.resources.forEach((r) => {
    const dist: RdfNode = {
      id: `${page}/ressources/${r.id}`,
      types: ['dcat:Distribution'],
      props: [
        ['dct:title', text(r.title)],
        ['dcat:accessURL', iri(page)],
      ],
    };
    if (r.description) dist.props.push(['dct:description', text(r.description)]);
    if (licence) dist.props.push(['dct:license', iri(licence.iri)]);
    const v = r.latest;
    if (v) {
      dist.props.push(['dcat:downloadURL', iri(`${page}/ressources/${r.id}/versions/${v.version}/telecharger`)]);
      const fileType = FILE_TYPES[v.format];
      if (fileType) {
        dist.props.push(['dct:format', iri(`${EU}file-type/${fileType}`)]);
        concept(`${EU}file-type/${fileType}`, 'dct:MediaTypeOrExtent');
      }
      if (/^[a-z]+\/[a-z0-9.+-]+$/i.test(v.content_type)) {
        const media = `http://www.iana.org/assignments/media-types/${v.content_type}`;
        dist.props.push(['dcat:mediaType', iri(media)]);
        concept(media, 'dct:MediaType');
      }
      dist.props.push(['dcat:byteSize', typed(String(Math.trunc(v.size)), 'xsd:nonNegativeInteger')]);
      dist.props.push(['dct:issued', dateTime(r.created_at)], ['dct:modified', dateTime(v.uploaded_at)]);
      if (/^[0-9a-f]{64}$/.test(v.sha256)) {
        const sum: RdfNode = {
          id: `${dist.id}#sha256`,
          types: ['spdx:Checksum'],
          props: [
            ['spdx:algorithm', iri('spdx:checksumAlgorithm_sha256')],
            ['spdx:checksumValue', typed(v.sha256, 'xsd:hexBinary')],
          ],
        };
        dist.props.push(['spdx:checksum', iri(sum.id)]);
        nodes.push(sum);
        concept('spdx:checksumAlgorithm_sha256', 'spdx:ChecksumAlgorithm');
      }
    }
    if (schema) dist.props.push(['dct:conformsTo', iri(schema)]);
    props.push(['dcat:distribution', iri(dist.id)]);
    nodes.push(dist);
  });
  return [{ id, types: ['dcat:Dataset'], props }, ...dedupe(nodes)];
}

// Vocabulary nodes repeat (two themes, one licence for every resource): each is written once per dataset.
function dedupe(nodes: RdfNode[]): RdfNode[] {
  const seen = new Set<string>();
  return nodes.filter((n) => (seen.has(n.id) ? false : (seen.add(n.id), true)));
}
