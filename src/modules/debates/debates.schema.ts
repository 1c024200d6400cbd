// TypeBox schemas of the debates API bodies and queries (validated by Fastify, documented in OpenAPI), and
// the limits every way in shares (API, HTML forms, kits): a text over its limit is refused with a message.
import { Type, type Static } from '@sinclair/typebox';

export const LIMITS = {
  title: 200,
  presentation: 20_000,
  charter: 20_000,
  phaseSummary: 2000,
  phaseDescription: 20_000,
  contributionTitle: 200,
  contributionBody: 10_000,
  commentBody: 5000,
  displayName: 80,
  reason: 500,
  reportDetails: 1000,
  phases: 12,
} as const;

export const PHASE_KINDS = ['information', 'contributions', 'synthesis', 'answers'] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];
export const CONTRIBUTION_KINDS = ['proposal', 'question', 'opinion'] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];
export const STANCES = ['for', 'against', 'neutral'] as const;
export type Stance = (typeof STANCES)[number];
export const ANSWER_STATUSES = ['retained', 'studied', 'not_retained'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];
export const REPORT_REASONS = ['spam', 'offensive', 'off_topic', 'personal_data', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export const SORTS = ['recent', 'supported'] as const;

// An enum of strings, typed as the union of its values (a union of literals built by map() loses them).
const oneOf = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>(Type.String({ enum: [...values] }));
// Lengths are checked by the actions (a localised message naming the limit); the schema only bounds the
// request so that a megabyte title is refused before anything else.
const Text = Type.String({ maxLength: 100_000 });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const PhaseInput = Type.Object(
  {
    kind: oneOf(PHASE_KINDS),
    title: Type.Optional(Text),
    description: Type.Optional(Text),
    summary: Type.Optional(Text),
    starts_on: Day,
    ends_on: Day,
  },
  { additionalProperties: false },
);
export type PhaseInput = Static<typeof PhaseInput>;

export const DebateInput = Type.Object(
  {
    title: Text,
    slug: Type.Optional(Type.String({ maxLength: 80 })),
    presentation: Type.Optional(Text),
    status: Type.Optional(oneOf(['draft', 'published', 'closed'] as const)),
    moderation: Type.Optional(oneOf(['pre', 'post'] as const)),
    charter: Type.Optional(Text),
    phases: Type.Array(PhaseInput, { maxItems: 50 }),
    // Run for the collectivité's members (0750; refused when it has none).
    for_members: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DebateInput = Static<typeof DebateInput>;

/** A mediator's post with and for a person: that person's consent (as procedures' mediated filings). */
export const MediationInput = Type.Object(
  { name: Type.String({ maxLength: 1000 }), how: Type.String({ maxLength: 2000 }), given_at: Type.Optional(Type.String({ maxLength: 40 })) },
  { additionalProperties: false },
);

export const ContributionInput = Type.Object(
  {
    kind: oneOf(CONTRIBUTION_KINDS),
    stance: Type.Optional(oneOf(STANCES)),
    title: Text,
    body: Text,
    /** A pseudonym instead of the account's display name. */
    pseudonym: Type.Optional(Type.String({ maxLength: 1000 })),
    accept_charter: Type.Optional(Type.Boolean()),
    mediation: Type.Optional(MediationInput),
  },
  { additionalProperties: false },
);
export type ContributionInput = Static<typeof ContributionInput>;

export const CommentInput = Type.Object(
  {
    body: Text,
    parent: Type.Optional(Type.String({ format: 'uuid' })),
    pseudonym: Type.Optional(Type.String({ maxLength: 1000 })),
    accept_charter: Type.Optional(Type.Boolean()),
    mediation: Type.Optional(MediationInput),
  },
  { additionalProperties: false },
);
export type CommentInput = Static<typeof CommentInput>;

export const ReportInput = Type.Object(
  { reason: oneOf(REPORT_REASONS), details: Type.Optional(Type.String({ maxLength: 100_000 })), comment: Type.Optional(Type.String({ format: 'uuid' })) },
  { additionalProperties: false },
);
export type ReportInput = Static<typeof ReportInput>;

export const HideInput = Type.Object(
  { reason: Type.String({ maxLength: 100_000 }), comment: Type.Optional(Type.String({ format: 'uuid' })) },
  { additionalProperties: false },
);
export const ApproveInput = Type.Object({ comment: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false });
export const BlockInput = Type.Object(
  { person: Type.String({ format: 'uuid' }), reason: Type.String({ maxLength: 100_000 }) },
  { additionalProperties: false },
);

export const ContributionQuery = Type.Object(
  {
    kind: Type.Optional(oneOf(CONTRIBUTION_KINDS)),
    phase: Type.Optional(Type.Integer({ minimum: 0, maximum: 49 })),
    status: Type.Optional(oneOf([...ANSWER_STATUSES, 'unanswered'] as const)),
    sort: Type.Optional(oneOf(SORTS)),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type ContributionFilters = Static<typeof ContributionQuery>;
