// The debates module (issue 15, "concertation"): public debates with phases, contributions, supports,
// comments and moderation (contributions/), and the kits territories share — a debate's reusable setup,
// its documents, FAQ, meetings and results (kits/). The first kit is the local 5G debate. See docs/debates.md.
//
// Two parts merged into one manifest (core/module.ts mergeManifestParts): each area declares its own
// routes, jobs, texts, pages and demo data in its part file.
import { fileURLToPath } from 'node:url';
import { mergeManifestParts } from '../../core/module.ts';
import { debatesPart } from './debates-part.ts';
import { kitsPart } from './kits/kits-part.ts';

export const debatesModule = mergeManifestParts(
  {
    name: 'debates',
    // Numbers 0700–0799 (docs/modules.md): 0700–0719 debates and contributions, 0720–0799 kits, meetings, results.
    migrations: { dir: fileURLToPath(new URL('./migrations/', import.meta.url)), first: 700, last: 799 },
  },
  [debatesPart, kitsPart],
);

// Debates and their phases, for the kits part (copying a kit into a debate) and other modules.
export { createDebate, createDebateIn, checkDebateInput, type CreatedDebate } from './actions/create-debate.ts';
export { findDebate, phasesOf, listDebates, type DebateRow, type PhaseRow } from './debates.repository.ts';
export { principalOf as debatesPrincipalOf, canModerate, type Principal as DebatesPrincipal } from './debates.policy.ts';
export type { DebateInput, PhaseInput } from './debates.schema.ts';
// Participation figures for the roadmap's "debate participation" indicator.
export { debatesMetrics, type DebatesMetrics } from './metrics.ts';
