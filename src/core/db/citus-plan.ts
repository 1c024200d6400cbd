// Where each table would live in a Citus cluster (issue 14, "Citus readiness"). Citus itself is not in
// this machine's registries; citus-plan.test.ts reads the migrated schema's catalog and checks it against
// this list, so that the schema stays distributable by tenant:
//   - every table is listed here (a new table without a decision fails the test);
//   - a distributed table has a NOT NULL tenant_id, and each of its primary keys, unique constraints,
//     unique indexes and exclusion constraints includes tenant_id (Citus enforces uniqueness per shard);
//   - a foreign key between distributed tables includes tenant_id on both sides, at the same place
//     (co-located rows); one from a distributed table to a reference table is fine; none points from a
//     reference or coordinator table to a distributed one; no SET NULL / SET DEFAULT reaches tenant_id.
// docs/deployment.md §4.1 holds the SQL plan generated from this list (citusPlanSql), kept in step by the test.

export type CitusPlacement =
  /** Sharded by tenant_id; every collectivité's rows on one worker, joined locally. */
  | { kind: 'distributed' }
  /** Copied to every worker: small, read everywhere, written rarely. */
  | { kind: 'reference'; why: string }
  /** Stays on the coordinator as a Citus local table (citus_add_local_table_to_metadata). */
  | { kind: 'coordinator'; why: string };

export const DISTRIBUTION_COLUMN = 'tenant_id';

const distributed: CitusPlacement = { kind: 'distributed' };

export const CITUS_PLAN: Readonly<Record<string, CitusPlacement>> = {
  // Core, installation-wide.
  tenants: { kind: 'reference', why: 'every tenant table refers to it; read on every request' },
  people: { kind: 'reference', why: 'accounts span collectivités (memberships, agents, applicants refer to them)' },
  installation_settings: { kind: 'reference', why: 'a few rows read by every process' },
  schema_migrations: { kind: 'reference', why: 'the migration ledger, written only by bastide migrate' },
  sessions: { kind: 'coordinator', why: 'per person, not per collectivité; written at every sign-in, joined with nothing on the workers' },
  auth_email_tokens: { kind: 'coordinator', why: 'per person, short-lived; written and read once' },
  mail_recipient_counts: { kind: 'coordinator', why: 'installation-wide abuse counters, write-hot' },
  jobs: {
    kind: 'coordinator',
    why: 'the queue: installation-wide jobs have no tenant (tenant_id null), claims use FOR UPDATE SKIP LOCKED on one table',
  },
  job_effects: { kind: 'coordinator', why: 'beside the queue: effects of its jobs, installation-wide ones (tenant_id null) included' },
  // Core, per collectivité.
  tenant_relations: distributed,
  memberships: distributed,
  member_invitations: distributed,
  api_tokens: distributed,
  blobs: distributed,
  journal_entries: distributed,
  journal_heads: distributed,
  oidc_providers: distributed,
  oidc_identities: distributed,
  oidc_link_requests: distributed,
  tenant_exports: distributed,
  // Procedures.
  procedures: distributed,
  procedure_revisions: distributed,
  agent_groups: distributed,
  agent_group_members: distributed,
  agent_digests: distributed,
  routing_rules: distributed,
  dossiers: distributed,
  dossier_attachments: distributed,
  dossier_messages: distributed,
  dossier_transitions: distributed,
  dossier_retention: distributed,
  webhook_deliveries: distributed,
  // Catalogue.
  catalogue_datasets: distributed,
  catalogue_resources: distributed,
  catalogue_resource_versions: distributed,
  catalogue_tabular_loads: distributed,
  // Archives.
  archives_rules: distributed,
  archives_units: distributed,
  archives_unit_rules: distributed,
  archives_objects: distributed,
  archives_ingests: distributed,
  archives_fixity: distributed,
  archives_eliminations: distributed,
  archives_elimination_units: distributed,
  archives_transfers: distributed,
  archives_transfer_units: distributed,
  archives_transfer_replies: distributed,
  archives_checkpoints: distributed,
  // Debates (contributions part).
  debates: distributed,
  debate_phases: distributed,
  debate_contributions: distributed,
  debate_comments: distributed,
  debate_supports: distributed,
  debate_reports: distributed,
  debate_blocks: distributed,
  debate_charter_acceptances: distributed,
  debate_contribution_versions: distributed,
  // Debates (kits part, 0720): kits, versions, sharing, uses, documents, FAQ, meetings, datasets, results, follows.
  debate_kits: distributed,
  debate_kit_versions: distributed,
  debate_kit_networks: distributed,
  debate_kit_uses: distributed,
  debate_documents: distributed,
  debate_faq: distributed,
  debate_questions: distributed,
  debate_meetings: distributed,
  debate_meeting_registrations: distributed,
  debate_dataset_rows: distributed,
  debate_datasets: distributed,
  debate_answers: distributed,
  debate_syntheses: distributed,
  debate_follows: distributed,
  debate_phase_notices: distributed,
  // Roadmap: projects and indicators (0800–0819).
  roadmap_projects: distributed,
  roadmap_project_partners: distributed,
  roadmap_indicators: distributed,
  roadmap_indicator_values: distributed,
  roadmap_project_links: distributed,
  // Roadmap: funding (0820–0849). Programmes are the installation's, written by the host operator only.
  roadmap_programmes: { kind: 'reference', why: 'installation-wide funding programmes, read by every collectivité, written rarely by the host' },
  roadmap_programme_changes: { kind: 'reference', why: 'the trail of the programmes (installation-wide), written with them' },
  roadmap_funding_alerts: distributed,
  roadmap_funding_alert_sends: distributed,
  roadmap_funding_applications: distributed,
  roadmap_funding_documents: distributed,
  // Roadmap: the network and the solutions directory (0850–0899).
  network_bodies: distributed,
  network_seats: distributed,
  network_meetings: distributed,
  network_contributions: distributed,
  network_contribution_versions: distributed,
  network_endorsements: distributed,
  network_events: distributed,
  network_event_sessions: distributed,
  network_programmes: distributed,
  network_invitations: distributed,
  network_solutions: distributed,
  network_solution_uses: distributed,
};

/**
 * The SQL that distributes a migrated Bastide database on a Citus coordinator, in an order Citus
 * accepts: reference tables, then coordinator tables, then the distributed ones with each table after
 * the tables its foreign keys point to (`order`, from the catalog).
 */
export function citusPlanSql(distributedOrder: readonly string[]): string {
  const names = (kind: CitusPlacement['kind']) =>
    Object.entries(CITUS_PLAN)
      .filter(([, p]) => p.kind === kind)
      .map(([name]) => name)
      .sort();
  const out: string[] = ['-- Reference tables: a copy on every worker.'];
  for (const name of names('reference')) out.push(`select create_reference_table('${name}');`);
  out.push('-- Coordinator tables: stay on the coordinator, usable with the reference tables.');
  for (const name of names('coordinator')) out.push(`select citus_add_local_table_to_metadata('${name}');`);
  out.push(`-- Distributed by ${DISTRIBUTION_COLUMN}, all co-located (a collectivité's rows on one worker).`);
  let first: string | null = null;
  for (const name of distributedOrder) {
    out.push(`select create_distributed_table('${name}', '${DISTRIBUTION_COLUMN}'${first ? `, colocate_with => '${first}'` : ''});`);
    first ??= name;
  }
  return out.join('\n');
}
