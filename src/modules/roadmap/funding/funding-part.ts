// Funding programmes (as Aides-territoires describes aids), matching projects to them, saved searches with
// alerts, applications and funding plans.
import type { ManifestPart } from '../../../core/module.ts';

export const fundingPart: ManifestPart = {};
