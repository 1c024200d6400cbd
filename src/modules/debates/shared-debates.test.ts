// Debates a host runs for its members (0750), attacked first through HTTP: a collectivité that is not a
// member does not see them, a draft or closed debate is never listed, a member's team cannot change the
// host's debate, a collectivité without members cannot mark one, and turning the setting off removes it
// from the members' lists; then what it does: the member's page and API list it, the debate names its members.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, apiToken, browserFor, createPerson, createTestTenant, postForm, type Browser, type TestApp } from '../../../test/helpers/app.ts';
import { relate } from '../../../test/support/debates/kits.ts';
import type { Tenant } from '../../core/tenancy/tenants.ts';
import { translator } from '../../core/i18n/i18n.ts';
import { createDebate } from './actions/create-debate.ts';
import { today } from './phases.ts';
import { addDays } from './kits/kit-format.ts';

let t: TestApp;
let host: Tenant;
let member: Tenant;
let hosted: Tenant;
let outsider: Tenant;
let otherHost: Tenant;
let otherMember: Tenant;
let hostTeam: Browser;
let memberTeam: Browser;
let outsiderTeam: Browser;
let otherHostTeam: Browser;

const principal = (tenantId: string, personId: string) => ({
  tenantId,
  actor: `person:${personId}`,
  personId,
  displayName: 'M',
  viaToken: false,
  roles: ['moderator' as const],
  t: translator('fr'),
  address: null,
});
const teams = new Map<string, string>();
async function debate(tenant: Tenant, title: string, status: 'draft' | 'published' | 'closed' = 'published'): Promise<{ id: string; slug: string }> {
  const created = await createDebate(t.db, principal(tenant.id, teams.get(tenant.id)!), {
    title,
    presentation: 'Le projet.',
    status,
    phases: [{ kind: 'information', summary: 'On lit.', starts_on: addDays(today(), -5), ends_on: addDays(today(), 5) }],
  });
  return { id: created.debate.id, slug: created.debate.slug };
}
const forMembers = async (tenant: Tenant, id: string) =>
  t.db.transaction(tenant.id, async (tx) => (await tx.one<{ for_members: boolean }>('select for_members from debates where id = $1', [id]))!.for_members);
const mark = (browser: Browser, tenant: Tenant, slug: string, on: boolean) =>
  postForm(t, browser, `/${tenant.slug}/concertations/${slug}/gestion/membres`, on ? { for_members: 'on' } : {});
const listPage = async (tenant: Tenant) => (await t.app.inject({ method: 'GET', url: `/${tenant.slug}/concertations` })).body;
const apiList = async (tenant: Tenant) => {
  const r = await t.app.inject({ method: 'GET', url: `/api/v1/${tenant.slug}/debates` });
  assert.equal(r.statusCode, 200, r.body);
  return r.json<{ items: Array<{ slug: string }>; from_hosts: Array<{ host: { slug: string; name: string }; slug: string; title: string; url: string }> }>();
};

before(async () => {
  t = await startTestApp();
  host = await createTestTenant(t.db, { name: 'Hôte Métropole' });
  member = await createTestTenant(t.db, { name: 'Commune Membre' });
  hosted = await createTestTenant(t.db, { name: 'Commune Hébergée' });
  outsider = await createTestTenant(t.db, { name: 'Commune Dehors' });
  otherHost = await createTestTenant(t.db, { name: 'Autre Hôte' });
  otherMember = await createTestTenant(t.db, { name: 'Membre Autre' });
  await relate(t.db, member.id, host.id, 'member_of');
  await relate(t.db, hosted.id, host.id, 'hosted_by');
  await relate(t.db, otherMember.id, otherHost.id, 'member_of');
  const browsers: Browser[] = [];
  for (const tenant of [host, member, outsider, otherHost]) {
    const p = await createPerson(t.db, { [tenant.id]: ['moderator', 'tenant_admin'] });
    teams.set(tenant.id, p.id);
    browsers.push(await browserFor(t, p.id));
  }
  [hostTeam, memberTeam, outsiderTeam, otherHostTeam] = browsers as [Browser, Browser, Browser, Browser];
});
after(() => t.close());

test('attack: only the host’s members see its debate run for them; a member’s team cannot change it', async () => {
  const d = await debate(host, 'Antennes 5G sur le territoire');
  assert.ok(!(await listPage(member)).includes('Antennes 5G'), 'not before it is marked');
  assert.equal((await mark(hostTeam, host, d.slug, true)).statusCode, 303);
  assert.equal(await forMembers(host, d.id), true);
  for (const tenant of [outsider, otherMember, otherHost]) {
    assert.ok(!(await listPage(tenant)).includes('Antennes 5G'), tenant.name);
    assert.deepEqual((await apiList(tenant)).from_hosts, [], tenant.name);
  }
  // The member's team, on the host's address (not its collectivité) and on its own (no such debate).
  assert.equal((await mark(memberTeam, host, d.slug, false)).statusCode, 403);
  assert.equal((await postForm(t, memberTeam, `/${host.slug}/concertations/${d.slug}/gestion`, { title: 'Piraté', status: 'draft' })).statusCode, 403);
  assert.equal((await mark(memberTeam, member, d.slug, false)).statusCode, 404);
  assert.equal(await forMembers(host, d.id), true);
  const row = await t.db.transaction(host.id, (tx) => tx.one<{ title: string; status: string }>('select title, status from debates where id = $1', [d.id]));
  assert.deepEqual(row, { title: 'Antennes 5G sur le territoire', status: 'published' });
  // Anonymous: sign in first, nothing changed.
  const anonymous = await mark(await browserFor(t, null), host, d.slug, false);
  assert.match(String(anonymous.headers.location ?? anonymous.statusCode), /sign-in|401|403/);
  assert.equal(await forMembers(host, d.id), true);
});

