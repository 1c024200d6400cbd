// Debate kits shared between territories (the 5G kit first), documents, FAQ, meetings, answers and results.
import type { ManifestPart } from '../../../core/module.ts';

export const kitsPart: ManifestPart = {};
