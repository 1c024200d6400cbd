// Demo data of the archives (`bastide seed demo`): in each demo EPCI, the archivist has deposited a fonds
// of council deliberations kept for good (communicable at once) with a small PDF and a CSV, and a file of
// 2012 subsidy applications whose retention ended (10 years, then destroy): it shows in the elimination
// proposals. Built with ingestUnits, like a real deposit. Idempotent: a collectivité that already has
// the demo deposit is left as it is.
import { Readable } from 'node:stream';
import type { AppDeps } from '../../core/module.ts';
import { translator } from '../../core/i18n/i18n.ts';
import { DEMO_DOMAIN, DEMO_TENANTS } from '../../core/seed/demo.ts';
import { renderPdf } from '../procedures/index.ts';
import type { Principal } from './archives.policy.ts';
import { ingestUnits } from './actions/ingest.ts';
import { archiveDecidedDossiers } from './actions/archive-dossiers.ts';

type Seed = Pick<AppDeps, 'db' | 'config'>;
export const DEMO_REF = 'demo';

export async function seedArchivesDemo(deps: Seed, log: (line: string) => void = () => {}): Promise<void> {
  const archivist = await deps.db.transaction(null, (tx) =>
    tx.one<{ id: string }>('select id from people where lower(email) = lower($1)', [`archiviste@${DEMO_DOMAIN}`]),
  );
  for (const t of DEMO_TENANTS.filter((x) => x.kind === 'epci')) {
    const tenant = await deps.db.transaction(null, (tx) => tx.one<{ id: string; name: string }>('select id, name from tenants where slug = $1', [t.slug]));
    if (!tenant) continue;
    if (await deps.db.transaction(tenant.id, (tx) => tx.one('select 1 from archives_ingests where source_ref = $1', [DEMO_REF]))) continue;
    const p: Principal = {
      tenantId: tenant.id,
      actor: archivist ? `person:${archivist.id}` : 'seed',
      personId: archivist?.id ?? null,
      roles: ['archivist'],
      t: translator('fr'),
    };
    const deliberation = renderPdf({
      title: 'Délibération 2014-032',
      blocks: [
        { type: 'title', text: 'Délibération n° 2014-032' },
        { type: 'paragraph', text: 'Le conseil communautaire approuve le schéma de mutualisation des services numériques.' },
      ],
    });
    const csv = 'numero;date;objet\n2014-031;2014-03-12;Budget primitif\n2014-032;2014-03-12;Schéma de mutualisation\n';
    await ingestUnits(deps, p, {
      kind: 'upload',
      source_ref: DEMO_REF,
      units: [
        {
          title: 'Délibérations du conseil communautaire 2010-2015',
          level: 'Series',
          start_date: '2010-01-01',
          end_date: '2015-12-31',
          originating_agency: tenant.name,
          archival_agency: 'Service des archives',
          keywords: ['délibérations', 'conseil communautaire'],
          rules: [
            { category: 'appraisal', rule_code: 'APP-DELIB-C', start_date: '2015-12-31' },
            { category: 'access', rule_code: 'ACC-00', start_date: '2015-12-31' },
          ],
          children: [
            {
              title: 'Séance du 12 mars 2014',
              level: 'File',
              start_date: '2014-03-12',
              end_date: '2014-03-12',
              keywords: ['mutualisation'],
              objects: [
                { filename: 'deliberation-2014-032.pdf', source: Readable.from([deliberation]) },
                { filename: 'registre-2014.csv', source: Readable.from([Buffer.from(csv)]) },
              ],
            },
          ],
        },
        {
          title: 'Demandes de subvention associative 2012',
          level: 'File',
          start_date: '2012-01-15',
          end_date: '2012-12-20',
          originating_agency: tenant.name,
          keywords: ['subventions', 'associations'],
          description: 'Dossiers instruits en 2012 ; DUA de 10 ans échue, sort final : destruction.',
          rules: [
            { category: 'appraisal', rule_code: 'APP-DOSSIER-10-D', start_date: '2013-01-01' },
            { category: 'access', rule_code: 'ACC-50', start_date: '2012-12-20' },
          ],
          objects: [{ filename: 'demandes-2012.txt', source: Readable.from([Buffer.from('Liste des demandes de subvention 2012.\n')]) }],
        },
      ],
    });
    log(`archives: demo deposit for ${t.slug}`);
  }
  // The decided dossiers the procedures' demo data flagged "archive" are filed now, as the hourly job would.
  const filed = await archiveDecidedDossiers(deps);
  if (filed.archived) log(`archives: ${filed.archived} decided dossier(s) filed`);
}
