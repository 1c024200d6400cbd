// Demo roadmaps (seed-data.ts lists the projects and their SLUGS, which funding/ and network/ rely on):
// projects through the same checks and action as the API, manual indicator values, the indicators Bastide
// measures itself measured once, and the open dataset published. Idempotent: a project, an indicator or a
// value already there is left as it is.
import type { AppDeps } from '../../core/module.ts';
import { translator } from '../../core/i18n/i18n.ts';
import type { Principal } from './roadmap.policy.ts';
import { checkProject } from './roadmap.schema.ts';
import { findProject } from './projects.repository.ts';
import { createProjectIn } from './actions/projects.ts';
import { insertIndicator, upsertValue } from './indicators/indicators.repository.ts';
import { measureTenant } from './indicators/measure.ts';
import { publishRoadmapDataset } from './dataset.ts';
import { DEMO_ROADMAPS, MEASURED, type DemoIndicator } from './seed-data.ts';

type Seed = Pick<AppDeps, 'db' | 'config'>;

async function ensureIndicator(deps: Seed, tenantId: string, projectId: string | null, d: DemoIndicator): Promise<void> {
  await deps.db.transaction(tenantId, async (tx) => {
    const found = await tx.one<{ id: string }>(
      'select id from roadmap_indicators where tenant_id = app_tenant() and name = $1 and project_id is not distinct from $2::uuid',
      [d.name, projectId],
    );
    const id =
      found?.id ??
      (await insertIndicator(tx, {
        project_id: projectId,
        name: d.name,
        unit: d.unit,
        target: d.target ?? null,
        target_on: d.target_on ?? null,
        source: d.source ?? 'manual',
      }));
    if (found) return;
    for (const [on, value] of d.values ?? []) await upsertValue(tx, { indicator_id: id, measured_on: on, value, unit: d.unit, origin: 'manual' });
  });
}

export async function seedRoadmapDemo(deps: Seed, log: (line: string) => void = () => {}): Promise<void> {
  const { db } = deps;
  for (const [slug, projects] of Object.entries(DEMO_ROADMAPS)) {
    const tenant = await db.transaction(null, (tx) =>
      tx.one<{ id: string; name: string; official_code: string | null }>('select id, name, official_code from tenants where slug = $1', [slug]),
    );
    if (!tenant) continue;
    const p: Principal = { tenantId: tenant.id, actor: 'seed', roles: ['tenant_admin'], t: translator('fr') };
    let created = 0;
    for (const demo of projects) {
      const checked = checkProject(demo.body, p.t);
      if (!checked.ok) throw new Error(`demo project ${slug}/${demo.slug}: ${JSON.stringify(checked.errors)}`);
      const project = await db.transaction(tenant.id, async (tx) => {
        const existing = await findProject(tx, demo.slug);
        if (existing) return existing;
        created += 1;
        return createProjectIn(tx, p, checked.value, demo.slug);
      });
      for (const indicator of demo.indicators ?? []) await ensureIndicator(deps, tenant.id, project.id, indicator);
    }
    for (const indicator of MEASURED) await ensureIndicator(deps, tenant.id, null, indicator);
    const measured = await measureTenant(deps, tenant.id, 'seed');
    const dataset = await publishRoadmapDataset(deps, tenant, 'seed');
    log(`feuille de route de ${tenant.name} : ${created} projet(s) créé(s), ${measured} mesure(s) Bastide, jeu de données ${dataset}`);
  }
}
