// What a loaded resource says about itself: its profile (columns, types, filters, size) and its own
// OpenAPI document, as api-tabular gives one per resource: every column's filters are parameters of the
// rows endpoints, and a row's schema has one property per column. Column names are the file's (hostile
// input): they only ever appear as JSON strings here.
import type { TabularColumn } from './columns.ts';
import { operatorsOf, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from './query.ts';
import type { LoadRow } from './store.ts';

export function profileOf(load: LoadRow) {
  return {
    version_id: load.version_id,
    loaded_at: load.finished_at,
    rows: load.rows_loaded,
    columns: load.columns.map((c) => ({ name: c.name, type: c.type, filters: [...operatorsOf(c), 'sort'] })),
  };
}

const OPERATOR_TEXT: Record<string, string> = {
  exact: 'égal à',
  differs: 'différent de',
  contains: 'contient (sans tenir compte de la casse)',
  notcontains: 'ne contient pas',
  in: 'parmi (valeurs séparées par des virgules)',
  notin: 'hors de (valeurs séparées par des virgules)',
  less: 'inférieur ou égal à',
  greater: 'supérieur ou égal à',
  strictly_less: 'strictement inférieur à',
  strictly_greater: 'strictement supérieur à',
  isnull: 'vide (sans valeur)',
  isnotnull: 'non vide (sans valeur)',
};

function valueSchema(c: TabularColumn): Record<string, unknown> {
  if (c.kind === 'number') return { type: ['number', 'null'] };
  if (c.kind === 'date') return { type: ['string', 'null'], format: c.type === 'date' ? 'date' : 'date-time' };
  return { type: ['string', 'null'] };
}

function filterParameters(columns: TabularColumn[]) {
  const out: Array<Record<string, unknown>> = [];
  for (const c of columns) {
    for (const op of operatorsOf(c)) {
      out.push({
        name: `${c.name}__${op}`,
        in: 'query',
        required: false,
        description: `« ${c.name} » ${OPERATOR_TEXT[op]}`,
        schema: op === 'isnull' || op === 'isnotnull' ? { type: 'string', enum: [''] } : { type: 'string' },
        ...(op === 'isnull' || op === 'isnotnull' ? { allowEmptyValue: true } : {}),
      });
    }
    out.push({
      name: `${c.name}__sort`,
      in: 'query',
      required: false,
      description: `Tri par « ${c.name} »`,
      schema: { type: 'string', enum: ['asc', 'desc'] },
    });
  }
  return out;
}

export function resourceOpenApi(o: { baseUrl: string; path: string; dataset: { title: string }; resource: { title: string }; load: LoadRow }) {
  const row = {
    type: 'object',
    properties: {
      __id: { type: 'integer', description: 'Numéro de la ligne dans le fichier (à partir de 1)' },
      ...Object.fromEntries(o.load.columns.map((c) => [c.name, { ...valueSchema(c), description: `Type ${c.type}` }])),
    },
  };
  const columns = { name: 'columns', in: 'query', required: false, description: 'Colonnes à donner, séparées par des virgules', schema: { type: 'string' } };
  const filters = filterParameters(o.load.columns);
  const link = { type: ['string', 'null'], format: 'uri' };
  return {
    openapi: '3.1.0',
    info: {
      title: `${o.dataset.title} — ${o.resource.title}`,
      version: o.load.version_id,
      description: `API des lignes de la ressource « ${o.resource.title} » (${o.load.rows_loaded} lignes), dans la syntaxe d’api-tabular.`,
    },
    servers: [{ url: o.baseUrl }],
    paths: {
      [`${o.path}/rows`]: {
        get: {
          summary: 'Une page de lignes, filtrées et triées',
          parameters: [
            ...filters,
            columns,
            { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 1 } },
            { name: 'page_size', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: PAGE_SIZE_MAX, default: PAGE_SIZE_DEFAULT } },
          ],
          responses: {
            200: {
              description: 'Les lignes de la page',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      data: { type: 'array', items: row },
                      links: { type: 'object', properties: { profile: link, swagger: link, next: link, prev: link } },
                      meta: { type: 'object', properties: { page: { type: 'integer' }, page_size: { type: 'integer' }, total: { type: 'integer' } } },
                    },
                  },
                },
              },
            },
            400: { description: 'Colonne, opérateur ou valeur inconnus (le message les nomme)' },
          },
        },
      },
      [`${o.path}/rows.csv`]: {
        get: {
          summary: 'Toutes les lignes filtrées et triées, en CSV',
          parameters: [...filters, columns],
          responses: { 200: { description: 'Le fichier CSV (UTF-8, virgules)', content: { 'text/csv': { schema: { type: 'string' } } } } },
        },
      },
      [`${o.path}/rows.jsonl`]: {
        get: {
          summary: 'Toutes les lignes filtrées et triées, un objet JSON par ligne',
          parameters: [...filters, columns],
          responses: { 200: { description: 'Une ligne JSON par ligne du fichier', content: { 'application/jsonl': { schema: row } } } },
        },
      },
    },
  };
}
