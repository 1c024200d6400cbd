// Request validation. Two Ajv validators: JSON bodies are checked strictly (a "12" is not a number, an
// unknown field is an error), while path, query and header values, which are always strings on the
// wire, are coerced to the schema's types (`?limit=20` is the integer 20). Errors become
// `{ field: [localised message] }`, which the error handler sends as a 422.
import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import type { Dictionary, Translate } from '../i18n/i18n.ts';

// Keywords and names core-messages.ts does not cover; JSON type names are shown in the user's language.
export const validationMessages: Dictionary = {
  fr: {
    'core.validation.invalid': 'Valeur invalide.',
    'core.validation.const': 'Valeur non autorisée.',
    'core.validation.anyOf': 'Valeur invalide.',
    'core.validation.oneOf': 'Valeur invalide.',
    'core.validation.exclusiveMinimum': 'Doit être strictement supérieur à {limit}.',
    'core.validation.exclusiveMaximum': 'Doit être strictement inférieur à {limit}.',
    'core.validation.multipleOf': 'Doit être un multiple de {multipleOf}.',
    'core.validation.uniqueItems': 'Les éléments doivent être tous différents.',
    'core.validation.type.string': 'texte',
    'core.validation.type.integer': 'nombre entier',
    'core.validation.type.number': 'nombre',
    'core.validation.type.boolean': 'vrai ou faux',
    'core.validation.type.array': 'liste',
    'core.validation.type.object': 'objet',
    'core.validation.type.null': 'vide',
  },
  en: {
    'core.validation.invalid': 'Invalid value.',
    'core.validation.const': 'Value not allowed.',
    'core.validation.anyOf': 'Invalid value.',
    'core.validation.oneOf': 'Invalid value.',
    'core.validation.exclusiveMinimum': 'Must be greater than {limit}.',
    'core.validation.exclusiveMaximum': 'Must be less than {limit}.',
    'core.validation.multipleOf': 'Must be a multiple of {multipleOf}.',
    'core.validation.uniqueItems': 'Items must all be different.',
    'core.validation.type.string': 'text',
    'core.validation.type.integer': 'whole number',
    'core.validation.type.number': 'number',
    'core.validation.type.boolean': 'true or false',
    'core.validation.type.array': 'list',
    'core.validation.type.object': 'object',
    'core.validation.type.null': 'empty',
  },
};

function typeNames(t: Translate, type: unknown): string {
  return String(type)
    .split(',')
    .map((name) => {
      const key = `core.validation.type.${name.trim()}`;
      const text = t(key);
      return text === key ? name.trim() : text;
    })
    .join(' / ');
}

const AJV = { allErrors: true, removeAdditional: false, useDefaults: true } as const;

/** Fastify `schemaController` option: the body validator does not coerce, the others do. */
export function validationSchemaController(): { compilersFactory: { buildValidator: ValidatorFactory } } {
  const pool = AjvCompiler();
  const buildValidator: ValidatorFactory = (externalSchemas, serverOptions) => {
    const base = serverOptions && serverOptions.mode !== 'JTD' ? serverOptions : {};
    const strict = pool(externalSchemas, { ...base, customOptions: { ...base.customOptions, ...AJV, coerceTypes: false } });
    const coercing = pool(externalSchemas, { ...base, customOptions: { ...base.customOptions, ...AJV, coerceTypes: 'array' } });
    return (route) => (route.httpPart === 'body' ? strict(route) : coercing(route));
  };
  return { compilersFactory: { buildValidator } };
}

/** Where the value came from, as the API documents it: `limit`, `address.city`, `items.0.name`. */
function fieldOf(e: FastifySchemaValidationError): string {
  const params = e.params as Record<string, unknown>;
  let field = e.instancePath.replace(/^\//, '').replace(/\//g, '.').replace(/~1/g, '/').replace(/~0/g, '~');
  const extra = e.keyword === 'required' ? params.missingProperty : e.keyword === 'additionalProperties' ? params.additionalProperty : undefined;
  if (typeof extra === 'string') field = field ? `${field}.${extra}` : extra;
  return field || '_';
}

export function schemaErrorsToFields(t: Translate, errors: FastifySchemaValidationError[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) {
    const params = e.params as Record<string, unknown>;
    const key = `core.validation.${e.keyword}`;
    const values = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
    if (e.keyword === 'type') values.type = typeNames(t, values.type);
    const translated = t(key, values);
    // A keyword without a message of ours (rare: `const`, `oneOf`) still says something in the user's language.
    const message = translated === key ? t('core.validation.invalid') : translated;
    const list = (out[fieldOf(e)] ??= []);
    if (!list.includes(message)) list.push(message);
  }
  return out;
}
