// Demo data of the whole debates module (idempotent: nothing is added when the 5G debate exists).
// Nantes Métropole adopts the product's 5G kit into its library (shared with the collectivités it hosts)
// and runs the 5G debate copied from it, started 20 days ago so the contributions phase is open:
// contributions by two demo residents (through the contributions part's actions), one hidden with its
// reason, official answers, a workshop with its minutes, the (fictitious) ANFR sample of radio sites, the
// synthesis draft and the contributions' open dataset. Toulouse Métropole has copied the same kit. The 5G
// debate is run for Nantes Métropole's member communes (0750), so /nantes/concertations lists it.
import { readFileSync } from 'node:fs';
import type { AppDeps } from '../../../core/module.ts';
import { translator, type Translate } from '../../../core/i18n/i18n.ts';
import type { Role } from '../../../core/base/roles.ts';
import { DEMO_DOMAIN } from '../../../core/seed/demo.ts';
import type { Principal } from '../debates.policy.ts';
import { setDebateStatus, findDebate } from '../debates.repository.ts';
import { postContribution } from '../actions/contribute.ts';
import { hideContent } from '../actions/moderate.ts';
import { addDays } from './kit-format.ts';
import { today } from '../phases.ts';
import { PRODUCT_KITS } from './product-kits.ts';
import { adoptProductKit } from './actions/kit-library.ts';
import { copyKitIntoDebate } from './actions/copy-kit.ts';
import { loadDebateDataset, communesOf } from './actions/datasets.ts';
import { linkCatalogueDataset } from './actions/staff-documents.ts';
import { answerContribution, publishContributionsDataset } from './actions/results.ts';
import { publishMinutes } from './actions/meetings.ts';
import { meetingsOf } from './meetings.repository.ts';
import { setDebateForMembers } from './actions/staff-content.ts';

export const DEMO_DEBATE = 'debat-5g';

async function principal(deps: Pick<AppDeps, 'db'>, slug: string, email: string, roles: Role[], t: Translate) {
  return deps.db.transaction(null, async (tx) => {
    const tenant = await tx.one<{ id: string; kind: string; official_code: string | null }>('select id, kind, official_code from tenants where slug = $1', [
      slug,
    ]);
    const person = await tx.one<{ id: string; display_name: string }>('select id, display_name from people where lower(email) = lower($1)', [email]);
    if (!tenant || !person) return null;
    const p: Principal = {
      tenantId: tenant.id,
      actor: `person:${person.id}`,
      personId: person.id,
      displayName: person.display_name,
      viaToken: false,
      roles,
      t,
      address: null,
    };
    return { p, tenant };
  });
}

