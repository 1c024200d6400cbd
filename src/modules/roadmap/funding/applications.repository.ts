// SQL of funding applications and their documents, in the caller's transaction (RLS: app_tenant()).
import type { Tx } from '../../../core/db/database.ts';
import { APPLICATION_FIELDS, type ApplicationField, type ApplicationFields } from './application-input.ts';

export interface ApplicationRow extends ApplicationFields {
  id: string;
  project_id: string;
  project_slug: string;
  project_title: string;
  programme_id: string;
  programme_slug: string;
  programme_name: string;
  funder: string;
  project_published: boolean;
}

/** How a field reads back when it is not the bare column: dates as 'YYYY-MM-DD' text. */
const READ_AS: Partial<Record<ApplicationField, string>> = {
  submitted_on: 'a.submitted_on::text as submitted_on',
  decided_on: 'a.decided_on::text as decided_on',
  paid_on: 'a.paid_on::text as paid_on',
};
const COLUMNS = `a.id, a.project_id, p.slug as project_slug, p.title as project_title, a.programme_id, g.slug as programme_slug,
  g.name as programme_name, g.funder, ${APPLICATION_FIELDS.map((f) => READ_AS[f] ?? `a.${f}`).join(', ')}, p.published as project_published`;
const FROM = `roadmap_funding_applications a join roadmap_projects p on p.tenant_id = a.tenant_id and p.id = a.project_id
  join roadmap_programmes g on g.id = a.programme_id`;

/** The applications of the collectivité (one project's when given), by project then programme. */
export async function listApplications(tx: Tx, options: { projectId?: string; publishedOnly?: boolean } = {}): Promise<ApplicationRow[]> {
  const where = ['a.tenant_id = app_tenant()'];
  const params: unknown[] = [];
  if (options.projectId) where.push(`a.project_id = $${params.push(options.projectId)}`);
  if (options.publishedOnly) where.push('p.published');
  return tx.query<ApplicationRow>(`select ${COLUMNS} from ${FROM} where ${where.join(' and ')} order by p.title, g.name`, params);
}

export async function findApplication(tx: Tx, id: string, lock = false): Promise<ApplicationRow | null> {
  return tx.one<ApplicationRow>(`select ${COLUMNS} from ${FROM} where a.tenant_id = app_tenant() and a.id = $1${lock ? ' for update of a' : ''}`, [id]);
}

const VALUES = (f: ApplicationFields) => APPLICATION_FIELDS.map((k) => f[k]);

export async function insertApplication(tx: Tx, projectId: string, programmeId: string, f: ApplicationFields): Promise<string | null> {
  const row = await tx.one<{ id: string }>(
    `insert into roadmap_funding_applications (tenant_id, project_id, programme_id, ${APPLICATION_FIELDS.join(', ')})
     values (app_tenant(), $1, $2, ${APPLICATION_FIELDS.map((_, i) => `$${i + 3}`).join(', ')})
     on conflict (tenant_id, project_id, programme_id) do nothing returning id`,
    [projectId, programmeId, ...VALUES(f)],
  );
  return row?.id ?? null;
}

export async function updateApplicationFields(tx: Tx, id: string, f: ApplicationFields): Promise<void> {
  await tx.query(
    `update roadmap_funding_applications set ${APPLICATION_FIELDS.map((k, i) => `${k} = $${i + 2}`).join(', ')}, updated_at = now()
     where tenant_id = app_tenant() and id = $1`,
    [id, ...VALUES(f)],
  );
}

export interface DocumentRow {
  id: string;
  application_id: string;
  sha256: string;
  filename: string;
  size: number;
  content_type: string;
  uploaded_at: Date;
}

export async function listDocuments(tx: Tx, applicationId: string): Promise<DocumentRow[]> {
  return tx.query<DocumentRow>(
    `select d.id, d.application_id, d.sha256, d.filename, b.size::float8 as size, b.content_type, d.uploaded_at
     from roadmap_funding_documents d join blobs b on b.tenant_id = d.tenant_id and b.sha256 = d.sha256
     where d.tenant_id = app_tenant() and d.application_id = $1 order by d.uploaded_at`,
    [applicationId],
  );
}

export async function insertDocument(tx: Tx, applicationId: string, sha256: string, filename: string): Promise<string> {
  const row = await tx.one<{ id: string }>(
    `insert into roadmap_funding_documents (tenant_id, application_id, sha256, filename) values (app_tenant(), $1, $2, $3) returning id`,
    [applicationId, sha256, filename],
  );
  return row!.id;
}

export async function countDocuments(tx: Tx, applicationId: string): Promise<number> {
  return (await tx.one<{ n: number }>(`select count(*)::int as n from roadmap_funding_documents where tenant_id = app_tenant() and application_id = $1`, [
    applicationId,
  ]))!.n;
}
