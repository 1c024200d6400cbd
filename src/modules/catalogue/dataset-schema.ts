// The Table Schema of a dataset: a bundled one by name, or one a steward gave. A given schema is hostile
// input: bounded in size, then checked as a Table Schema by the validation library (patterns on RE2 and
// bounded in complexity, types, constraints, custom checks) before it is stored or used.
import { bundledSchemaNames, loadBundledSchema, parseSchema, SchemaError, type CompiledSchema } from './validation/index.ts';
import type { Translate } from '../../core/i18n/i18n.ts';

/** A schema a person gives is small; anything larger is refused before it is parsed. */
export const MAX_CUSTOM_SCHEMA_BYTES = 256 * 1024;

export function isBundledSchema(name: string): boolean {
  return bundledSchemaNames().includes(name);
}

/** A bundled schema by name (never a path: names come from the list of bundled folders), or null. */
export function bundledSchema(name: string): CompiledSchema | null {
  return isBundledSchema(name) ? loadBundledSchema(name) : null;
}

export type CustomSchemaResult = { ok: true; descriptor: Record<string, unknown>; schema: CompiledSchema } | { ok: false; message: string };

/** A given schema's text, checked: the descriptor to store and its compiled form, or the reason it is refused. */
export function checkCustomSchema(text: string, t: Translate): CustomSchemaResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CUSTOM_SCHEMA_BYTES) return { ok: false, message: t('catalogue.schema.too_large', { max: `${MAX_CUSTOM_SCHEMA_BYTES / 1024} Ko` }) };
  try {
    const schema = parseSchema(text);
    return { ok: true, descriptor: schema.descriptor, schema };
  } catch (error) {
    if (error instanceof SchemaError) return { ok: false, message: t('catalogue.schema.invalid', { reason: error.message }) };
    // A schema that makes the library fail in an unexpected way (a stack overflow on absurd nesting…) is refused too.
    if (error instanceof RangeError) return { ok: false, message: t('catalogue.schema.invalid', { reason: error.message }) };
    throw error;
  }
}

/** The compiled schema of a dataset, or null when it declares none. */
export function datasetSchema(d: { schema_name: string | null; custom_schema: unknown }): CompiledSchema | null {
  if (d.schema_name) return bundledSchema(d.schema_name);
  if (d.custom_schema && typeof d.custom_schema === 'object') {
    try {
      return parseSchema(JSON.stringify(d.custom_schema));
    } catch {
      return null;
    }
  }
  return null;
}
