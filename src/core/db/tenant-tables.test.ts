// Row-level security on EVERY relation that has a tenant_id, read from the catalogue so that a table added
// later is checked too: as the application role with tenant A's setting, no row of tenant B is visible
// anywhere. Issue 10 row 18: `jobs` (every collectivité's mail payloads, reset links included) was
// readable by the application role because it had no RLS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { createTenant } from '../tenancy/create-tenant.ts';
import type { Tx } from './database.ts';

/** The policy bastide_tenant_table() gives: the rows of the transaction's tenant, for reading and writing. */
const TENANT_POLICY = '(tenant_id = app_tenant())';

/**
 * The only other policies allowed on a table with a tenant_id, each with its reason. Adding one here is a
 * decision about isolation: say why in the migration that creates it.
 */
const OTHER_POLICIES: Record<string, { cmd: string; qual: string | null; check: string | null }> = {
  // The application role enqueues for its own tenant (or, with none, an installation-wide job) and reads
  // the unique-key columns of those jobs only (migration 0005).
  'jobs.enqueue': { cmd: 'a', qual: null, check: '(NOT (tenant_id IS DISTINCT FROM app_tenant()))' },
  'jobs.own_unique_keys': { cmd: 'r', qual: '(NOT (tenant_id IS DISTINCT FROM app_tenant()))', check: null },
  // The application role records the effects of its own tenant's jobs (or installation-wide ones) and reads
  // none of them (migration 0007, core/jobs/effects.ts).
  'job_effects.record_own': { cmd: 'a', qual: null, check: '(NOT (tenant_id IS DISTINCT FROM app_tenant()))' },
  // Public structure (which commune belongs to which EPCI), shown on every home page; read-only.
  'tenant_relations.public_read': { cmd: 'r', qual: 'true', check: null },
};

/** Relations whose rows of other tenants are readable by design: see OTHER_POLICIES. Read-only for the app. */
const PUBLIC_STRUCTURE = new Set(['tenant_relations']);

interface Relation {
  name: string;
  kind: string;
  rls: boolean;
  options: string[] | null;
}

let t: TestDatabase;
let a: string;
let b: string;

async function tenantRelations(): Promise<Relation[]> {
  return t.db.ownerTransaction((tx) =>
    tx.query<Relation>(
      `select c.relname as name, c.relkind as kind, c.relrowsecurity as rls, c.reloptions as options
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')
       and exists (select 1 from pg_attribute at where at.attrelid = c.oid and at.attname = 'tenant_id' and not at.attisdropped)
     order by c.relname`,
    ),
  );
}

