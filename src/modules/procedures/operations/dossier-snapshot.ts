// Everything the operations jobs need about one dossier, read in one place: the dossier, its procedure
// and settings, the revision it was filed on, the collectivité, and the applicant's email.
import type { Tx } from '../../../core/db/database.ts';
import type { FieldDefinition } from '../fields/definition.ts';
import { operationsSettings, type OperationsSettings } from './settings.ts';
import { findRevision } from '../procedures.repository.ts';

export interface DossierSnapshot {
  id: string;
  number: string;
  state: string;
  procedureId: string;
  procedureSlug: string;
  procedureTitle: string;
  revision: number;
  fields: FieldDefinition[];
  data: Record<string, unknown>;
  motivation: string | null;
  applicantEmail: string | null;
  groupName: string | null;
  assigneeEmail: string | null;
  labels: string[];
  createdAt: Date;
  submittedAt: Date | null;
  decidedAt: Date | null;
  tenantSlug: string;
  tenantName: string;
  settings: OperationsSettings;
  mediation: Record<string, unknown> | null;
  /** A guest's dossier: its private tracking code can be recomputed (see trackingCodeFor). */
  hasTrackingCode: boolean;
}

interface Row {
  id: string;
  number: string;
  state: string;
  procedure_id: string;
  slug: string;
  title: string;
  revision: number;
  data: Record<string, unknown>;
  motivation: string | null;
  applicant_email: string | null;
  person_email: string | null;
  group_name: string | null;
  assignee_email: string | null;
  labels: string[];
  created_at: Date;
  submitted_at: Date | null;
  decided_at: Date | null;
  tenant_slug: string;
  tenant_name: string;
  settings: unknown;
  mediation: Record<string, unknown> | null;
  has_code: boolean;
}

// The revision's definition (its fields) comes from the per-process cache of immutable revisions
// rather than from the row: a notification batch then reads each definition once, not once per dossier.
// The dossiers are picked by primary key first (a materialised step), then joined: with the stale
// statistics of a table that grew fast, the planner otherwise walked every dossier of the procedure to
// find a few (129 ms instead of well under 1 ms, seen during the submission benchmark).
function select(where: string): string {
  return `with picked as materialized (select * from dossiers where tenant_id = app_tenant() and ${where})
     select d.id, d.number::text as number, d.state, d.procedure_id, p.slug, p.title, d.revision, d.data,
            d.motivation, d.applicant_email, ap.email as person_email, g.name as group_name, asg.email as assignee_email,
            d.labels, d.created_at, d.submitted_at, d.decided_at, t.slug as tenant_slug, t.name as tenant_name,
            p.settings, d.mediation, d.tracking_code_hash is not null as has_code
     from picked d
     join procedures p on p.tenant_id = d.tenant_id and p.id = d.procedure_id
     join tenants t on t.id = d.tenant_id
     left join agent_groups g on g.tenant_id = d.tenant_id and g.id = d.group_id
     left join people ap on ap.id = d.applicant_person_id
     left join people asg on asg.id = d.assignee_id`;
}

async function toSnapshot(tx: Tx, row: Row): Promise<DossierSnapshot> {
  const revision = await findRevision(tx, row.procedure_id, row.revision);
  return {
    id: row.id,
    number: row.number,
    state: row.state,
    procedureId: row.procedure_id,
    procedureSlug: row.slug,
    procedureTitle: row.title,
    revision: row.revision,
    fields: revision?.definition.fields ?? [],
    data: row.data ?? {},
    motivation: row.motivation,
    applicantEmail: row.applicant_email ?? row.person_email,
    groupName: row.group_name,
    assigneeEmail: row.assignee_email,
    labels: row.labels ?? [],
    createdAt: new Date(row.created_at),
    submittedAt: row.submitted_at ? new Date(row.submitted_at) : null,
    decidedAt: row.decided_at ? new Date(row.decided_at) : null,
    tenantSlug: row.tenant_slug,
    tenantName: row.tenant_name,
    settings: operationsSettings(row.settings),
    mediation: row.mediation,
    hasTrackingCode: row.has_code,
  };
}

export async function loadDossierSnapshot(tx: Tx, where: { id: string } | { number: string | number }): Promise<DossierSnapshot | null> {
  const byId = 'id' in where;
  const row = await tx.one<Row>(select(byId ? 'id = $1::uuid' : 'number = $1::bigint'), [byId ? where.id : String(where.number)]);
  return row ? toSnapshot(tx, row) : null;
}

/** Several dossiers of the transaction's collectivité by id, in one query; a dossier deleted since is absent. */
export async function loadDossierSnapshots(tx: Tx, ids: string[]): Promise<Map<string, DossierSnapshot>> {
  const rows = await tx.query<Row>(select('id = any($1::uuid[])'), [ids]);
  const out = new Map<string, DossierSnapshot>();
  for (const row of rows) out.set(row.id, await toSnapshot(tx, row));
  return out;
}
