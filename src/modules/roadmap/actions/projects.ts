// Creating and editing a roadmap project (with its partners and links): one transaction each, the policy
// checked first, every field checked before anything is written, one journal entry.
import type { Database, Tx } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { notFound, unprocessable } from '../../../core/base/errors.ts';
import { slugify } from '../../../core/territory/cog.ts';
import { requireEditor, type Principal } from '../roadmap.policy.ts';
import { checkProject, type ProjectBodyT, type ProjectInput } from '../roadmap.schema.ts';
import { findProject, insertProject, projectSlugTaken, setLinks, setPartners, updateProject, type ProjectRow } from '../projects.repository.ts';

async function freeSlug(tx: Tx, title: string, wanted?: string): Promise<string> {
  const base = (wanted ? slugify(wanted) : slugify(title)).slice(0, 70) || 'projet';
  let slug = base;
  for (let i = 2; await projectSlugTaken(tx, slug); i++) slug = `${base}-${i}`;
  return slug;
}

/** Partner slugs → tenant ids; an unknown slug or the collectivité itself is a field error. */
async function resolvePartners(tx: Tx, p: Principal, input: ProjectInput): Promise<Array<{ tenantId: string; contribution: number | null }>> {
  if (input.partners.length === 0) return [];
  const rows = await tx.query<{ id: string; slug: string }>('select id, slug from tenants where slug = any($1)', [input.partners.map((x) => x.tenant)]);
  const bySlug = new Map(rows.map((r) => [r.slug, r.id]));
  const errors: string[] = [];
  const out: Array<{ tenantId: string; contribution: number | null }> = [];
  for (const partner of input.partners) {
    const id = bySlug.get(partner.tenant);
    if (!id) errors.push(p.t('roadmap.error.partner_unknown', { slug: partner.tenant }));
    else if (id === p.tenantId) errors.push(p.t('roadmap.error.partner_self'));
    else out.push({ tenantId: id, contribution: partner.contribution });
  }
  if (errors.length) throw unprocessable({ partners: errors });
  return out;
}

function checked(p: Principal, body: Partial<ProjectBodyT>): ProjectInput {
  const result = checkProject(body, p.t);
  if (!result.ok) throw unprocessable(result.errors);
  return result.value;
}

/** Inside a transaction (the demo seed calls it too). `slug` keeps a chosen address. */
export async function createProjectIn(tx: Tx, p: Principal, input: ProjectInput, slug?: string): Promise<ProjectRow> {
  const partners = await resolvePartners(tx, p, input);
  const project = await insertProject(tx, await freeSlug(tx, input.fields.title, slug), input.fields);
  await setPartners(tx, project.id, partners);
  await setLinks(tx, project.id, input.links);
  await journal(tx, {
    actor: p.actor,
    action: 'roadmap.project.create',
    subjectType: 'roadmap_project',
    subjectId: project.id,
    data: { slug: project.slug, theme: project.theme, stage: project.stage, partners: partners.map((x) => x.tenantId) },
  });
  return project;
}

export async function createProject(db: Database, p: Principal, body: Partial<ProjectBodyT>): Promise<ProjectRow> {
  requireEditor(p);
  const input = checked(p, body);
  return db.transaction(p.tenantId, (tx) => createProjectIn(tx, p, input));
}

/**
 * Replaces the project's fields; partners and links only when the body names them (a form that does not
 * show them leaves them as they are).
 */
export async function editProject(db: Database, p: Principal, ref: string, body: Partial<ProjectBodyT>): Promise<ProjectRow> {
  requireEditor(p);
  const input = checked(p, body);
  return db.transaction(p.tenantId, async (tx) => {
    const project = await findProject(tx, ref, { lock: true });
    if (!project) throw notFound();
    const partners = body.partners ? await resolvePartners(tx, p, input) : null;
    const updated = await updateProject(tx, project.id, input.fields);
    if (partners) await setPartners(tx, project.id, partners);
    if (body.links) await setLinks(tx, project.id, input.links);
    const changed = Object.keys(input.fields).filter((k) => input.fields[k as keyof typeof input.fields] !== project[k as keyof ProjectRow]);
    await journal(tx, {
      actor: p.actor,
      action: 'roadmap.project.update',
      subjectType: 'roadmap_project',
      subjectId: project.id,
      data: { slug: project.slug, changed, ...(partners ? { partners: partners.map((x) => x.tenantId) } : {}) },
    });
    return updated;
  });
}
