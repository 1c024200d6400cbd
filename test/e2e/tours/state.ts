// What the tours hand to each other: the procedure the citizen files, the dossier the agent instructs.
export const TENANT = 'nantes-metropole';

export interface TourState {
  /** Title of the procedure the designer created and published (the citizen looks for it). */
  procedureTitle?: string;
  /** Slug of the procedure to file (the designer's own when it could create one, else the first listed). */
  procedureSlug?: string;
  /** The guest's dossier filed with JavaScript on: its number and tracking path (with the private code). */
  dossierNumber?: number;
  trackingPath?: string;
  /** The message the agent sent, that the citizen must see and answer. */
  agentMessage?: string;
  citizenReply?: string;
}

export const state: TourState = {};

/** The procedure form's own <form> (not the header's sign-out form). */
export const PROCEDURE_FORM = 'main form:has(button[name="_action"][value="submit"])';
export const SUBMIT_BUTTON = 'main button[name="_action"][value="submit"]';
