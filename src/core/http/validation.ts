// Fastify (Ajv) schema errors → `{ field: [localised message] }`.
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import type { Translate } from '../i18n/i18n.ts';

export function schemaErrorsToFields(t: Translate, errors: FastifySchemaValidationError[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) {
    const params = e.params as Record<string, unknown>;
    let field = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '_';
    if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
      field = field === '_' ? params.missingProperty : `${field}.${params.missingProperty}`;
    }
    if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      field = field === '_' ? params.additionalProperty : `${field}.${params.additionalProperty}`;
    }
    const key = `core.validation.${e.keyword}`;
    const translated = t(key, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));
    (out[field] ??= []).push(translated === key ? e.message ?? e.keyword : translated);
  }
  return out;
}
