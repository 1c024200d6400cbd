// CSV + Table Schema validation (issue 12): the library the catalogue's uploads, the HTTP endpoint and
// `bastide data validate` share. See docs/catalogue-validation.md.
export { CsvValidator, SourceError, validateCsv, type ReportError, type ReportWarning, type ValidateOptions, type ValidationReport } from './validate.ts';
export { compileSchema, parseSchema, SchemaError, type CompiledSchema } from './schema.ts';
export { bundledSchemaNames, listBundledSchemas, loadBundledSchema, loadSchemaFile, resolveSchema, type BundledSchema } from './bundled.ts';
export type { Locale } from './messages.ts';
