// The dossier states and transitions of Démarches Simplifiées, exactly: one table, read by the actions,
// the API, the pages and the tests. Nothing else decides whether a state change is legal.

export const DOSSIER_STATES = ['brouillon', 'en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'] as const;
export type DossierState = (typeof DOSSIER_STATES)[number];

/** from → the states it may go to. */
export const TRANSITIONS: Readonly<Record<DossierState, readonly DossierState[]>> = {
  brouillon: ['en_construction'],
  en_construction: ['en_instruction'],
  // Decided, or sent back to the citizen for a correction.
  en_instruction: ['accepte', 'refuse', 'sans_suite', 'en_construction'],
  // A decided dossier may be reopened.
  accepte: ['en_instruction'],
  refuse: ['en_instruction'],
  sans_suite: ['en_instruction'],
};

/** Refusing or dismissing must be explained to the citizen. */
export const MOTIVATION_REQUIRED: readonly DossierState[] = ['refuse', 'sans_suite'];
export const DECIDED: readonly DossierState[] = ['accepte', 'refuse', 'sans_suite'];

export function isDossierState(value: unknown): value is DossierState {
  return typeof value === 'string' && (DOSSIER_STATES as readonly string[]).includes(value);
}

export function canTransition(from: DossierState, to: DossierState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The citizen's own transition (brouillon → en_construction) is submission; agents do the others. */
export function isAgentTransition(from: DossierState, to: DossierState): boolean {
  return canTransition(from, to) && from !== 'brouillon';
}

/** Timestamps a transition sets (columns of dossiers). */
export function timestampsFor(to: DossierState): string[] {
  if (to === 'en_construction') return ['submitted_at'];
  if (to === 'en_instruction') return ['instructed_at'];
  if (DECIDED.includes(to)) return ['decided_at'];
  return [];
}
