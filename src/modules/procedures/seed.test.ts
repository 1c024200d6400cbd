// The demo data: every demo EPCI gets its three published procedures, commune groups with routing,
// dossiers in every state; running the seed twice changes nothing; the RGPD register lists them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { type TestApp } from '../../../test/helpers/app.ts';
import { seedCoreDemo } from '../../core/seed/demo.ts';
import { findEpci } from '../../core/territory/cog.ts';
import { startOpsApp } from '../../../test/support/procedures/ops.ts';
import { seedProceduresDemo } from './seed.ts';
import { proceduresPrivacyRegister } from './privacy.ts';

let t: TestApp;
before(async () => {
  t = await startOpsApp();
});
after(() => t.close());

test('each demo EPCI gets three realistic procedures, routed groups and dossiers in every state', async () => {
  await seedCoreDemo(t.db);
  const lines: string[] = [];
  await seedProceduresDemo({ db: t.db, config: t.config }, (l) => lines.push(l));
  assert.equal(lines.length, 4, lines.join('\n'));
  for (const slug of ['nantes-metropole', 'toulouse-metropole', 'sicoval', 'cc-lacq-orthez']) {
    const tenant = (await t.db.transaction(null, (tx) =>
      tx.one<{ id: string; official_code: string }>('select id, official_code from tenants where slug = $1', [slug]),
    ))!;
    const summary = await t.db.transaction(tenant.id, async (tx) => ({
      procedures: (await tx.query<{ slug: string; state: string }>('select slug, state from procedures order by slug')).map((p) => `${p.slug}:${p.state}`),
      states: (await tx.query<{ state: string }>('select distinct state from dossiers order by state')).map((r) => r.state),
      groups: Number((await tx.one<{ n: string }>('select count(*)::text as n from agent_groups'))!.n),
      files: Number((await tx.one<{ n: string }>('select count(*)::text as n from dossier_attachments'))!.n),
      messages: Number((await tx.one<{ n: string }>('select count(*)::text as n from dossier_messages'))!.n),
      reports: await tx.query<{ commune: string; group_name: string | null }>(
        `select d.data->>'commune' as commune, g.name as group_name from dossiers d
         join procedures p on p.tenant_id = d.tenant_id and p.id = d.procedure_id
         left join agent_groups g on g.tenant_id = d.tenant_id and g.id = d.group_id
         where p.slug = 'signalement-sur-l-espace-public' and d.state <> 'brouillon'`,
      ),
    }));
    assert.deepEqual(
      summary.procedures,
      ['demande-de-subvention-associative:published', 'reservation-de-salle-municipale:published', 'signalement-sur-l-espace-public:published'],
      slug,
    );
    assert.deepEqual(summary.states, ['accepte', 'brouillon', 'en_construction', 'en_instruction', 'refuse', 'sans_suite']);
    assert.equal(summary.groups, findEpci(tenant.official_code)!.membres.length + 3);
    assert.ok(summary.files >= 6 && summary.messages >= 4, JSON.stringify(summary));
    const members = new Map(findEpci(tenant.official_code)!.membres.map((m) => [m.code, m.nom]));
    assert.equal(summary.reports.length, 4);
    for (const r of summary.reports) assert.equal(r.group_name, `Services techniques — ${members.get(r.commune)}`, 'each report goes to its commune’s group');
    assert.ok(new Set(summary.reports.map((r) => r.commune)).size > 1);
    const register = await proceduresPrivacyRegister({ db: t.db }, tenant.id);
    assert.equal(register.length, 3);
    assert.match(register.find((r) => r.name.includes('Signalement'))!.purpose, /anonymisés 180 jours après la décision/);
    if (slug === 'sicoval') {
      const legal = await t.app.inject(`/${slug}/legal/donnees-personnelles`);
      assert.equal(legal.statusCode, 200);
      assert.ok(legal.body.includes('Démarche « Réservation de salle municipale »'), 'the register page lists each procedure');
    }
  }
  await seedProceduresDemo({ db: t.db, config: t.config }, (l) => lines.push(l));
  assert.equal(lines.length, 4, 'a second run adds nothing');
  // The queued notifications are real: the receipt emails go out.
  await t.deps.jobs.drain();
  const failed = await t.db.ownerTransaction((tx) =>
    tx.query<{ kind: string; last_error: string }>(`select kind, last_error from jobs where state <> 'done' and kind like 'procedures.%'`),
  );
  assert.deepEqual(failed, []);
});
