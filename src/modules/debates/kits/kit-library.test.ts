// Kits across collectivités, attacked first: an unshared kit is invisible to another collectivité, nobody
// edits another's kit, a network's kits are invisible to non-members; then what sharing does allow —
// the host's library for the collectivités it hosts, a network's members — and copying in one step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { kitsTenant, relate } from '../../../../test/support/debates/kits.ts';
import { createTenant } from '../../../core/tenancy/create-tenant.ts';
import { HttpError } from '../../../core/base/errors.ts';
import { addKitVersion, adoptProductKit, importKit, saveDebateAsKit, shareKit } from './actions/kit-library.ts';
import { copyKitIntoDebate } from './actions/copy-kit.ts';
import { kitUsers, kitVersions, visibleKits } from './kits.repository.ts';
import { PRODUCT_KITS } from './product-kits.ts';
import { meetingsOf } from './meetings.repository.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const fiveG = PRODUCT_KITS[0]!.kit;
const status = async (p: Promise<unknown>) => {
  try {
    await p;
    return 200;
  } catch (e) {
    if (e instanceof HttpError) return e.statusCode;
    throw e;
  }
};
const slugsSeenBy = (tenantId: string) => t.db.transaction(tenantId, async (tx) => (await visibleKits(tx)).map((k) => `${k.owner_slug}/${k.slug}`));

test('an unshared kit: another collectivité neither sees it, nor copies it, nor adds a version to it', async () => {
  const owner = await kitsTenant(t.db);
  const other = await kitsTenant(t.db);
  await importKit(t.db, owner.as(), JSON.stringify({ ...fiveG, title: 'Kit privé' }), { slug: 'prive' });
  assert.deepEqual(await slugsSeenBy(other.tenant.id), []);
  assert.equal(await status(copyKitIntoDebate(t.db, other.as(), { ownerSlug: owner.tenant.slug, slug: 'prive' }, { startsOn: '2027-01-04' })), 404);
  // Editing: the other's "own kit" lookup is under RLS, so the same slug in its own library is all it can reach.
  assert.equal(await status(addKitVersion(t.db, other.as(), 'prive', fiveG)), 404);
  assert.equal(await status(shareKit(t.db, other.as(), 'prive', 'hosted')), 404);
  const rows = await t.db.transaction(other.tenant.id, (tx) => tx.query('select * from debate_kit_versions'));
  assert.equal(rows.length, 0, 'RLS hides the versions table itself');
  const k = await t.db.ownerTransaction((o) => o.one<{ id: string }>('select id from debate_kits where tenant_id = $1', [owner.tenant.id]));
  const direct = await t.db.transaction(other.tenant.id, (tx) => kitVersions(tx, owner.tenant.id, k!.id));
  assert.equal(direct.length, 0, 'the definer function refuses a kit the caller may not see, even by its ids');
  // A citizen of the owner cannot manage the library either.
  assert.equal(await status(importKit(t.db, owner.as(['citizen']), fiveG)), 403);
});

test('the host shares its library with the collectivités it hosts, not with others', async () => {
  const host = await kitsTenant(t.db);
  const hosted = await kitsTenant(t.db);
  const outsider = await kitsTenant(t.db);
  await relate(t.db, hosted.tenant.id, host.tenant.id, 'hosted_by');
  await adoptProductKit(t.db, host.as(), 'debat-local-5g');
  assert.deepEqual(await slugsSeenBy(hosted.tenant.id), [], 'private until shared');
  await shareKit(t.db, host.as(), 'debat-local-5g', 'hosted');
  assert.deepEqual(await slugsSeenBy(hosted.tenant.id), [`${host.tenant.slug}/debat-local-5g`]);
  assert.deepEqual(await slugsSeenBy(outsider.tenant.id), []);
  assert.equal(await status(copyKitIntoDebate(t.db, outsider.as(), { ownerSlug: host.tenant.slug, slug: 'debat-local-5g' }, { startsOn: '2027-03-15' })), 404);
  const copied = await copyKitIntoDebate(t.db, hosted.as(), { ownerSlug: host.tenant.slug, slug: 'debat-local-5g' }, { startsOn: '2027-03-15' });
  assert.deepEqual(
    copied.phases.map((p) => [p.starts_on, p.ends_on]),
    [
      ['2027-03-15', '2027-03-28'],
      ['2027-03-29', '2027-04-18'],
      ['2027-04-19', '2027-05-02'],
      ['2027-05-03', '2027-06-01'],
    ],
  );
  const meetings = await t.db.transaction(hosted.tenant.id, (tx) => meetingsOf(tx, copied.debate.id));
  // Day 21 at 18:30 in Paris, summer time from 28 March 2027: 16:30 UTC on 5 April.
  assert.deepEqual(
    meetings.map((m) => m.starts_at.toISOString()),
    ['2027-03-24T13:00:00.000Z', '2027-04-05T16:30:00.000Z'],
  );
  const users = await t.db.transaction(host.tenant.id, async (tx) => {
    const k = (await visibleKits(tx))[0]!;
    return kitUsers(tx, { owner: k.owner_tenant, kitId: k.id });
  });
  assert.deepEqual(
    users.map((u) => [u.tenant_slug, u.version]),
    [[hosted.tenant.slug, 1]],
  );
  // The outsider cannot list the users of the host's kit either.
  const hostKit = (await t.db.transaction(host.tenant.id, visibleKits))[0]!;
  const peek = await t.db.transaction(outsider.tenant.id, (tx) => kitUsers(tx, { owner: hostKit.owner_tenant, kitId: hostKit.id }));
  assert.deepEqual(peek, []);
});

