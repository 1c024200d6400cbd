// The network of collectivités: members, bodies and seats, meetings, contributions, events, the network view.
import type { ManifestPart } from '../../../core/module.ts';

export const networkPart: ManifestPart = {};
