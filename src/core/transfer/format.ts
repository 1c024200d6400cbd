// The tenant archive (docs/tenant-export.md): one zip file.
//   manifest.json             format, version, source installation, the collectivité, and each part
//                             below with its size, its SHA-256 and (tables) its number of rows
//   tenant.json               the collectivité's row (name, kind, codes, settings) and its links to others
//   people.jsonl              the accounts its rows refer to, without credentials unless asked
//   tables/NNN-<table>.jsonl  one JSON object per row (PostgreSQL's row_to_json), tables in dependency
//                             order (NNN), rows of a table pointing to itself parents first
//   files/<sha256>            the stored files, named by their content
import type { Engine } from '../db/database.ts';

export const FORMAT = 'bastide.tenant-export';
export const FORMAT_VERSION = 1;
export const MANIFEST = 'manifest.json';
export const TENANT_PART = 'tenant.json';
export const PEOPLE_PART = 'people.jsonl';

/** Part names an archive may hold; anything else is refused before it is read. */
export const PART_NAME = /^(manifest\.json|tenant\.json|people\.jsonl|tables\/\d{3}-[a-z_][a-z0-9_]{0,62}\.jsonl|files\/[0-9a-f]{64})$/;

/**
 * Tables with a tenant_id that are not exported as rows, and why:
 * - jobs: the installation's work queue (mails, webhooks in flight): it runs where it was queued;
 * - tenant_relations: links to other collectivités, carried by slug in tenant.json and restored on import
 *   where the other side exists;
 * - tenant_exports: the export files themselves.
 * - job_effects: which of the queue's jobs committed their effect (core/jobs/effects.ts); the jobs stay too.
 * Tables named `<name>_<32 hex digits>` are created at run time for one object (the catalogue's tabular
 * loads, derived from a stored file): no migration creates them on the other side, so they stay out and
 * are rebuilt there from the file.
 */
export function isExcludedTable(name: string): boolean {
  return name === 'jobs' || name === 'job_effects' || name === 'tenant_relations' || name === 'tenant_exports' || /_[0-9a-f]{32}$/.test(name);
}

export interface Part {
  name: string;
  kind: 'tenant' | 'people' | 'table' | 'file';
  /** For tables: the table's name. */
  table?: string;
  /** Rows of a table or of people.jsonl. */
  rows?: number;
  bytes: number;
  sha256: string;
}

export interface TenantLink {
  /**
   * member_of, hosted_by, network_member (tenant_relations) or host (tenants.host_tenant_id); outgoing:
   * this collectivité is `kind` of the other (a member of it, hosted by it), incoming: the other is.
   */
  kind: 'member_of' | 'hosted_by' | 'network_member' | 'host';
  direction: 'outgoing' | 'incoming';
  tenant: { id: string; slug: string; name: string };
}

export interface TenantPart {
  tenant: {
    id: string;
    slug: string;
    name: string;
    kind: string;
    official_code: string | null;
    epci_type: string | null;
    settings: unknown;
    created_at: string;
  };
  links: TenantLink[];
}

export interface Manifest {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  source: { installation: string; engine: Engine; migrations: string[] };
  tenant: { id: string; slug: string; name: string };
  /** True when password hashes, TOTP seeds, token digests and client secrets are included: keep the file safe. */
  withCredentials: boolean;
  parts: Part[];
  /** Installation-wide rows the tables point to, named by their key (references.ts); absent when none. */
  references?: Array<{ table: string; key: string; rows: Array<{ id: string; key: string }> }>;
}

export interface TransferLimits {
  /** Sum of the parts' sizes. */
  totalBytes: number;
  /** One line of a JSON lines part. */
  lineBytes: number;
  manifestBytes: number;
  parts: number;
}

export const DEFAULT_LIMITS: TransferLimits = {
  totalBytes: 256 * 1024 ** 3,
  lineBytes: 64 * 1024 ** 2,
  manifestBytes: 64 * 1024 ** 2,
  parts: 2_000_000,
};

/** A refusal of an archive (hostile, damaged or not for this installation): one clear line. */
export class TransferError extends Error {}
