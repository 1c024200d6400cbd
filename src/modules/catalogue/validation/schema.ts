// A Table Schema descriptor, checked and compiled once: each field's cast and constraints ready to run on
// millions of cells. A descriptor that is not a usable Table Schema is refused with a SchemaError that
// names the first problem (the CLI exits 2 on it; nothing is validated against half a schema).
import { compileTableSchemaPattern, PatternError, type Pattern } from './pattern.ts';
import { INVALID, TypeDefinitionError, TYPES, typeInfo, type FieldDescriptor, type TypeInfo } from './types.ts';
import { checkCustomChecks, type CustomCheckDescriptor } from './checks.ts';

export class SchemaError extends Error {}

export interface CompiledField {
  name: string;
  /** Position in the schema, from 0. */
  index: number;
  type: string;
  descriptor: FieldDescriptor;
  info: TypeInfo;
  required: boolean;
  minLength: number | null;
  maxLength: number | null;
  minimum: unknown;
  maximum: unknown;
  minimumExclusive: boolean;
  maximumExclusive: boolean;
  /** The limits as the schema writes them, for messages. */
  minimumText: string;
  maximumText: string;
  pattern: Pattern | null;
  enumKeys: Set<string> | null;
  enumValues: string[];
  unique: boolean;
  /** Whether any of the value constraints (lengths, limits, pattern, enum) is set. */
  hasValueConstraints: boolean;
}

export interface CompiledSchema {
  descriptor: Record<string, unknown>;
  name: string | null;
  title: string | null;
  version: string | null;
  fields: CompiledField[];
  byName: Map<string, CompiledField>;
  missingValues: Set<string>;
  primaryKey: string[];
  customChecks: CustomCheckDescriptor[];
}

