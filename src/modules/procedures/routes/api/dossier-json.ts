// What the dossier routes of the API share: the path parameters of one dossier and its JSON.
import { Type } from '@sinclair/typebox';
import type { DossierRow } from '../../dossiers.repository.ts';

export const NumberParams = Type.Object({ tenant: Type.String(), number: Type.String({ pattern: '^[0-9]{1,15}$' }) });

export function dossierJson(d: DossierRow) {
  return {
    id: d.id,
    number: d.number,
    state: d.state,
    procedure_id: d.procedure_id,
    revision: d.revision,
    group_id: d.group_id,
    assignee_id: d.assignee_id,
    labels: d.labels,
    applicant_email: d.applicant_email,
    mediation: d.mediation,
    data: d.data,
    created_at: d.created_at,
    submitted_at: d.submitted_at,
    instructed_at: d.instructed_at,
    decided_at: d.decided_at,
    motivation: d.motivation,
  };
}
