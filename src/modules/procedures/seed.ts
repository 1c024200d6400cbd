// Demo data of the procedures module (`bastide seed demo`): each demo EPCI publishes three procedures
// (seed-definitions.ts) with agent groups — one per member commune for public-space reports, routed on
// the commune chosen — and a few dossiers in every state, with messages, notes and attachments. Built
// with the module's own actions, so the demo goes through the same checks, journal and jobs as real use.
// Idempotent: a collectivité that already has the subsidy procedure is left as it is.
import { Readable } from 'node:stream';
import type { AppDeps } from '../../core/module.ts';
import type { Database } from '../../core/db/database.ts';
import { installationSecret } from '../../core/db/settings.ts';
import { translator } from '../../core/i18n/i18n.ts';
import { findEpci } from '../../core/territory/cog.ts';
import { storeUpload } from '../../core/files/upload.ts';
import { DEMO_DOMAIN } from '../../core/seed/demo.ts';
import type { Role } from '../../core/base/roles.ts';
import type { Principal } from './procedures.policy.ts';
import type { ProcedureDefinition } from './fields/definition.ts';
import type { FileAnswer } from './fields/values.ts';
import { createProcedure, publishProcedure } from './actions/create-procedure.ts';
import { addMember, createGroup, setRouting } from './actions/manage-groups.ts';
import { submitDossier } from './actions/submit-dossier.ts';
import { transitionDossier } from './actions/transition-dossier.ts';
import { agentMessage, citizenMessage } from './actions/dossier-messages.ts';
import { assignDossier, setLabels } from './actions/assign-dossier.ts';
import { updateOperationsSettings } from './operations/update-settings.ts';
import { renderPdf } from './receipt/pdf-layout.ts';
import { sweepProcedureDecisions } from './retention/sweep.ts';
import { PUBLIC_SPACE_REPORT, ROOM_BOOKING, SUBSIDY, frenchIban, siretWithKey } from './seed-definitions.ts';

type Seed = Pick<AppDeps, 'db' | 'config'>;

/** Local flavour per EPCI: associations and places that sound like the territory. */
const FLAVOUR: Record<string, { assos: string[]; places: string[] }> = {
  'nantes-metropole': { assos: ['Les Écluses de l’Erdre', 'Rezé Basket Loire'], places: ['quai de la Fosse', 'boulevard Victor-Hugo', 'place du Commerce'] },
  'toulouse-metropole': {
    assos: ['Les Amis du Canal du Midi', 'Occitanie Rugby Jeunes'],
    places: ['allées Jean-Jaurès', 'rue d’Alsace-Lorraine', 'place Saint-Pierre'],
  },
  sicoval: { assos: ['Lauragais Solidarité', 'Castanet Théâtre'], places: ['avenue de Toulouse', 'chemin des Canaux', 'place de la Mairie'] },
  'cc-lacq-orthez': { assos: ['Béarn Gave Nature', 'Orthez Musiques Actuelles'], places: ['rue Saint-Gilles', 'avenue de la Résistance', 'place d’Armes'] },
};

// A 1×1 PNG: the smallest real picture, enough to show a photo answer in the demo.
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function personId(db: Database, email: string): Promise<string | null> {
  return (await db.transaction(null, (tx) => tx.one<{ id: string }>('select id from people where lower(email) = lower($1)', [email])))?.id ?? null;
}

function principalFor(tenantId: string, personId: string | null, roles: Role[]): Principal {
  return { tenantId, actor: personId ? `person:${personId}` : 'seed', personId, viaToken: !personId, roles, t: translator('fr') };
}

async function storeFile(deps: Seed, tenantId: string, bytes: Buffer, filename: string, type: string): Promise<FileAnswer> {
  const stored = await storeUpload({ config: deps.config }, tenantId, Readable.from([bytes]), { maxBytes: 10_000_000, allowedTypes: [type], filename });
  return { sha256: stored.sha256, filename: stored.filename, size: stored.size, content_type: stored.contentType };
}

async function publish(db: Database, designer: Principal, definition: ProcedureDefinition, settings: Record<string, unknown>) {
  const procedure = await createProcedure(db, designer, definition);
  await publishProcedure(db, designer, procedure.id);
  await updateOperationsSettings(db, designer, procedure.id, settings, { allowHttp: false });
  return procedure;
}