test('attack: a draft or closed debate of the host is never listed, even marked', async () => {
  const draft = await debate(host, 'Brouillon réservé');
  const closed = await debate(host, 'Concertation terminée');
  assert.equal((await mark(hostTeam, host, draft.slug, true)).statusCode, 303);
  assert.equal((await mark(hostTeam, host, closed.slug, true)).statusCode, 303);
  await t.db.transaction(host.id, async (tx) => {
    await tx.execute("update debates set status = 'draft' where id = $1", [draft.id]);
    await tx.execute("update debates set status = 'closed' where id = $1", [closed.id]);
  });
  const page = await listPage(member);
  assert.ok(!page.includes('Brouillon réservé') && !page.includes('Concertation terminée'));
  const api = await apiList(member);
  assert.ok(!api.from_hosts.some((h) => h.slug === draft.slug || h.slug === closed.slug));
  // The function itself, called by the member's transaction, returns public fields of published debates only.
  const rows = await t.db.transaction(member.id, (tx) => tx.query<Record<string, unknown>>('select * from debates_from_hosts()'));
  assert.ok(rows.every((r) => Object.keys(r).sort().join() === 'host_name,host_slug,slug,title,updated_at'));
  assert.ok(!rows.some((r) => r.slug === draft.slug || r.slug === closed.slug));
  // Without a collectivité, nothing.
  assert.deepEqual(await t.db.transaction(null, (tx) => tx.query('select * from debates_from_hosts()')), []);
});

test('attack: a collectivité without members cannot mark a debate; another host reaches only its own members', async () => {
  const lone = await debate(outsider, 'Seule dans son coin');
  const r = await mark(outsiderTeam, outsider, lone.slug, true);
  assert.equal(r.statusCode, 422);
  assert.equal(await forMembers(outsider, lone.id), false);
  const theirs = await debate(otherHost, 'Piste cyclable intercommunale');
  assert.equal((await mark(otherHostTeam, otherHost, theirs.slug, true)).statusCode, 303);
  assert.ok((await listPage(otherMember)).includes('Piste cyclable intercommunale'));
  assert.ok(!(await listPage(member)).includes('Piste cyclable intercommunale'));
  assert.ok(!(await apiList(member)).from_hosts.some((h) => h.slug === theirs.slug));
});

test('the members list it, marked with the host and linking to its address; turning it off removes it', async () => {
  const d = await debate(host, 'Plan vélo des communes');
  assert.equal((await mark(hostTeam, host, d.slug, true)).statusCode, 303);
  for (const tenant of [member, hosted]) {
    const page = await listPage(tenant);
    assert.ok(page.includes('Concertation menée par Hôte Métropole pour ses membres'), tenant.name);
    assert.ok(page.includes(`href="/${host.slug}/concertations/${d.slug}"`), tenant.name);
    const api = await apiList(tenant);
    const item = api.from_hosts.find((h) => h.slug === d.slug);
    assert.deepEqual(item && { host: item.host, url: item.url }, {
      host: { slug: host.slug, name: 'Hôte Métropole' },
      url: `/${host.slug}/concertations/${d.slug}`,
    });
    assert.ok(!api.items.some((i) => i.slug === d.slug), 'not among the member’s own debates');
  }
  // The debate's page, at the host, names the members it is run for; the team's page shows the setting.
  const page = (await t.app.inject({ method: 'GET', url: `/${host.slug}/concertations/${d.slug}` })).body;
  assert.ok(page.includes('Commune Membre') && page.includes('Commune Hébergée') && !page.includes('Commune Dehors'));
  const gestion = (await t.app.inject({ method: 'GET', url: `/${host.slug}/concertations/${d.slug}/gestion`, headers: hostTeam.headers })).body;
  assert.match(gestion, /name="for_members"[^>]*checked/);
  // Off again: gone from the members' lists.
  assert.equal((await mark(hostTeam, host, d.slug, false)).statusCode, 303);
  assert.equal(await forMembers(host, d.id), false);
  assert.ok(!(await listPage(member)).includes('Plan vélo des communes'));
  assert.ok(!(await apiList(hosted)).from_hosts.some((h) => h.slug === d.slug));
  const journal = await t.db.transaction(host.id, (tx) => tx.query("select data from journal_entries where action = 'debates.debate.for_members'"));
  assert.ok(journal.length >= 2);
});

test('at creation through the API: a host may run it for its members at once; a collectivité without members is refused, nothing created', async () => {
  const create = async (tenant: Tenant, title: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/${tenant.slug}/debates`,
      headers: { authorization: `Bearer ${await apiToken(t, tenant.id, 'moderator')}`, 'content-type': 'application/json' },
      payload: {
        title,
        status: 'published',
        for_members: true,
        phases: [{ kind: 'information', starts_on: addDays(today(), -1), ends_on: addDays(today(), 9) }],
      },
    });
  const refused = await create(outsider, 'Sans membres à qui la mener');
  assert.equal(refused.statusCode, 422, refused.body);
  const count = await t.db.transaction(outsider.id, (tx) => tx.query("select 1 from debates where title = 'Sans membres à qui la mener'"));
  assert.equal(count.length, 0);
  const made = await create(host, 'Schéma des mobilités');
  assert.equal(made.statusCode, 201, made.body);
  assert.ok((await apiList(member)).from_hosts.some((h) => h.slug === made.json<{ slug: string }>().slug));
});