/** What enum and unique compare: the value's identity as text. */
export function valueKey(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

const CONSTRAINTS = new Set([
  'required',
  'unique',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'pattern',
  'enum',
  'jsonSchema',
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function limitValue(field: FieldDescriptor, info: TypeInfo, raw: unknown, what: string): unknown {
  if (typeof raw === 'number' && ['number', 'integer', 'year'].includes(field.type ?? 'string')) return raw;
  if (typeof raw === 'string') {
    const v = info.cast(raw);
    if (v !== INVALID) return v;
  }
  throw new SchemaError(`field "${field.name}": constraint ${what} ${JSON.stringify(raw)} is not a ${field.type ?? 'string'} value`);
}

function compileField(raw: unknown, index: number, names: Set<string>): CompiledField {
  if (!isObject(raw)) throw new SchemaError(`field ${index + 1} is not an object`);
  const field = raw as FieldDescriptor;
  if (typeof field.name !== 'string' || field.name === '') throw new SchemaError(`field ${index + 1} has no name`);
  if (names.has(field.name)) throw new SchemaError(`field "${field.name}" is defined twice`);
  names.add(field.name);
  const type = field.type ?? 'string';
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type))
    throw new SchemaError(`field "${field.name}": unknown type ${JSON.stringify(type)}`);
  if (field.format !== undefined && typeof field.format !== 'string') throw new SchemaError(`field "${field.name}": format must be a string`);
  let info: TypeInfo;
  try {
    info = typeInfo(field);
  } catch (error) {
    if (error instanceof TypeDefinitionError) throw new SchemaError(`field "${field.name}": ${error.message}`);
    throw error;
  }
  const c = field.constraints ?? {};
  if (!isObject(c)) throw new SchemaError(`field "${field.name}": constraints must be an object`);
  for (const key of Object.keys(c)) {
    if (!CONSTRAINTS.has(key)) throw new SchemaError(`field "${field.name}": unknown constraint "${key}"`);
  }
  if (c.required !== undefined && typeof c.required !== 'boolean') throw new SchemaError(`field "${field.name}": constraint required must be true or false`);
  if (c.unique !== undefined && typeof c.unique !== 'boolean') throw new SchemaError(`field "${field.name}": constraint unique must be true or false`);
  for (const k of ['minLength', 'maxLength'] as const) {
    if (c[k] !== undefined && !(Number.isInteger(c[k]) && (c[k] as number) >= 0))
      throw new SchemaError(`field "${field.name}": constraint ${k} must be a whole number ≥ 0`);
  }
  let pattern: Pattern | null = null;
  if (c.pattern !== undefined) {
    if (typeof c.pattern !== 'string') throw new SchemaError(`field "${field.name}": constraint pattern must be a string`);
    try {
      pattern = compileTableSchemaPattern(c.pattern);
    } catch (error) {
      if (error instanceof PatternError) throw new SchemaError(`field "${field.name}": ${error.message}`);
      throw error;
    }
  }
  let enumKeys: Set<string> | null = null;
  let enumValues: string[] = [];
  if (c.enum !== undefined) {
    if (!Array.isArray(c.enum) || c.enum.length === 0) throw new SchemaError(`field "${field.name}": constraint enum must be a non-empty list`);
    enumValues = c.enum.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    enumKeys = new Set(
      c.enum.map((v) => {
        if (typeof v === 'string') {
          const cast = info.cast(v);
          if (cast === INVALID) throw new SchemaError(`field "${field.name}": enum value ${JSON.stringify(v)} is not a ${type} value`);
          return valueKey(cast);
        }
        return valueKey(v);
      }),
    );
  }
  const minimum = c.minimum ?? c.exclusiveMinimum;
  const maximum = c.maximum ?? c.exclusiveMaximum;
  const hasValueConstraints =
    c.minLength !== undefined || c.maxLength !== undefined || minimum !== undefined || maximum !== undefined || pattern !== null || enumKeys !== null;
  return {
    hasValueConstraints,
    name: field.name,
    index,
    type,
    descriptor: field,
    info,
    required: c.required === true,
    minLength: (c.minLength as number | undefined) ?? null,
    maxLength: (c.maxLength as number | undefined) ?? null,
    minimum: minimum === undefined ? undefined : limitValue(field, info, minimum, 'minimum'),
    maximum: maximum === undefined ? undefined : limitValue(field, info, maximum, 'maximum'),
    minimumExclusive: c.minimum === undefined && c.exclusiveMinimum !== undefined,
    maximumExclusive: c.maximum === undefined && c.exclusiveMaximum !== undefined,
    minimumText: minimum === undefined ? '' : String(minimum),
    maximumText: maximum === undefined ? '' : String(maximum),
    pattern,
    enumKeys,
    enumValues,
    unique: c.unique === true,
  };
}

/** Checks and compiles a Table Schema descriptor (already parsed from JSON). */
export function compileSchema(descriptor: unknown): CompiledSchema {
  if (!isObject(descriptor)) throw new SchemaError('a Table Schema must be a JSON object');
  if (!Array.isArray(descriptor.fields) || descriptor.fields.length === 0) throw new SchemaError('a Table Schema needs a non-empty "fields" list');
  const names = new Set<string>();
  const fields = descriptor.fields.map((f, i) => compileField(f, i, names));
  const byName = new Map(fields.map((f) => [f.name, f]));
  const missing = descriptor.missingValues ?? [''];
  if (!Array.isArray(missing) || !missing.every((v) => typeof v === 'string')) throw new SchemaError('"missingValues" must be a list of strings');
  let primaryKey: string[] = [];
  if (descriptor.primaryKey !== undefined) {
    const pk = typeof descriptor.primaryKey === 'string' ? [descriptor.primaryKey] : descriptor.primaryKey;
    if (!Array.isArray(pk) || pk.length === 0 || !pk.every((n) => typeof n === 'string'))
      throw new SchemaError('"primaryKey" must be a field name or a list of field names');
    for (const n of pk) {
      if (!byName.has(n)) throw new SchemaError(`"primaryKey" names "${n}", which is not a field`);
      // The specification: a primary key implies required.
      byName.get(n)!.required = true;
    }
    primaryKey = pk;
  }
  const customChecks = descriptor.custom_checks ?? [];
  const problem = checkCustomChecks(customChecks);
  if (problem) throw new SchemaError(problem);
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    descriptor,
    name: text(descriptor.name),
    title: text(descriptor.title),
    version: text(descriptor.version),
    fields,
    byName,
    missingValues: new Set(missing as string[]),
    primaryKey,
    customChecks: customChecks as CustomCheckDescriptor[],
  };
}

/** Parses and compiles schema JSON text. */
export function parseSchema(text: string): CompiledSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SchemaError(`the schema is not valid JSON (${(error as Error).message})`);
  }
  return compileSchema(json);
}