/** A bit of everything a collectivité owns, written as the owner (no RLS), the same for A and B. */
async function seed(tx: Tx, tenant: string, tag: string, other: string): Promise<void> {
  const q = async (sql: string, params: unknown[] = []) => (await tx.query<{ id: string }>(sql, params))[0]?.id as string;
  const person = await q(`insert into people (email) values ($1) returning id`, [`${tag}@example.org`]);
  await q(`insert into memberships (tenant_id, person_id, role) values ($1, $2, 'agent')`, [tenant, person]);
  await q(`insert into api_tokens (tenant_id, token_hash, role, person_id) values ($1, $2, 'agent', $3)`, [tenant, `hash-${tag}`, person]);
  const sha = (tag === 'a' ? 'a' : 'b').repeat(64);
  await q(`insert into blobs (tenant_id, sha256, size, content_type) values ($1, $2, 1, 'text/plain')`, [tenant, sha]);
  await q(`insert into journal_heads (tenant_id, last_pos, last_hash, sealed_at) values ($1, 0, 'x', now())`, [tenant]);
  await q(`insert into jobs (tenant_id, kind, payload) values ($1, 'core.mail.send', $2)`, [
    tenant,
    JSON.stringify({ to: `${tag}@example.org`, text: `https://example.org/auth/reset/secret-${tag}` }),
  ]);
  await q(`insert into tenant_relations (tenant_id, related_tenant_id, kind) values ($1, $2, 'network_member')`, [tenant, other]);
  const provider = await q(
    `insert into oidc_providers (tenant_id, slug, kind, label, issuer, client_id, client_secret, scopes, new_person)
     values ($1, 'idp', 'generic', 'IdP', 'https://idp.example.org', 'client', 'secret', 'openid', 'citizen') returning id`,
    [tenant],
  );
  await q(`insert into oidc_identities (tenant_id, provider_id, subject, person_id) values ($1, $2, $3, $4)`, [tenant, provider, `sub-${tag}`, person]);
  const procedure = await q(`insert into procedures (tenant_id, slug, title, draft_definition) values ($1, 'p', 'P', '{}') returning id`, [tenant]);
  await q(`insert into procedure_revisions (tenant_id, procedure_id, revision, definition, published_by) values ($1, $2, 1, '{}', 'system')`, [
    tenant,
    procedure,
  ]);
  const group = await q(`insert into agent_groups (tenant_id, procedure_id, name) values ($1, $2, 'G') returning id`, [tenant, procedure]);
  await q(`insert into agent_group_members (tenant_id, group_id, person_id) values ($1, $2, $3)`, [tenant, group, person]);
  await q(`insert into routing_rules (tenant_id, procedure_id, position, condition, group_id) values ($1, $2, 0, '{}', $3)`, [tenant, procedure, group]);
  const dossier = await q(`insert into dossiers (tenant_id, procedure_id, revision, state) values ($1, $2, 1, 'en_construction') returning id`, [
    tenant,
    procedure,
  ]);
  await q(`insert into dossier_transitions (tenant_id, dossier_id, seq, to_state, actor) values ($1, $2, 1, 'en_construction', 'system')`, [tenant, dossier]);
  await q(`insert into dossier_messages (tenant_id, dossier_id, author, author_kind, body) values ($1, $2, 'system', 'system', 'hello')`, [tenant, dossier]);
  await q(`insert into dossier_attachments (tenant_id, dossier_id, sha256, filename, size, content_type) values ($1, $2, $3, 'f.txt', 1, 'text/plain')`, [
    tenant,
    dossier,
    sha,
  ]);
  await q(
    `insert into webhook_deliveries (tenant_id, procedure_id, event, delivery_id, attempt, url, duration_ms, ok)
           values ($1, $2, 'submitted', gen_random_uuid(), 1, 'https://hooks.example.org', 1, true)`,
    [tenant, procedure],
  );
  await q(`insert into dossier_retention (tenant_id, dossier_id) values ($1, $2)`, [tenant, dossier]);
  await q(`insert into agent_digests (tenant_id, person_id, day) values ($1, $2, current_date)`, [tenant, person]);
}

before(async () => {
  t = await createTestDatabase();
  const ra = await createTenant(t.db, { kind: 'commune', code: '44109' });
  const rb = await createTenant(t.db, { kind: 'commune', code: '31555' });
  assert.ok(ra.ok && rb.ok);
  a = ra.tenant.id;
  b = rb.tenant.id;
  await t.db.ownerTransaction(async (tx) => {
    await seed(tx, a, 'a', b);
    await seed(tx, b, 'b', a);
  });
});
after(() => t.cleanup());

test('every table with a tenant_id has row-level security, with the tenant policy or a listed exception', async () => {
  const relations = await tenantRelations();
  const tables = relations.filter((r) => r.kind === 'r' || r.kind === 'p');
  assert.ok(tables.some((r) => r.name === 'dossiers') && tables.some((r) => r.name === 'jobs'), 'the catalogue query finds the tenant tables');
  assert.deepEqual(
    tables.filter((r) => !r.rls).map((r) => r.name),
    [],
    'tables with a tenant_id but no row-level security',
  );

  const policies = await t.db.ownerTransaction((tx) =>
    tx.query<{ tbl: string; name: string; cmd: string; qual: string | null; check: string | null }>(
      `select c.relname as tbl, p.polname as name, p.polcmd::text as cmd,
            pg_get_expr(p.polqual, p.polrelid) as qual, pg_get_expr(p.polwithcheck, p.polrelid) as check
     from pg_policy p join pg_class c on c.oid = p.polrelid where c.relname = any($1) order by 1, 2`,
      [tables.map((r) => r.name)],
    ),
  );
  const unexpected = policies.filter((p) => {
    const listed = OTHER_POLICIES[`${p.tbl}.${p.name}`];
    if (listed) return listed.cmd !== p.cmd || listed.qual !== p.qual || listed.check !== p.check;
    return !(p.cmd === '*' && p.qual === TENANT_POLICY && p.check === TENANT_POLICY);
  });
  assert.deepEqual(unexpected, [], 'policies other than the tenant policy and the listed exceptions');
});

