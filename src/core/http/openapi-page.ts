// `/api`: the OpenAPI document as a plain page — operations by tag, their parameters, request bodies
// and responses, with each schema written out as a nested list. No script, no external viewer.
import { html, type Html } from '../views/html.ts';
import { page } from '../views/layout.ts';
import type { Dictionary, Translate } from '../i18n/i18n.ts';
import type { RequestContext } from '../base/context.ts';
import type { OpenApiDocument, Operation } from './openapi-document.ts';

export const apiPageMessages: Dictionary = {
  fr: {
    'core.api.title': 'API',
    'core.api.intro':
      'Chaque collectivité a son API sous /api/v1/{tenant}/. Les appels s’authentifient par un jeton d’API (en-tête Authorization: Bearer …) créé par un administrateur de la collectivité. Les erreurs de validation renvoient le statut 422 avec un message par champ, dans la langue demandée (Accept-Language).',
    'core.api.document': 'Document OpenAPI 3.1 (JSON)',
    'core.api.contents': 'Sommaire',
    'core.api.parameters': 'Paramètres',
    'core.api.body': 'Corps de la requête',
    'core.api.responses': 'Réponses',
    'core.api.name': 'Nom',
    'core.api.in': 'Emplacement',
    'core.api.schema': 'Valeur',
    'core.api.description': 'Description',
    'core.api.required': 'obligatoire',
    'core.api.optional': 'facultatif',
    'core.api.auth': 'Authentification : jeton d’API.',
    'core.api.none': 'Aucune opération documentée pour le moment.',
    'core.api.list_of': 'liste de',
    'core.api.one_of': 'l’un de',
  },
  en: {
    'core.api.title': 'API',
    'core.api.intro':
      'Each local authority has its API under /api/v1/{tenant}/. Calls authenticate with an API token (Authorization: Bearer … header) created by an administrator of the authority. Validation errors return status 422 with one message per field, in the requested language (Accept-Language).',
    'core.api.document': 'OpenAPI 3.1 document (JSON)',
    'core.api.contents': 'Contents',
    'core.api.parameters': 'Parameters',
    'core.api.body': 'Request body',
    'core.api.responses': 'Responses',
    'core.api.name': 'Name',
    'core.api.in': 'In',
    'core.api.schema': 'Value',
    'core.api.description': 'Description',
    'core.api.required': 'required',
    'core.api.optional': 'optional',
    'core.api.auth': 'Authentication: API token.',
    'core.api.none': 'No documented operation yet.',
    'core.api.list_of': 'list of',
    'core.api.one_of': 'one of',
  },
};

type Schema = Record<string, unknown>;
const CONSTRAINTS = [
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'default',
];

