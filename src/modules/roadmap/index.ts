// The roadmap module (issue 16, "feuille de route numérique"): each collectivité's digital projects,
// indicators Bastide measures itself (roadmap-part.ts), funding programmes matched to projects and
// applications (funding/), and the network of collectivités — its bodies, meetings, contributions, events,
// the directory of who uses which solution and the view of its members side by side (network/).
// See docs/roadmap.md.
import { fileURLToPath } from 'node:url';
import { mergeManifestParts } from '../../core/module.ts';
import { roadmapPart } from './roadmap-part.ts';
import { fundingPart } from './funding/funding-part.ts';
import { networkPart } from './network/network-part.ts';

export const roadmapModule = mergeManifestParts(
  {
    name: 'roadmap',
    // Numbers 0800–0899 (docs/modules.md): 0800–0819 projects and indicators, 0820–0849 funding, 0850–0899 the
    // network and the solutions directory.
    migrations: { dir: fileURLToPath(new URL('./migrations/', import.meta.url)), first: 800, last: 899 },
  },
  [roadmapPart, fundingPart, networkPart],
);

// For funding/ and network/ (H7, H8) and other modules: a collectivité's projects, read in the caller's
// transaction (RLS: app_tenant()). listProjects(tx, { publishedOnly }) → ProjectRow[] by title;
// findProject(tx, idOrSlug, { publishedOnly?, lock? }) → ProjectRow | null; listPooledProjects(tx,
// { includeDrafts }) → other collectivités' projects naming this one as partner; THEMES, STAGES.
export {
  listProjects,
  findProject,
  listPooledProjects,
  THEMES,
  STAGES,
  type ProjectRow,
  type PooledProjectRow,
  type Theme,
  type Stage,
} from './projects.repository.ts';