test("a view with a tenant_id readable by the application role runs with its caller's rights (security_invoker)", async () => {
  const views = (await tenantRelations()).filter((r) => r.kind === 'v' || r.kind === 'm');
  const readable = await t.db.ownerTransaction((tx) =>
    tx.query<{ name: string }>(`select relname as name from pg_class where relname = any($1) and has_table_privilege('bastide_app', oid, 'select')`, [
      views.map((v) => v.name),
    ]),
  );
  const unsafe = readable.filter((v) => !(views.find((x) => x.name === v.name)!.options ?? []).some((o) => /^security_invoker=(true|on|1)$/.test(o)));
  assert.deepEqual(unsafe, [], "views that would read every tenant's rows with their owner's rights");
});

test('as the application role with tenant A, no relation with a tenant_id shows a row of tenant B', async (ctx) => {
  const relations = await tenantRelations();
  const seenOwn: string[] = [];
  const leaks: string[] = [];
  const unseeded: string[] = [];
  for (const r of relations) {
    const ofB = await t.db.ownerTransaction((tx) => tx.one<{ n: number }>(`select count(*)::int as n from ${r.name} where tenant_id = $1`, [b]));
    if (ofB!.n === 0) unseeded.push(r.name);
    if (PUBLIC_STRUCTURE.has(r.name)) continue;
    let seen: { own: number; foreign: number } | null;
    try {
      seen = await t.db.transaction(a, (tx) =>
        tx.one<{ own: number; foreign: number }>(
          `select count(*) filter (where tenant_id = app_tenant())::int as own,
                count(*) filter (where tenant_id is distinct from app_tenant())::int as foreign
         from ${r.name}`,
        ),
      );
    } catch (error) {
      // No read access at all is isolation too (journal_heads).
      assert.match((error as Error).message, /permission denied/, r.name);
      continue;
    }
    if (seen!.foreign > 0) leaks.push(`${r.name}: ${seen!.foreign} row(s) of other tenants`);
    if (seen!.own > 0) seenOwn.push(r.name);
  }
  assert.deepEqual(leaks, []);
  // The setting was in effect: A's own rows are visible where A may read.
  assert.ok(seenOwn.includes('dossiers') && seenOwn.includes('memberships'), `A sees its own rows (${seenOwn.join(', ')})`);
  // Rows of B exist in every table the seed knows; a newer table is still covered by the catalogue test.
  if (unseeded.length) ctx.diagnostic(`no row of tenant B seeded in: ${unseeded.join(', ')}`);
  for (const name of ['jobs', 'journal_heads', 'journal_entries', 'dossiers', 'memberships', 'api_tokens', 'oidc_providers']) {
    assert.ok(!unseeded.includes(name), `tenant B has rows in ${name}`);
  }
});

test('public structure tables are read-only for the application role', async () => {
  for (const name of PUBLIC_STRUCTURE) {
    const rights = await t.db.ownerTransaction((tx) =>
      tx.one<{ w: boolean }>(`select has_table_privilege('bastide_app', $1::regclass, 'insert, update, delete, truncate') as w`, [name]),
    );
    assert.equal(rights!.w, false, name);
  }
});

test('jobs: the application role enqueues for its own tenant only and never reads a payload, not even its own', async () => {
  await assert.rejects(
    t.db.transaction(a, (tx) => tx.query('select payload from jobs')),
    /permission denied/,
  );
  await assert.rejects(
    t.db.transaction(null, (tx) => tx.query(`select payload from jobs where payload->>'text' like '%reset%'`)),
    /permission denied/,
  );
  await assert.rejects(
    t.db.transaction(a, (tx) => tx.query(`insert into jobs (tenant_id, kind, payload) values ($1, 'core.mail.send', '{}')`, [b])),
    /row-level security/,
  );
  await assert.rejects(
    t.db.transaction(a, (tx) => tx.query(`update jobs set run_at = now()`)),
    /permission denied/,
  );
  // What it may do: enqueue (with a unique key too), as every action does.
  await t.db.transaction(a, (tx) =>
    tx.query(
      `insert into jobs (tenant_id, kind, payload, unique_key) values (app_tenant(), 'test.k', '{}', 'tenant-tables-test')
     on conflict (unique_key) where unique_key is not null and state in ('queued', 'running') do nothing`,
    ),
  );
  const queued = await t.db.ownerTransaction((tx) =>
    tx.one<{ n: number }>(`select count(*)::int as n from jobs where unique_key = 'tenant-tables-test' and tenant_id = $1`, [a]),
  );
  assert.equal(queued!.n, 1);
});
