// Demo data: the four collectivités whose elected officials co-chair the digital commission of 2021
// (see shared/seed), a few member communes, and one account per role. Idempotent.
import type { Database } from '../db/database.ts';
import { createTenant } from '../tenancy/create-tenant.ts';
import { hashPassword } from '../auth/passwords.ts';
import { journal } from '../audit/journal.ts';
import type { Role } from '../base/roles.ts';

export const DEMO_PASSWORD = 'bastide-demo-2026';
export const DEMO_DOMAIN = 'demo.bastide.fr';

export const DEMO_TENANTS = [
  { kind: 'epci', code: '244400404', slug: 'nantes-metropole' },
  { kind: 'epci', code: '243100518', slug: 'toulouse-metropole' },
  { kind: 'epci', code: '243100633', slug: 'sicoval' },
  { kind: 'epci', code: '200039204', slug: 'cc-lacq-orthez' },
  { kind: 'commune', code: '44109', slug: 'nantes' },
  { kind: 'commune', code: '44143', slug: 'reze' },
  { kind: 'commune', code: '31555', slug: 'toulouse' },
  { kind: 'commune', code: '31113', slug: 'castanet-tolosan' },
  { kind: 'commune', code: '31446', slug: 'ramonville-saint-agne' },
  { kind: 'commune', code: '64430', slug: 'orthez' },
  { kind: 'commune', code: '64410', slug: 'mourenx' },
] as const;

/** One demo account per role; staff accounts hold their role in the four EPCI. */
export const DEMO_ACCOUNTS: Array<{ email: string; name: string; role: Role | 'host_operator' }> = [
  { email: `citoyen@${DEMO_DOMAIN}`, name: 'Camille Martin', role: 'citizen' },
  { email: `mediateur@${DEMO_DOMAIN}`, name: 'Karim Benali', role: 'mediator' },
  { email: `agent@${DEMO_DOMAIN}`, name: 'Sophie Durand', role: 'agent' },
  { email: `demarches@${DEMO_DOMAIN}`, name: 'Luc Moreau', role: 'procedure_admin' },
  { email: `donnees@${DEMO_DOMAIN}`, name: 'Inès Garcia', role: 'data_steward' },
  { email: `archiviste@${DEMO_DOMAIN}`, name: 'Hélène Petit', role: 'archivist' },
  { email: `moderateur@${DEMO_DOMAIN}`, name: 'Paul Lefèvre', role: 'moderator' },
  { email: `admin@${DEMO_DOMAIN}`, name: 'Nadia Roux', role: 'tenant_admin' },
  { email: `operateur@${DEMO_DOMAIN}`, name: 'Équipe d’hébergement', role: 'host_operator' },
];

const EPCI_SLUGS = DEMO_TENANTS.filter((t) => t.kind === 'epci').map((t) => t.slug);

export async function seedCoreDemo(db: Database, log: (line: string) => void = () => {}): Promise<void> {
  for (const t of DEMO_TENANTS) {
    const exists = await db.transaction(null, (tx) => tx.one('select 1 from tenants where slug = $1', [t.slug]));
    if (exists) continue;
    const result = await createTenant(db, { kind: t.kind, code: t.code, slug: t.slug, actor: 'seed' });
    if (!result.ok) throw new Error(`demo tenant ${t.slug}: ${result.message}`);
    log(`collectivité ${result.tenant.name} (/${t.slug}/)`);
  }
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const account of DEMO_ACCOUNTS) {
    const person = await db.transaction(null, (tx) =>
      tx.one<{ id: string }>(
        `insert into people (email, display_name, password_hash, email_verified_at, is_host_operator)
       values ($1, $2, $3, now(), $4)
       on conflict ((lower(email))) do update set display_name = excluded.display_name returning id`,
        [account.email, account.name, hash, account.role === 'host_operator'],
      ),
    );
    if (account.role === 'host_operator' || account.role === 'citizen') continue;
    for (const slug of EPCI_SLUGS) {
      const tenantId = (await db.transaction(null, (tx) => tx.one<{ id: string }>('select id from tenants where slug = $1', [slug])))!.id;
      await db.transaction(tenantId, async (tx) => {
        const added = await tx.execute(`insert into memberships (tenant_id, person_id, role) values (app_tenant(), $1, $2) on conflict do nothing`, [
          person!.id,
          account.role,
        ]);
        if (added) await journal(tx, { actor: 'seed', action: 'core.member.add', subjectType: 'person', subjectId: person!.id, data: { role: account.role } });
      });
    }
  }
}