/** One line for a schema's type and constraints: `string (format: email, maxLength: 200)`. */
function summary(t: Translate, s: Schema): string {
  if (typeof s.$ref === 'string') return s.$ref.replace('#/components/schemas/', '');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return `${t('core.api.one_of')} ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const type = Array.isArray(s.type) ? s.type.join(' | ') : typeof s.type === 'string' ? s.type : '';
  const base = type === 'array' && s.items ? `${t('core.api.list_of')} ${summary(t, s.items as Schema)}` : type;
  const constraints = CONSTRAINTS.filter((k) => s[k] !== undefined).map((k) => `${k}: ${typeof s[k] === 'string' ? s[k] : JSON.stringify(s[k])}`);
  return constraints.length ? `${base} (${constraints.join(', ')})` : base;
}

/** Nested properties of objects (and of objects in arrays or alternatives), to a bounded depth. */
function details(t: Translate, s: Schema, depth = 0): Html | string {
  if (depth > 5) return '';
  const target = s.type === 'array' && s.items ? (s.items as Schema) : s;
  const alternatives = (target.anyOf ?? target.oneOf) as Schema[] | undefined;
  if (alternatives) return html`<ul>${alternatives.map((a) => html`<li>${summary(t, a)}${details(t, a, depth + 1)}</li>`)}</ul>`;
  const properties = target.properties as Record<string, Schema> | undefined;
  if (!properties) return '';
  const required = new Set((target.required as string[] | undefined) ?? []);
  return html`<ul>${Object.entries(properties).map(([name, p]) => html`<li><code>${name}</code> — ${summary(t, p)}, ${required.has(name) ? t('core.api.required') : t('core.api.optional')}${typeof p.description === 'string' ? html`. ${p.description}` : ''}${details(t, p, depth + 1)}</li>`)}</ul>`;
}

function anchor(op: Operation): string {
  return `op-${op.operationId}`;
}

function operation(t: Translate, method: string, path: string, op: Operation): Html {
  const body = op.requestBody ? Object.entries(op.requestBody.content)[0] : null;
  return html`<section aria-labelledby="${anchor(op)}">
<h2 id="${anchor(op)}"><code>${method.toUpperCase()} ${path}</code></h2>
${op.summary ? html`<p>${op.summary}</p>` : ''}${op.description ? html`<p>${op.description}</p>` : ''}
${op.security?.length ? html`<p class="small">${t('core.api.auth')}</p>` : ''}
${
  op.parameters.length
    ? html`<table><caption>${t('core.api.parameters')}</caption>
<thead><tr><th scope="col">${t('core.api.name')}</th><th scope="col">${t('core.api.in')}</th><th scope="col">${t('core.api.schema')}</th><th scope="col">${t('core.api.description')}</th></tr></thead>
<tbody>${op.parameters.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${summary(t, p.schema)}, ${p.required ? t('core.api.required') : t('core.api.optional')}</td><td>${p.description ?? ''}</td></tr>`)}</tbody></table>`
    : ''
}
${body ? html`<h3>${t('core.api.body')} <span class="small">(${body[0]})</span></h3><p>${summary(t, body[1].schema)}</p>${details(t, body[1].schema)}` : ''}
<h3>${t('core.api.responses')}</h3>
<ul>${Object.entries(op.responses).map(([status, r]) => {
    const schema = r.content ? Object.values(r.content)[0]!.schema : null;
    return html`<li><strong>${status}</strong> — ${r.description}${schema ? html` : ${summary(t, schema)}${details(t, schema)}` : ''}</li>`;
  })}</ul>
</section>`;
}

function operationsByTag(doc: OpenApiDocument): Map<string, Array<[string, string, Operation]>> {
  const byTag = new Map<string, Array<[string, string, Operation]>>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags[0] ?? 'api';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push([method, path, op]);
    }
  }
  return new Map([...byTag.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

const tagPath = (tag: string) => `/api/${encodeURIComponent(tag)}`;

/**
 * `/api`: the introduction and the contents, one link per operation to its tag's page. The operations
 * themselves are written out on one page per tag (renderApiTagPage): the reference grows with every
 * module, and one page holding all of them passed the staff pages' DOM and EcoIndex budgets.
 */
export function renderApiPage(ctx: RequestContext, doc: OpenApiDocument): Html {
  const { t } = ctx;
  const byTag = operationsByTag(doc);
  const described = new Map((doc.tags ?? []).map((d) => [d.name, d.description]));
  return page(ctx, {
    title: t('core.api.title'),
    path: '/api',
    body: html`<h1>${doc.info.title} <span class="small">${doc.info.version}</span></h1>
<p>${t('core.api.intro')}</p>
<p><a href="/api/openapi.json">${t('core.api.document')}</a></p>
${
  byTag.size === 0
    ? html`<p>${t('core.api.none')}</p>`
    : html`<nav aria-labelledby="api-contents"><h2 id="api-contents">${t('core.api.contents')}</h2>
<ul>${[...byTag.entries()].map(([tag, ops]) => html`<li><a href="${tagPath(tag)}">${tag}</a>${described.has(tag) ? html` — ${described.get(tag)}` : ''}<ul>${ops.map(([m, p, op]) => html`<li><a href="${tagPath(tag)}#${anchor(op)}"><code>${m.toUpperCase()} ${p}</code></a>${op.summary ? ` — ${op.summary}` : ''}</li>`)}</ul></li>`)}</ul></nav>`
}`,
  });
}

/** `/api/<tag>`: every operation of one tag, with parameters, bodies and responses; null for an unknown tag. */
export function renderApiTagPage(ctx: RequestContext, doc: OpenApiDocument, tag: string): Html | null {
  const { t } = ctx;
  const ops = operationsByTag(doc).get(tag);
  if (!ops) return null;
  const description = (doc.tags ?? []).find((d) => d.name === tag)?.description;
  return page(ctx, {
    title: `${t('core.api.title')} — ${tag}`,
    path: tagPath(tag),
    body: html`<p><a href="/api">${t('core.api.contents')}</a></p>
<h1>${tag}</h1>
${description ? html`<p>${description}</p>` : ''}
${ops.map(([m, p, op]) => operation(t, m, p, op))}`,
  });
}
