// TypeBox schemas of the funding API: bodies validated by Fastify, and the OpenAPI document generated from them.
import { Type, type Static } from '@sinclair/typebox';
import type { ProgrammeField } from '../programme-input.ts';

export const doc = (summary: string, tag = 'funding-programmes'): object => ({ summary, tags: [tag] });

const nullable = (schema: { type: string; format?: string; description?: string; minimum?: number; maximum?: number }) =>
  Type.Unsafe<unknown>({ ...schema, type: [schema.type, 'null'] });

export const ProgrammeBody = Type.Object(
  {
    name: Type.String({ maxLength: 1000 }),
    funder: Type.String({ maxLength: 1000, description: 'Required: a programme without a funder is refused' }),
    nature: Type.String({ description: 'grant, loan, engineering or other' }),
    description: Type.Optional(Type.String({ maxLength: 40000 })),
    audiences: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10, description: 'commune, epci, departement, region, syndicate' }),
    territory: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 1000, description: "COG codes: 'FR', 'R:52', 'D:44', 'E:<SIREN>', 'C:<INSEE>'" }),
    themes: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }),
    population_min: Type.Optional(nullable({ type: 'integer' })),
    population_max: Type.Optional(nullable({ type: 'integer' })),
    max_rate: Type.Optional(nullable({ type: 'integer', description: 'Percent, 0 to 100' })),
    max_amount: Type.Optional(nullable({ type: 'integer', description: 'Whole euros' })),
    opens_on: Type.Optional(nullable({ type: 'string', description: 'YYYY-MM-DD' })),
    closes_on: Type.Optional(nullable({ type: 'string', description: 'YYYY-MM-DD, not before opens_on' })),
    recurrence: Type.String({ description: 'permanent, annual or one_off' }),
    url: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const ProgrammeItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String(),
  funder: Type.String(),
  nature: Type.String(),
  description: Type.String(),
  audiences: Type.Array(Type.String()),
  territory: Type.Array(Type.String()),
  themes: Type.Array(Type.String()),
  population_min: nullable({ type: 'integer' }),
  population_max: nullable({ type: 'integer' }),
  max_rate: nullable({ type: 'integer' }),
  max_amount: nullable({ type: 'number' }),
  opens_on: nullable({ type: 'string' }),
  closes_on: nullable({ type: 'string' }),
  recurrence: Type.String(),
  url: Type.String(),
});

/** The body and the item name exactly the programme's fields (PROGRAMME_FIELDS): one added to the list and not here does not compile. */
type SameKeys<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : false;
export const PROGRAMME_SCHEMAS_NAME_EVERY_FIELD: [
  SameKeys<keyof Static<typeof ProgrammeBody>, ProgrammeField>,
  SameKeys<keyof Static<typeof ProgrammeItem>, ProgrammeField | 'id' | 'slug'>,
] = [true, true];

export const ProgrammeQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    theme: Type.Optional(Type.String({ maxLength: 40 })),
    audience: Type.Optional(Type.String({ maxLength: 20 })),
    nature: Type.Optional(Type.String({ maxLength: 20 })),
    open: Type.Optional(Type.String({ description: "'1': only programmes not closed today" })),
    page: Type.Optional(Type.String({ maxLength: 6 })),
  },
  { additionalProperties: false },
);

export const ProgrammePage = Type.Object({ items: Type.Array(ProgrammeItem), total: Type.Integer(), page: Type.Integer(), per_page: Type.Integer() });

export const MatchItem = Type.Object({
  programme: Type.Object({ slug: Type.String(), name: Type.String(), funder: Type.String() }),
  eligible: Type.Boolean(),
  expected: nullable({ type: 'integer' }),
  reasons: Type.Array(Type.Object({ criterion: Type.String(), ok: Type.Boolean(), text: Type.String() })),
});
