// A DCAT-AP 3 catalogue page, as udata writes it: the catalogue (dcat:Catalog and hydra:Collection, with
// hydra:totalItems), its view of this page (hydra:PartialCollectionView with first, last, next, previous),
// then the page's datasets. Written as text chunks, a few datasets at a time, so that a page of the whole
// installation is never held in memory at once.
import type { Database } from '../../../core/db/database.ts';
import { countEach, windowOf, type TenantRef } from './across-tenants.ts';
import { datasetNodes, documentNode, LOCAL_AUTHORITY, publisherNode } from './dcat.ts';
import { iri, jsonLdNode, JSONLD_CONTEXT, plain, text, turtleNode, turtlePrologue, typed, type RdfNode } from './rdf.ts';

export type FeedFormat = 'jsonld' | 'ttl';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface FeedRequest {
  baseUrl: string;
  /** The path of the feed without its query (/nantes/catalogue.jsonld). */
  path: string;
  format: FeedFormat;
  page: number;
  pageSize: number;
  /** One collectivité (its own feed) or every one (the installation's). */
  tenants: TenantRef[];
  /** The collectivité of a tenant feed (catalogue title and publisher), null for the installation. */
  owner: TenantRef | null;
}

export const CONTENT_TYPES: Record<FeedFormat, string> = { jsonld: 'application/ld+json; charset=utf-8', ttl: 'text/turtle; charset=utf-8' };

/** The feed's chunks of text; counts are read first (totalItems and the last page), then datasets chunk by chunk. */
export async function* feedChunks(db: Database, r: FeedRequest): AsyncGenerator<string> {
  const counted = await countEach(db, r.tenants);
  const total = counted.reduce((n, c) => n + c.count, 0);
  const last = Math.max(1, Math.ceil(total / r.pageSize));
  const pageUrl = (n: number) => `${r.baseUrl}${r.path}?page=${n}&page_size=${r.pageSize}`;
  // The catalogue is named after its home page (a foaf:Document, the public catalogue or the installation's home).
  const homepage = r.owner ? `${r.baseUrl}/${r.owner.slug}/donnees` : `${r.baseUrl}/`;
  const catalogId = `${homepage}#catalogue`;
  const installation: RdfNode = { id: `${r.baseUrl}/#bastide`, types: ['foaf:Agent'], props: [['foaf:name', text('Bastide')]] };
  const publisher = r.owner ? publisherNode(r.baseUrl, r.owner) : installation;
  const catalog: RdfNode = {
    id: catalogId,
    types: ['dcat:Catalog', 'hydra:Collection'],
    props: [
      ['dct:title', text(r.owner ? `Catalogue de données — ${r.owner.name}` : 'Catalogue de données — toutes les collectivités')],
      [
        'dct:description',
        text(
          r.owner ? `Les jeux de données publiés par ${r.owner.name}.` : 'Les jeux de données publiés par les collectivités de cette installation de Bastide.',
        ),
      ],
      ['dct:publisher', iri(publisher.id)],
      ['dct:language', iri('http://publications.europa.eu/resource/authority/language/FRA')],
      ['foaf:homepage', iri(homepage)],
      ['hydra:totalItems', typed(String(total), 'xsd:integer')],
      ['hydra:view', iri(pageUrl(r.page))],
    ],
  };
  const view: RdfNode = {
    id: pageUrl(r.page),
    types: ['hydra:PartialCollectionView'],
    props: [
      ['hydra:first', iri(pageUrl(1))],
      ['hydra:last', iri(pageUrl(last))],
    ],
  };
  if (r.page < last) view.props.push(['hydra:next', iri(pageUrl(r.page + 1))]);
  if (r.page > 1) view.props.push(['hydra:previous', iri(pageUrl(Math.min(r.page - 1, last)))]);
  const head: RdfNode[] = [
    catalog,
    view,
    publisher,
    documentNode(homepage),
    LOCAL_AUTHORITY,
    { id: 'http://publications.europa.eu/resource/authority/language/FRA', types: ['dct:LinguisticSystem'], props: [] },
  ];
  if (r.owner) publisher.props.push(['dct:identifier', plain(r.owner.slug)]);

  let first = true;
  const write = (nodes: RdfNode[]): string => {
    if (r.format === 'ttl') return nodes.map(turtleNode).join('');
    const parts = nodes.map((n) => JSON.stringify(jsonLdNode(n)));
    const out = (first ? '' : ',\n') + parts.join(',\n');
    first = false;
    return out;
  };
  yield r.format === 'ttl' ? turtlePrologue() : `{"@context":${JSON.stringify(JSONLD_CONTEXT)},\n"@graph":[\n`;
  yield write(head);
  // Nodes every dataset points at (a theme, a licence, the language, a file type, the publisher…) are
  // written once per response, not once per dataset: a node already written with the very same content
  // is skipped (about a sixth of the bytes of a large page). Bounded: past 10,000 distinct ones, repeats.
  const written = new Set<string>();
  const fresh = (n: RdfNode, own: string): boolean => {
    if (n.id.startsWith(own)) return true;
    const key = JSON.stringify(n);
    if (written.has(key)) return false;
    if (written.size < 10_000) written.add(key);
    return true;
  };
  for await (const { tenant, datasets } of windowOf(db, counted, (r.page - 1) * r.pageSize, r.pageSize)) {
    const nodes: RdfNode[] = [];
    for (const d of datasets) {
      const [dataset, ...rest] = datasetNodes(r.baseUrl, tenant, d);
      const own = dataset!.id.replace(/#.*$/, '');
      // The catalogue lists the dataset in a node of its own (JSON-LD merges nodes with one @id; Turtle
      // allows a subject in several statements): the catalogue head is written before any dataset is read.
      nodes.push({ id: catalogId, types: [], props: [['dcat:dataset', iri(dataset!.id)]] }, dataset!, ...rest.filter((n) => fresh(n, own)));
    }
    yield write(nodes);
  }
  if (r.format === 'jsonld') yield '\n]}\n';
}
