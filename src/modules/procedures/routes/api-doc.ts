// Summary and tag of an API route for the generated OpenAPI document (core/http/openapi.ts reads them
// from the route schema; Fastify's schema type does not declare them, hence this small helper).
export function doc(summary: string, tag: 'procedures' | 'dossiers' | 'groups'): object {
  return { summary, tags: [tag] };
}
