// Debates, phases, contributions, supports, comments and moderation.
import type { ManifestPart } from '../../core/module.ts';
import { debatesMessages } from './messages.ts';

export const debatesPart: ManifestPart = {
  messages: [debatesMessages],
};
