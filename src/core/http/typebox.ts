// Typed routes from their TypeBox schemas. A route declared on `typed(app)` gets its request typed from the
// schemas it declares (`body`, `params`, `querystring`): the schema that is documented (openapi.ts) is the
// one validated (validation.ts, localised errors per field) and the one the handler's types come from, so
// a handler needs no `request.body as …`.
//
// The provider is the one of @fastify/type-provider-typebox, written here (its request half): it is a type
// and nothing else (validation stays with the app's Ajv controller), and that package's current line
// moved to another TypeBox package than the @sinclair/typebox 0.34 the project uses.
import type { FastifyInstance, FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import type { Static, TSchema } from '@sinclair/typebox';
import { AjvCompiler } from '@fastify/ajv-compiler';

/**
 * Requests are typed from their schemas. Answers are not: a handler returns rows with Date values that
 * the serialiser writes as the date-time strings a response schema declares (api-inbox.test.ts checks
 * real answers against the document instead).
 */
export interface TypeBoxTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: unknown;
}

/** The app, with handlers typed by the TypeBox schemas of their routes. */
export function typed(app: FastifyInstance) {
  return app.withTypeProvider<TypeBoxTypeProvider>();
}

export type TypedApp = ReturnType<typeof typed>;

// The options of the app's strict body validator (validation.ts): no coercion, every error reported.
const strictBodies = AjvCompiler()({}, { customOptions: { allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes: false } });

/**
 * Route option `validatorCompiler` of a route that takes JSON or multipart: a JSON body is validated
 * against the route's body schema, strictly, as every JSON body is; a multipart request, whose fields the
 * route reads itself (no parsed body), is not. Errors are Ajv's, so the error handler words them per field
 * as for any other route.
 */
export const validateJsonBodies: FastifySchemaCompiler<unknown> = (route) => {
  const validate = strictBodies(route as Parameters<typeof strictBodies>[0]) as ((data: unknown) => boolean | Promise<unknown>) & { errors?: unknown };
  if (route.httpPart !== 'body') return validate as ReturnType<FastifySchemaCompiler<unknown>>;
  const check = ((data: unknown) => {
    if (data === undefined || data === null) return true;
    const ok = validate(data);
    check.errors = validate.errors as FastifySchemaValidationError[] | null | undefined;
    return ok;
  }) as ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };
  return check;
};
