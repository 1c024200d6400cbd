// The demo tells the seed's story over HTTP: open Les Interconnectés, see the commission "Numérique" with
// its four co-presidents and the meeting of 4 February 2021, open the adopted Cité+ contribution (its
// document, its endorsements), the forum of 17–18 March 2021, who uses what, then go to Nantes Métropole's
// roadmap. The network's seed runs twice and nothing doubles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { seedCoreDemo } from '../../../core/seed/demo.ts';
import { roadmapModule } from '../index.ts';
import { seedNetworkDemo } from './seed.ts';

let t: TestApp;

before(async () => {
  t = await startTestApp();
  await seedCoreDemo(t.db);
  await roadmapModule.seedDemo!({ db: t.db, config: t.config }, () => {});
});

after(async () => {
  await t.close();
});

test('open the network, the commission, its meeting and its contribution, then Nantes Métropole’s roadmap', async () => {
  const home = await t.app.inject({ url: '/les-interconnectes/reseau' });
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /Commission « Numérique »/);
  assert.match(home.body, /Contribution du groupe Cité\+/);
  assert.match(home.body, /Forum des Interconnectés 2021/);
  assert.match(home.body, /Territoir’Prod/);

  const commission = await t.app.inject({ url: '/les-interconnectes/reseau/instances/numerique' });
  assert.equal(commission.statusCode, 200);
  for (const name of ['Francky Trichet', 'Bertrand Serp', 'Jacques Oberti', 'Marlène le Dieu de Ville', 'Nantes Métropole', 'Toulouse Métropole']) {
    assert.match(commission.body, new RegExp(name));
  }
  const meetingHref = /href="(\/les-interconnectes\/reseau\/reunions\/[0-9a-f-]+)"/.exec(commission.body)![1]!;
  const meeting = await t.app.inject({ url: meetingHref });
  assert.match(meeting.body, /4 février 2021/);
  assert.match(meeting.body, /Renouvellement des co-présidences/);

  const contribution = await t.app.inject({ url: '/les-interconnectes/reseau/contributions/contribution-cite-plus' });
  assert.equal(contribution.statusCode, 200);
  assert.match(contribution.body, /Adoptée par Commission « Numérique » le 4 février 2021/);
  for (const topic of ['Cloud souverain', 'relation aux usagers', 'Gouvernance territoriale de la donnée', 'Archivage numérique'])
    assert.match(contribution.body, new RegExp(topic));
  assert.match(contribution.body, /2 collectivités soutiennent/);
  const pdf = await t.app.inject({ url: '/les-interconnectes/reseau/contributions/contribution-cite-plus/versions/1' });
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');

  const forum = await t.app.inject({ url: '/les-interconnectes/reseau/evenements/forum-2021' });
  assert.match(forum.body, /du 17 mars 2021 au 18 mars 2021/);
  assert.match(forum.body, /Gouvernance territoriale de la donnée/);

  const solutions = await t.app.inject({ url: '/les-interconnectes/reseau/solutions?theme=relation%20aux%20usagers' });
  assert.match(solutions.body, /Publik/);
  assert.doesNotMatch(solutions.body, /As@lae/);
  const near = await t.app.inject({ url: '/les-interconnectes/reseau/solutions/publik?pres-de=sicoval' });
  // Toulouse Métropole (Haute-Garonne, as the Sicoval) comes before the CC de Lacq-Orthez (Pyrénées-Atlantiques).
  const users = near.body.slice(near.body.indexOf('<h2>'));
  assert.ok(users.indexOf('Toulouse Métropole') < users.indexOf('Lacq-Orthez'));
  assert.match(near.body, /même département/);

  const view = await t.app.inject({ url: '/les-interconnectes/reseau/vue' });
  assert.equal(view.statusCode, 200);
  const roadmapHref = /href="(\/nantes-metropole\/feuille-de-route)"/.exec(view.body)![1]!;
  const roadmap = await t.app.inject({ url: roadmapHref });
  assert.equal(roadmap.statusCode, 200);
});

test('the network’s demo seed is idempotent', async () => {
  const counts = () =>
    t.db.ownerTransaction((tx) =>
      tx.one<Record<string, number>>(
        `select (select count(*)::int from network_bodies) as bodies, (select count(*)::int from network_seats) as seats,
                (select count(*)::int from network_contribution_versions) as versions, (select count(*)::int from network_endorsements) as endorsements,
                (select count(*)::int from network_solution_uses) as uses, (select count(*)::int from tenant_relations where kind = 'network_member') as members`,
      ),
    );
  const first = await counts();
  await seedNetworkDemo({ db: t.db, config: t.config }, () => {});
  assert.deepEqual(await counts(), first);
  assert.equal(first!.members, 4);
});
