// The Table Schemas shipped with Bastide (src/modules/catalogue/schemas/<name>/schema.json, each with the
// SOURCE.txt that says where it comes from and under which licence), and schema files given by path.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseSchema, SchemaError, type CompiledSchema } from './schema.ts';

export const BUNDLED_SCHEMAS_DIR = join(import.meta.dirname, '..', 'schemas');

/** Schema files are small; a larger one is refused before it is read. */
export const MAX_SCHEMA_BYTES = 2 * 1024 * 1024;

export interface BundledSchema {
  name: string;
  title: string | null;
  version: string | null;
  fields: number;
  customChecks: string[];
}

export function bundledSchemaNames(): string[] {
  return readdirSync(BUNDLED_SCHEMAS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function listBundledSchemas(): BundledSchema[] {
  return bundledSchemaNames().map((name) => {
    const s = loadBundledSchema(name);
    return { name, title: s.title, version: s.version, fields: s.fields.length, customChecks: [...new Set(s.customChecks.map((c) => c.name))] };
  });
}

const cache = new Map<string, CompiledSchema>();

/** A bundled schema by name; a SchemaError naming the known ones when there is none. */
export function loadBundledSchema(name: string): CompiledSchema {
  const cached = cache.get(name);
  if (cached) return cached;
  const names = bundledSchemaNames();
  if (!names.includes(name)) throw new SchemaError(`unknown schema "${name}" (bundled schemas: ${names.join(', ')})`);
  const schema = parseSchema(readFileSync(join(BUNDLED_SCHEMAS_DIR, name, 'schema.json'), 'utf8'));
  cache.set(name, schema);
  return schema;
}

/** A schema file on disk. */
export function loadSchemaFile(path: string): CompiledSchema {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new SchemaError(`cannot read the schema file ${path}`);
  }
  if (size > MAX_SCHEMA_BYTES) throw new SchemaError(`the schema file ${path} is larger than ${MAX_SCHEMA_BYTES / 1024 / 1024} MiB`);
  try {
    return parseSchema(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof SchemaError) throw new SchemaError(`${path}: ${error.message}`);
    throw error;
  }
}

/** `--schema` as the CLI and API take it: a bundled name, or a path to a .json file. */
export function resolveSchema(nameOrPath: string): CompiledSchema {
  if (bundledSchemaNames().includes(nameOrPath)) return loadBundledSchema(nameOrPath);
  if (nameOrPath.endsWith('.json') || nameOrPath.includes('/')) return loadSchemaFile(nameOrPath);
  return loadBundledSchema(nameOrPath);
}