test('a network kit: members see and copy it, a non-member does not; sharing with a network one is not in is refused', async () => {
  const a = await kitsTenant(t.db);
  const b = await kitsTenant(t.db);
  const c = await kitsTenant(t.db);
  const created = await createTenant(t.db, { kind: 'network', name: `Réseau test ${process.pid} ${Date.now()}`, slug: `reseau-${process.pid}-${Date.now()}` });
  assert.ok(created.ok, created.ok ? '' : created.message);
  const network = created.tenant;
  await relate(t.db, a.tenant.id, network.id, 'network_member');
  await relate(t.db, b.tenant.id, network.id, 'network_member');
  await importKit(t.db, a.as(), fiveG, { slug: 'cinq-g' });
  assert.equal(await status(shareKit(t.db, c.as(), 'cinq-g', 'network', [network.id])), 404);
  await importKit(t.db, c.as(), fiveG, { slug: 'cinq-g' });
  assert.equal(await status(shareKit(t.db, c.as(), 'cinq-g', 'network', [network.id])), 422, 'c is not a member');
  await shareKit(t.db, a.as(), 'cinq-g', 'network', [network.id]);
  assert.ok((await slugsSeenBy(b.tenant.id)).includes(`${a.tenant.slug}/cinq-g`));
  assert.ok(!(await slugsSeenBy(c.tenant.id)).includes(`${a.tenant.slug}/cinq-g`));
  await addKitVersion(t.db, a.as(), 'cinq-g', { ...fiveG, title: 'Débat 5G, version 2' }, 'Titre revu');
  const copied = await copyKitIntoDebate(t.db, b.as(), { ownerSlug: a.tenant.slug, slug: 'cinq-g' }, { startsOn: '2027-09-06' });
  assert.equal(copied.debate.title, 'Débat 5G, version 2');
  assert.deepEqual(copied.debate.origin, {
    kit: { owner: a.tenant.id, id: copied.debate.origin!.kit && (copied.debate.origin!.kit as { id: string }).id, version: 2 },
  });
  // b saves its adapted debate as a kit: a new kit in b's library, not a version of a's.
  const saved = await saveDebateAsKit(t.db, b.as(), copied.debate.slug);
  assert.equal(saved.version, 1);
  const versionsOfA = await t.db.transaction(a.tenant.id, async (tx) => {
    const k = (await visibleKits(tx)).find((x) => x.slug === 'cinq-g' && x.owner_tenant === a.tenant.id)!;
    return (await kitVersions(tx, k.owner_tenant, k.id)).map((v) => v.version);
  });
  assert.deepEqual(versionsOfA, [2, 1]);
});

test('a debate copied from its own kit is saved as a new version of that kit', async () => {
  const a = await kitsTenant(t.db);
  await adoptProductKit(t.db, a.as(), 'debat-local-5g');
  const copied = await copyKitIntoDebate(
    t.db,
    a.as(),
    { ownerSlug: a.tenant.slug, slug: 'debat-local-5g' },
    { startsOn: '2027-01-04', title: 'La 5G chez nous' },
  );
  const saved = await saveDebateAsKit(t.db, a.as(), copied.debate.slug, { note: 'Adapté' });
  assert.deepEqual([saved.slug, saved.version], ['debat-local-5g', 2]);
  const v2 = await t.db.transaction(a.tenant.id, async (tx) => {
    const k = (await visibleKits(tx))[0]!;
    return (await kitVersions(tx, k.owner_tenant, k.id))[0]!;
  });
  assert.equal(v2.document.title, 'La 5G chez nous');
  assert.deepEqual(
    v2.document.phases.map((p) => p.durationDays),
    fiveG.phases.map((p) => p.durationDays),
  );
  assert.deepEqual(
    v2.document.meetings.map((m) => [m.day, m.startTime]),
    [
      [9, '14:00'],
      [21, '18:30'],
    ],
  );
  assert.equal(v2.document.faq.length, fiveG.faq.length);
});

test('a kit file that is not a kit is refused with its reason and nothing is written', async () => {
  const a = await kitsTenant(t.db);
  await assert.rejects(importKit(t.db, a.as(), '{"format":"bastide-debate-kit","formatVersion":2}'), (e: HttpError) => {
    assert.equal(e.statusCode, 422);
    return true;
  });
  const n = await t.db.transaction(a.tenant.id, (tx) => tx.one<{ n: number }>('select count(*)::int as n from debate_kits'));
  assert.equal(n!.n, 0);
});
