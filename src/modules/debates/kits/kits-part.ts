// Debate kits shared between territories (the 5G kit first), documents, FAQ, meetings, answers and results.
import type { ManifestPart } from '../../../core/module.ts';
import { debatesKitsMessages } from './messages-kits.ts';

export const kitsPart: ManifestPart = {
  messages: [debatesKitsMessages],
};
