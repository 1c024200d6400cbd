// Projects, indicators, funding programmes, matching, applications and the solutions directory.
import type { ManifestPart } from '../../core/module.ts';
import { roadmapMessages } from './messages.ts';

export const roadmapPart: ManifestPart = {
  messages: [roadmapMessages],
};
