// The roadmap module (issue 16, "feuille de route numérique"): each collectivité's digital projects,
// indicators Bastide measures itself, funding programmes matched to projects and applications, the
// directory of who uses which solution (roadmap-part.ts and its folders), and the network of collectivités —
// its bodies, meetings, contributions, events and the view of its members side by side (network/).
// See docs/roadmap.md.
import { fileURLToPath } from 'node:url';
import { mergeManifestParts } from '../../core/module.ts';
import { roadmapPart } from './roadmap-part.ts';
import { networkPart } from './network/network-part.ts';

export const roadmapModule = mergeManifestParts(
  {
    name: 'roadmap',
    // Numbers 0800–0899 (docs/modules.md): 0800–0849 roadmap, funding, solutions; 0850–0899 the network.
    migrations: { dir: fileURLToPath(new URL('./migrations/', import.meta.url)), first: 800, last: 899 },
  },
  [roadmapPart, networkPart],
);