export async function seedProceduresDemo(deps: Seed, log: (line: string) => void = () => {}): Promise<void> {
  const { db } = deps;
  const secret = await installationSecret(db);
  const designerId = await personId(db, `demarches@${DEMO_DOMAIN}`);
  const agentId = await personId(db, `agent@${DEMO_DOMAIN}`);
  const citizenId = await personId(db, `citoyen@${DEMO_DOMAIN}`);
  for (const [slug, flavour] of Object.entries(FLAVOUR)) {
    const tenant = await db.transaction(null, (tx) =>
      tx.one<{ id: string; name: string; official_code: string }>('select id, name, official_code from tenants where slug = $1', [slug]),
    );
    if (!tenant) continue;
    const done = await db.transaction(tenant.id, (tx) =>
      tx.one(`select 1 from procedures where tenant_id = app_tenant() and slug = 'demande-de-subvention-associative'`),
    );
    if (done) continue;
    const designer = principalFor(tenant.id, designerId, ['procedure_admin']);
    // The demo agent instructs; designers may instruct every dossier, so transitions made "by" the agent
    // carry her name while not depending on her groups.
    const instructor = principalFor(tenant.id, agentId, ['tenant_admin']);
    const guest = principalFor(tenant.id, null, []);
    const asGuest = { ...guest, actor: 'anonymous', viaToken: false };
    const citizen = citizenId ? principalFor(tenant.id, citizenId, ['citizen']) : asGuest;

    const subsidy = await publish(db, designer, SUBSIDY, { retention: { after_decision: 'archive', days: 365 } });
    const rooms = await publish(db, designer, ROOM_BOOKING, {
      retention: { after_decision: 'delete', days: 90 },
      notifications: {
        templates: {
          accepte: {
            subject: 'Votre réservation n° {numero} est confirmée',
            body: 'Bonjour,\n\nVotre réservation (dossier n° {numero}) est confirmée. Les clés sont à retirer à l’accueil de la mairie la veille de l’événement, sur présentation d’une pièce d’identité.\n\n{motivation}\n\nDétails : {lien}\n\n-- \n{collectivite}',
          },
        },
      },
    });
    const reports = await publish(db, designer, PUBLIC_SPACE_REPORT, {
      retention: { after_decision: 'anonymise', days: 180 },
      drafts: { expire_after_days: 30, remind_before_days: 7 },
    });

    const associative = await createGroup(db, designer, { name: 'Vie associative', procedure: subsidy.id });
    const halls = await createGroup(db, designer, { name: 'Gestion des salles', procedure: rooms.id });
    const central = await createGroup(db, designer, { name: `Propreté et voirie — ${tenant.name}`, procedure: reports.id });
    await setRouting(db, designer, subsidy.id, [{ condition: { all: [] }, group: associative.id }]);
    await setRouting(db, designer, rooms.id, [{ condition: { all: [] }, group: halls.id }]);
    // The EPCI case: each member commune's technical services receive the reports about their commune.
    const members = findEpci(tenant.official_code)?.membres ?? [];
    const rules: Array<{ condition: object; group: string }> = [];
    const communeGroups = new Map<string, string>();
    for (const m of members) {
      const g = await createGroup(db, designer, { name: `Services techniques — ${m.nom}`, procedure: reports.id });
      communeGroups.set(m.code, g.id);
      rules.push({ condition: { field: 'commune', op: 'equals', value: m.code }, group: g.id });
    }
    rules.push({ condition: { all: [] }, group: central.id });
    await setRouting(db, designer, reports.id, rules);
    if (agentId) {
      for (const g of [associative.id, halls.id, central.id, communeGroups.get(members[0]?.code ?? '')].filter((x): x is string => !!x)) {
        await addMember(db, designer, g, agentId);
      }
    }

    // Subsidy requests: one per state of the life of a request.
    const seat = members[0]?.code ?? '44109';
    const subsidyData = async (i: number, name: string) => ({
      nom: name,
      siret: siretWithKey(`${78 + i}${String(4123457 + i * 7919).padStart(7, '0')}0001`.slice(0, 13)),
      rna: `W${String(441000000 + i * 1234)}`.slice(0, 10),
      commune: members[i % Math.max(members.length, 1)]?.code ?? seat,
      courriel: `contact@${name
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z]+/g, '-')
        .replace(/^-|-$/g, '')}.example.org`,
      telephone: `06 12 34 56 ${String(10 + i).padStart(2, '0')}`,
      bureau: [
        { nom_membre: 'Claire Lemoine', fonction: 'Président·e' },
        { nom_membre: 'Yanis Haddad', fonction: 'Trésorier·e' },
      ],
      intitule: [
        'Festival de quartier « Les Rives en fête »',
        'École de sport pour les 6-12 ans',
        'Jardin partagé et compostage collectif',
        'Soutien scolaire solidaire',
      ][i % 4],
      domaine: ['Culture', 'Sport', 'Environnement', 'Solidarité'][i % 4],
      description: 'Trois journées d’animations gratuites, ouvertes à tous, avec les écoles et les commerçants du quartier.',
      montant: [2500, 4800, 1200, 3000][i % 4],
      deja_aidee: i % 2 === 0,
      ...(i % 2 === 0 ? { montant_precedent: 1500 } : {}),
      iban: frenchIban(`30004${String(10000 + i).slice(0, 5)}000${String(12345678 + i)}${String(10 + i).slice(-2)}`),
      attestation: true,
    });
    const budget = async (name: string) => ({
      budget: [
        await storeFile(
          deps,
          tenant.id,
          renderPdf({
            title: `Budget prévisionnel — ${name}`,
            blocks: [
              { type: 'title', text: `Budget prévisionnel — ${name}` },
              { type: 'field', label: 'Charges', value: 'Location de matériel : 1 200 €\nCommunication : 400 €\nIntervenants : 2 100 €' },
              { type: 'field', label: 'Produits', value: 'Subvention demandée : 2 500 €\nFonds propres : 1 200 €' },
            ],
          }),
          'budget-previsionnel.pdf',
          'application/pdf',
        ),
      ],
    });
    const filed: number[] = [];
    for (const [i, name] of [...flavour.assos, `Comité des fêtes de ${members[1]?.nom ?? tenant.name}`, 'Association des parents d’élèves'].entries()) {
      const who = i === 0 ? citizen : asGuest;
      const { dossier } = await submitDossier({ db, secret }, who, {
        procedure: subsidy.id,
        email: i === 0 && citizenId ? undefined : `demo+subvention${i}@${DEMO_DOMAIN}`,
        data: await subsidyData(i, name),
        files: await budget(name),
      });
      filed.push(Number(dossier.number));
    }
    const [s0, s1, s2, s3] = filed as [number, number, number, number];
    await agentMessage(db, instructor, s0, { body: 'Bonjour, pourriez-vous nous transmettre les statuts à jour de l’association ? Merci.' });
    await citizenMessage(
      db,
      citizen,
      { id: (await dossierId(db, tenant.id, s0))!, number: s0 },
      { body: 'Bonjour, je les joins dès ce soir. Cordialement, Camille Martin.' },
    );
    await assignDossier(db, instructor, s1, agentId);
    await transitionDossier(db, instructor, s1, { to: 'en_instruction' });
    await agentMessage(db, instructor, s1, { body: 'Avis favorable du service, à présenter en commission du 12 mars.', private: true });
    await setLabels(db, instructor, s1, ['commission de mars']);
    for (const n of [s2, s3]) await transitionDossier(db, instructor, n, { to: 'en_instruction' });
    await transitionDossier(db, instructor, s2, { to: 'accepte', motivation: 'Subvention de 1 200 € accordée par délibération du conseil.' });
    await transitionDossier(db, instructor, s3, {
      to: 'refuse',
      motivation: 'Le projet ne relève pas des critères du règlement d’attribution 2026 (article 3 : actions ouvertes à tous les habitants).',
    });
    // The accepted subsidy's decision is dated more than a year back: the procedure's retention (archive after
    // 365 days) flags it now, and the archives' seed (run after this one) files it as an archive unit, as the
    // hourly jobs would (docs/archives.md §10). The history keeps today's date: transitions are insert-only.
    await db.transaction(tenant.id, (tx) => tx.query(`update dossiers set decided_at = now() - interval '400 days' where number = $1`, [s2]));
    await sweepProcedureDecisions(db, tenant.id, subsidy.id);

    // Room bookings.
    const booking = (i: number, organiser: string) => ({
      salle: ['Salle des fêtes', 'Salle polyvalente', 'Maison des associations — salle 1'][i % 3],
      debut: `2027-0${3 + i}-1${i}T18:00`,
      fin: `2027-0${3 + i}-1${i}T23:00`,
      participants: [80, 25, 120][i % 3],
      motif: ['Fête familiale', 'Assemblée générale', 'Autre'][i % 3],
      ...(i % 3 === 2 ? { motif_autre: 'Loto de l’association' } : {}),
      materiel: i !== 1,
      ...(i !== 1 ? { equipements: ['Tables et chaises', 'Sonorisation'] } : {}),
      organisateur: organiser,
      telephone: `07 98 76 54 ${String(30 + i)}`,
      reglement: true,
    });
    const bookings: number[] = [];
    for (const [i, organiser] of ['Camille Martin', flavour.assos[0]!, flavour.assos[1]!].entries()) {
      const { dossier } = await submitDossier({ db, secret }, i === 0 ? citizen : asGuest, {
        procedure: rooms.id,
        email: i === 0 && citizenId ? undefined : `demo+salle${i}@${DEMO_DOMAIN}`,
        data: booking(i, organiser),
      });
      bookings.push(Number(dossier.number));
    }
    await transitionDossier(db, instructor, bookings[0]!, { to: 'en_instruction' });
    await transitionDossier(db, instructor, bookings[0]!, { to: 'accepte', motivation: 'Caution de 500 € à déposer à l’accueil.' });
    await transitionDossier(db, instructor, bookings[2]!, { to: 'en_instruction' });
    await transitionDossier(db, instructor, bookings[2]!, {
      to: 'sans_suite',
      motivation: 'La salle est déjà réservée à cette date ; nous vous proposons la salle polyvalente.',
    });

    // Public-space reports in different member communes: each goes to that commune's group.
    const photo = { photo: [await storeFile(deps, tenant.id, PHOTO, 'photo.png', 'image/png')] };
    const natures = ['Dépôt sauvage', 'Nid-de-poule ou chaussée abîmée', 'Éclairage public en panne', 'Tag ou graffiti'];
    const reported: number[] = [];
    for (let i = 0; i < 4; i++) {
      const commune = members[i % Math.max(members.length, 1)]?.code ?? seat;
      const { dossier } = await submitDossier({ db, secret }, i === 1 ? citizen : asGuest, {
        procedure: reports.id,
        email: i === 1 && citizenId ? undefined : `demo+signalement${i}@${DEMO_DOMAIN}`,
        files: i % 2 === 0 ? photo : undefined,
        data: {
          nature: natures[i],
          commune,
          adresse: `${12 + i * 7} ${flavour.places[i % flavour.places.length]}`,
          description: [
            'Sacs et encombrants déposés au pied des conteneurs depuis trois jours.',
            'Trou profond sur la chaussée, dangereux pour les vélos.',
            'Trois lampadaires éteints, la rue est dans le noir.',
            'Tags sur le mur de l’école maternelle.',
          ][i],
          constate_le: '2026-11-20',
          rappel: i === 0,
          ...(i === 0 ? { telephone: '06 11 22 33 44' } : {}),
        },
      });
      reported.push(Number(dossier.number));
    }
    await transitionDossier(db, instructor, reported[1]!, { to: 'en_instruction' });
    await agentMessage(db, instructor, reported[1]!, { body: 'Intervention programmée par l’équipe voirie la semaine prochaine.', private: true });
    await transitionDossier(db, instructor, reported[2]!, { to: 'en_instruction' });
    await transitionDossier(db, instructor, reported[2]!, {
      to: 'accepte',
      motivation: 'Les lampadaires ont été réparés le jour même. Merci de votre signalement !',
    });
    // A draft left half-way, to show resuming and the expiry reminder.
    await submitDossier({ db, secret }, asGuest, { procedure: reports.id, email: `demo+brouillon@${DEMO_DOMAIN}`, data: { nature: 'Autre' }, draft: true });
    log(`démarches de ${tenant.name} : 3 publiées, ${members.length + 3} groupes, ${filed.length + bookings.length + reported.length + 1} dossiers`);
  }
}

async function dossierId(db: Database, tenantId: string, number: number): Promise<string | null> {
  return (
    (await db.transaction(tenantId, (tx) => tx.one<{ id: string }>('select id from dossiers where tenant_id = app_tenant() and number = $1', [number])))?.id ??
    null
  );
}
