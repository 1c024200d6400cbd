// One access rule for the instruction side (procedures.policy.ts): the daily digest tells each agent about
// exactly the dossiers their inbox lists; the dossier PDF and bulk labels refuse the others. Issue 10
// row 18: the digest had its own scope (an agent in no group was told about every dossier, a group member
// who may not instruct got a digest, a designer in a group was told about their group only).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestTenant, createPerson, browserFor, postForm, type TestApp, type TestPerson } from '../../../../test/helpers/app.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';
import { submitDossier } from '../actions/submit-dossier.ts';
import { sendDailyDigests } from './digest.ts';
import { startOpsApp, startSmtp, parseMail, principal, publishedProcedure, SUBSIDY_ANSWERS } from '../../../../test/support/procedures/ops.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let tenant: Tenant;
/** Dossier numbers by where they were routed. */
const numbers: Record<'g1' | 'g2' | 'none', number[]> = { g1: [], g2: [], none: [] };
let people: Record<'inG1' | 'noGroup' | 'g2NotAgent' | 'designerInG1', TestPerson>;

before(async () => {
  smtp = await startSmtp();
  t = await startOpsApp({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, BASTIDE_BASE_URL: 'https://bastide.example' });
  tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  people = {
    inG1: await createPerson(t.db, { [tenant.id]: ['agent'] }),
    noGroup: await createPerson(t.db, { [tenant.id]: ['agent'] }),
    g2NotAgent: await createPerson(t.db, { [tenant.id]: ['citizen'] }),
    designerInG1: await createPerson(t.db, { [tenant.id]: ['agent', 'procedure_admin'] }),
  };
  const guest = { ...principal(tenant.id, []), actor: 'anonymous', viaToken: false };
  const routes = ['g1', 'g1', 'g2', 'none'] as const;
  const filed: Array<{ id: string; number: number; route: (typeof routes)[number] }> = [];
  for (const [i, route] of routes.entries()) {
    const { dossier } = await submitDossier(t.deps, guest, { procedure: procedure.id, email: `d${i}@example.org`, data: SUBSIDY_ANSWERS });
    filed.push({ id: dossier.id, number: Number(dossier.number), route });
    numbers[route].push(Number(dossier.number));
  }
  await t.db.transaction(tenant.id, async (tx) => {
    const group = async (name: string, members: TestPerson[]) => {
      const g = await tx.one<{ id: string }>(`insert into agent_groups (tenant_id, name) values (app_tenant(), $1) returning id`, [name]);
      for (const m of members) await tx.query('insert into agent_group_members (tenant_id, group_id, person_id) values (app_tenant(), $1, $2)', [g!.id, m.id]);
      return g!.id;
    };
    const ids = { g1: await group('Sport', [people.inG1, people.designerInG1]), g2: await group('Culture', [people.g2NotAgent]) };
    for (const d of filed) if (d.route !== 'none') await tx.query('update dossiers set group_id = $2 where id = $1', [d.id, ids[d.route]]);
  });
});
after(async () => {
  await t.close();
  await smtp.stop();
});

/** The dossier numbers a person's inbox lists (the HTML inbox, signed in), or null when refused. */
async function inboxOf(person: TestPerson): Promise<number[] | null> {
  const browser = await browserFor(t, person.id);
  const res = await t.app.inject({ method: 'GET', url: `/${tenant.slug}/instruction`, headers: browser.headers });
  if (res.statusCode === 403) return null;
  assert.equal(res.statusCode, 200, res.body.slice(0, 300));
  const listed = [...res.body.matchAll(new RegExp(`href="/${tenant.slug}/instruction/dossiers/(\\d+)"`, 'g'))].map((m) => Number(m[1]));
  return [...new Set(listed)].sort((x, y) => x - y);
}

test('the digest tells each agent about exactly the dossiers their inbox lists', async () => {
  const morning = new Date(Date.now() + 1000);
  morning.setUTCHours(8, 0, 0, 0); // 9:00 or 10:00 in Paris
  const start = smtp.received.length;
  await sendDailyDigests(t.db, t.config, morning);
  await t.deps.jobs.drain();
  const mails = smtp.received.slice(start).map((m) => ({ to: m.to[0], mail: parseMail(m.raw) }));
  const waitingIn = (p: TestPerson): number | null => {
    const mail = mails.find((m) => m.to === p.email);
    return mail ? Number(/, (\d+) en attente$/.exec(mail.mail.subject)?.[1]) : null;
  };

  const all = [...numbers.g1, ...numbers.g2, ...numbers.none].sort((x, y) => x - y);
  const expected = {
    inG1: [...numbers.g1, ...numbers.none].sort((x, y) => x - y),
    noGroup: numbers.none,
    g2NotAgent: null,
    designerInG1: all,
  };
  for (const [name, person] of Object.entries(people) as Array<[keyof typeof people, TestPerson]>) {
    const inbox = await inboxOf(person);
    assert.deepEqual(inbox, expected[name], `${name}: inbox`);
    assert.equal(waitingIn(person), inbox === null ? null : inbox.length, `${name}: the digest counts what the inbox lists`);
  }
});

test('the dossier PDF and bulk labels follow the same rule: a dossier of another group is not found and not labelled', async () => {
  const browser = await browserFor(t, people.inG1.id);
  const other = numbers.g2[0]!;
  const own = numbers.g1[0]!;
  const pdf = (n: number) => t.app.inject({ method: 'GET', url: `/${tenant.slug}/exports/dossiers/${n}/dossier.pdf`, headers: browser.headers });
  assert.equal((await pdf(own)).statusCode, 200);
  assert.equal((await pdf(other)).statusCode, 404);

  const res = await postForm(t, browser, `/${tenant.slug}/instruction/lot`, { numbers: [String(own), String(other)], action: 'label:add', label: 'urgent' });
  assert.equal(res.statusCode, 303, res.body.slice(0, 300));
  const labels = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ number: number; labels: string[] }>('select number, labels from dossiers where number = any($1::bigint[]) order by number', [[own, other]]),
  );
  assert.deepEqual(
    labels.map((l) => [Number(l.number), l.labels]),
    [
      [own, ['urgent']],
      [other, []],
    ],
  );
  // Nor does the inbox offer the other group's labels as filters.
  await t.db.transaction(tenant.id, (tx) => tx.query(`update dossiers set labels = '{secret-culture}' where number = $1`, [other]));
  const inbox = await t.app.inject({ method: 'GET', url: `/${tenant.slug}/instruction`, headers: browser.headers });
  assert.ok(inbox.body.includes('urgent'));
  assert.ok(!inbox.body.includes('secret-culture'));
});