export async function seedDebatesDemo(deps: Pick<AppDeps, 'db' | 'config'>, log: (line: string) => void): Promise<void> {
  const t = translator('fr');
  const team = await principal(deps, 'nantes-metropole', `moderateur@${DEMO_DOMAIN}`, ['moderator'], t);
  if (!team) return;
  const exists = await deps.db.transaction(team.p.tenantId, (tx) => findDebate(tx, DEMO_DEBATE));
  // Run for Nantes Métropole's member communes (Nantes, Rezé in the demo): each one's list shows it.
  const forMembers = async (debateId: string) => {
    const on = await setDebateForMembers(deps.db, team.p, debateId, true).then(
      () => true,
      () => false,
    );
    if (on) log(`  menée pour les communes membres : /nantes/concertations, /reze/concertations`);
  };
  if (exists) return forMembers(exists.id);

  await adoptProductKit(deps.db, team.p, 'debat-local-5g', { sharing: 'hosted' }).catch(() => null);
  const start = addDays(today(), -20);
  const created = await copyKitIntoDebate(
    deps.db,
    team.p,
    { ownerSlug: 'nantes-metropole', slug: 'debat-local-5g' },
    { startsOn: start, slug: DEMO_DEBATE, title: 'La 5G dans la métropole nantaise' },
  );
  const debate = created.debate;
  await deps.db.transaction(team.p.tenantId, async (tx) => {
    await setDebateStatus(tx, debate.id, 'published');
    await tx.execute(
      `update debate_meetings set place = 'Salle fictive de démonstration, 2 cours du Champ-de-Mars, Nantes' where tenant_id = app_tenant() and debate_id = $1`,
      [debate.id],
    );
  });
  log(`concertation « ${debate.title} » (/nantes-metropole/concertations/${DEMO_DEBATE}/), copiée du kit 5G`);
  await forMembers(debate.id);

  const sample = PRODUCT_KITS[0]!.samples['sites-radioelectriques']!;
  const loaded = await loadDebateDataset(deps.db, team.p, debate.id, 'sites-radioelectriques', readFileSync(sample), {
    inseeCodes: communesOf(team.tenant),
    sourceNote: 'Échantillon FICTIF au format ANFR (table SUP_SUPPORT), fourni pour la démonstration : ce ne sont pas de vraies antennes.',
  });
  log(`  ${loaded.rows} sites radioélectriques (échantillon fictif)`);
  // A published dataset of the catalogue linked to the debate: a table on its information page.
  const linked = await linkCatalogueDataset(deps.db, team.p, debate.id, 'equipements-collectifs').catch(() => null);
  if (linked) log('  jeu de données du catalogue lié : équipements collectifs');

  const camille = await principal(deps, 'nantes-metropole', `citoyen@${DEMO_DOMAIN}`, ['citizen'], t);
  const karim = await principal(deps, 'nantes-metropole', `mediateur@${DEMO_DOMAIN}`, ['citizen'], t);
  if (!camille || !karim) return;
  const post = (who: Principal, kind: 'proposal' | 'question' | 'opinion', title: string, body: string, stance?: 'for' | 'against' | 'neutral') =>
    postContribution(deps.db, who, debate.id, { kind, title, body, accept_charter: true, ...(stance ? { stance } : {}) });
  const measure = await post(
    camille.p,
    'proposal',
    'Publier les mesures d’exposition près des écoles',
    'Que la métropole demande chaque année des mesures gratuites près des écoles et des crèches, et publie les résultats sur le site de la concertation.',
  );
  const sharing = await post(
    karim.p,
    'proposal',
    'Une charte de partage des pylônes',
    'Demander aux opérateurs de partager les pylônes existants avant d’en construire de nouveaux.',
  );
  const question = await post(
    camille.p,
    'question',
    'Quelles antennes changent dans mon quartier ?',
    'Comment savoir si l’antenne près de chez moi va passer en 5G, et quand ?',
  );
  await post(
    karim.p,
    'opinion',
    'Utile pour les entreprises du port',
    'La 5G peut aider les zones d’activité, si l’exposition reste mesurée et publiée.',
    'for',
  );
  const offTopic = await post(camille.p, 'opinion', 'Hors sujet', 'Un message publicitaire sans rapport avec la concertation.', 'neutral');
  await hideContent(deps.db, team.p, debate.id, offTopic.id, { reason: 'Message publicitaire, contraire à la charte de la concertation.' });
  await answerContribution(
    deps.db,
    team.p,
    debate.id,
    measure.id,
    'retained',
    'Retenue : la métropole demandera chaque année des mesures près des écoles et crèches volontaires, par le dispositif national gratuit, et publiera les résultats.',
  );
  await answerContribution(
    deps.db,
    team.p,
    debate.id,
    sharing.id,
    'studied',
    'À l’étude : la charte sera discutée avec les quatre opérateurs lors de l’instance de concertation.',
  );
  await answerContribution(
    deps.db,
    team.p,
    debate.id,
    question.id,
    'retained',
    'Les projets d’antennes figurent dans les dossiers d’information mairie, consultables en mairie ; la carte Cartoradio montre les sites existants.',
  );
  const workshop = (await deps.db.transaction(team.p.tenantId, (tx) => meetingsOf(tx, debate.id))).find((m) => m.starts_at <= new Date());
  if (workshop) {
    await publishMinutes(
      deps.db,
      team.p,
      debate.id,
      workshop.id,
      'Compte rendu (démonstration). Douze personnes présentes. Le médiateur a montré comment trouver les antennes sur Cartoradio et remplir une demande de mesure. Trois demandes de mesure ont été préparées.',
    );
  }
  const published = await publishContributionsDataset(deps, team.p.tenantId, debate.id);
  if (published) log(`  jeu de données ouvert des contributions : /nantes-metropole/donnees/${published.slug} (${published.outcome})`);

  const toulouse = await principal(deps, 'toulouse-metropole', `moderateur@${DEMO_DOMAIN}`, ['moderator'], t);
  if (toulouse) {
    const copied = await copyKitIntoDebate(deps.db, toulouse.p, { product: 'debat-local-5g' }, { startsOn: addDays(today(), 30), slug: DEMO_DEBATE });
    log(`concertation « ${copied.debate.title} » de Toulouse Métropole (brouillon), copiée du même kit`);
  }
}
