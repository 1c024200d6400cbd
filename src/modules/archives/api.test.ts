// The archives API and deposit, attacked first: other collectivités, staff without the archivist role,
// hostile uploads (oversized, digests that lie), then the happy path (French full-text search, filters,
// effective rules with their origin, a host's shared library).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { archivesTenant, bytes, deposit, ingest, principal } from '../../../test/support/archives/archives.ts';
import { pdf } from '../../../test/support/archives/files.ts';
import { ingestUnits } from './index.ts';

// Read by the upload route from the environment (like the catalogue's limit): a small budget to attack.
process.env.BASTIDE_ARCHIVES_MAX_UPLOAD_BYTES = String(64 * 1024);
let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

function blobFiles(tenantId: string): string[] {
  const dir = join(t.config.dataDir, 'files', tenantId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((p) => readdirSync(join(dir, p)));
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

test('attack: staff without the archivist role, citizens and other collectivités cannot deposit; nothing is stored', async () => {
  const a = await archivesTenant(t);
  const b = await archivesTenant(t);
  const files = [{ name: 'x.pdf', body: pdf('1.7') }];
  assert.equal((await deposit(t, a, { title: 'Essai' }, files, a.agentToken)).statusCode, 403);
  // B's archivist token under A's address: the token belongs to B, refused before any byte is read.
  const cross = await deposit(t, a, { title: 'Essai' }, files, b.archivistToken);
  assert.ok([401, 403, 404].includes(cross.statusCode), String(cross.statusCode));
  const page = await t.app.inject({ method: 'GET', url: `${a.base}/verser`, headers: a.agent.headers });
  assert.equal(page.statusCode, 403);
  assert.deepEqual(blobFiles(a.tenant.id), []);
  assert.deepEqual(blobFiles(b.tenant.id), []);
});

test('attack: an upload past the request budget, or a declared digest that lies, is refused whole: no row, no byte', async () => {
  const a = await archivesTenant(t);
  const big = await deposit(t, a, { title: 'Trop gros' }, [
    { name: 'a.txt', body: 'petit\n' },
    { name: 'b.bin', body: Buffer.alloc(70 * 1024, 1) },
  ]);
  assert.equal(big.statusCode, 422);
  assert.match(big.body, /trop volumineux/);
  await assert.rejects(
    ingestUnits(t.deps, principal(a.tenant.id), {
      kind: 'seda',
      units: [
        { title: 'Un', objects: [{ filename: 'ok.txt', source: bytes('un\n') }] },
        { title: 'Deux', objects: [{ filename: 'faux.txt', source: bytes('deux\n'), expected: { sha512: 'ab'.repeat(64) } }] },
      ],
    }),
    (e: Error & { details?: { errors: Record<string, string[]> } }) => /SHA-512/.test(JSON.stringify(e.details?.errors)),
  );
  await assert.rejects(
    ingestUnits(t.deps, principal(a.tenant.id), {
      kind: 'seda',
      units: [{ title: 'Un', objects: [{ filename: 'n.txt', source: bytes('abc'), expected: { size: 4 } }] }],
    }),
    (e: Error & { details?: { errors: Record<string, string[]> } }) => /3 octets au lieu des 4/.test(JSON.stringify(e.details?.errors)),
  );
  // Unknown rule: refused after staging, the staged bytes taken back.
  await assert.rejects(
    ingestUnits(t.deps, principal(a.tenant.id), {
      kind: 'upload',
      units: [{ title: 'R', rules: [{ category: 'access', rule_code: 'INCONNUE', start_date: null }], objects: [{ filename: 'r.txt', source: bytes('r') }] }],
    }),
    /invalid|422/,
  );
  const rows = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ n: number }>('select (select count(*) from archives_units) + (select count(*) from archives_objects) + (select count(*) from blobs) as n'),
  );
  assert.equal(Number(rows!.n), 0);
  assert.deepEqual(blobFiles(a.tenant.id), []);
});

test('an archivist deposits through the API: unit, objects with digests and PRONOM format, journal entry; French search finds it', async () => {
  const a = await archivesTenant(t);
  const res = await deposit(
    t,
    a,
    {
      title: 'Marchés publics de voirie',
      description: 'Pièces des marchés de réfection des chaussées communales.',
      keywords: 'voirie, marchés',
      start_date: '2019-01-01',
      end_date: '2020-06-30',
      access_rule: 'ACC-25',
      appraisal_rule: 'APP-COMPTA-10-D',
    },
    [
      { name: 'marche.pdf', body: pdf('1.7', '2B') },
      { name: 'lots.csv', body: 'lot;montant\n1;1000\n2;2500\n' },
    ],
  );
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json<{ id: string; objects: Array<{ format_id: string; sha512: string; mime: string }> }>();
  assert.deepEqual(
    body.objects.map((o) => [o.format_id, o.mime, o.sha512.length]),
    [
      ['fmt/477', 'application/pdf', 128],
      ['x-fmt/18', 'text/csv', 128],
    ],
  );
  const entry = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ data: { objects: number } }>(`select data from journal_entries where action = 'archives.ingest'`),
  );
  assert.equal(entry!.data.objects, 2);
  // French stemming: "marché" finds "marchés", "chaussée" finds "chaussées".
  for (const q of ['marché', 'chaussée', 'voirie']) {
    const found = await t.app.inject({ url: `${a.api}/units?q=${encodeURIComponent(q)}`, headers: auth(a.archivistToken) });
    assert.equal(found.statusCode, 200);
    const page = found.json<{ items: Array<{ id: string; title: string }>; total: number }>();
    assert.deepEqual([page.total, page.items[0]?.id], [1, body.id], q);
  }
  const none = await t.app.inject({ url: `${a.api}/units?q=urbanisme`, headers: auth(a.archivistToken) });
  assert.equal(none.json<{ total: number }>().total, 0);
  const byRule = await t.app.inject({ url: `${a.api}/units?rule=ACC-25&from=2020-01-01`, headers: auth(a.archivistToken) });
  assert.equal(byRule.json<{ total: number }>().total, 1);
  const before = await t.app.inject({ url: `${a.api}/units?to=2018-12-31`, headers: auth(a.archivistToken) });
  assert.equal(before.json<{ total: number }>().total, 0);
  const bad = await t.app.inject({ url: `${a.api}/units?from=hier`, headers: auth(a.archivistToken) });
  assert.equal(bad.statusCode, 422);
});

test('attack: units not yet communicable are hidden from staff who are not archivists (search, unit, objects), and other collectivités see nothing', async () => {
  const a = await archivesTenant(t);
  const b = await archivesTenant(t);
  const result = await ingest(t, a.tenant.id, [
    {
      title: 'Dossiers de personnel',
      end_date: '2020-01-01',
      rules: [{ category: 'access', rule_code: 'ACC-50', start_date: '2020-01-01' }],
      objects: [{ filename: 'carriere.txt', source: bytes('confidentiel\n') }],
    },
    { title: 'Registre public', end_date: '1990-01-01', rules: [{ category: 'access', rule_code: 'ACC-25', start_date: '1990-01-01' }] },
    { title: 'Sans règle', objects: [{ filename: 'libre.txt', source: bytes('libre\n') }] },
  ]);
  const [closed, open] = result.units;
  const list = async (token: string, slug = a.tenant.slug) =>
    (await t.app.inject({ url: `/api/v1/${slug}/archives/units`, headers: auth(token) })).json<{ items: Array<{ title: string }>; total: number }>();
  assert.deepEqual((await list(a.archivistToken)).total, 3);
  const agentView = await list(a.agentToken);
  assert.deepEqual(agentView.items.map((i) => i.title).sort(), ['Registre public', 'Sans règle']);
  assert.equal((await t.app.inject({ url: `${a.api}/units/${closed!.id}`, headers: auth(a.agentToken) })).statusCode, 404);
  assert.equal((await t.app.inject({ url: `${a.api}/units/${open!.id}`, headers: auth(a.agentToken) })).statusCode, 200);
  assert.equal((await t.app.inject({ url: `${a.base}/unites/${closed!.id}`, headers: a.agent.headers })).statusCode, 404);
  const objectUrl = `${a.base}/unites/${closed!.id}/objets/${result.objects[0]!.id}`;
  assert.equal((await t.app.inject({ url: objectUrl, headers: a.agent.headers })).statusCode, 404);
  assert.equal((await t.app.inject({ url: objectUrl, headers: a.archivist.headers })).body, 'confidentiel\n');
  assert.doesNotMatch((await t.app.inject({ url: a.base, headers: a.agent.headers })).body, /Dossiers de personnel/);
  // Citizens: no access at all. Another collectivité: nothing, by either address.
  assert.equal((await t.app.inject({ url: a.base, headers: a.citizen.headers })).statusCode, 403);
  assert.equal((await list(b.archivistToken, b.tenant.slug)).total, 0);
  assert.equal((await t.app.inject({ url: `${b.api}/units/${open!.id}`, headers: auth(b.archivistToken) })).statusCode, 404);
  assert.equal((await t.app.inject({ url: `${b.base}/unites/${open!.id}`, headers: b.archivist.headers })).statusCode, 404);
});

test('effective rules: inherited from the parent with their origin, PreventInheritance and RefNonRuleId honoured', async () => {
  const a = await archivesTenant(t);
  const tree = await ingest(t, a.tenant.id, [
    {
      title: 'Fonds',
      end_date: '2001-01-01',
      rules: [
        { category: 'access', rule_code: 'ACC-25', start_date: '2001-01-01' },
        { category: 'appraisal', rule_code: 'APP-DOSSIER-10-D', start_date: '2001-01-01' },
      ],
      children: [
        { title: 'Hérite' },
        {
          title: 'Bloque la communicabilité',
          prevent_inheritance: ['access'],
          rules: [{ category: 'access', rule_code: 'ACC-100', start_date: '2001-01-01' }],
        },
        { title: 'Refuse la DUA', ref_non_rule_ids: { appraisal: ['APP-DOSSIER-10-D'] } },
      ],
    },
  ]);
  const unit = async (title: string) => {
    const id = tree.units.find((u) => u.title === title)!.id;
    return (await t.app.inject({ url: `${a.api}/units/${id}`, headers: auth(a.archivistToken) })).json<{
      access_end: string;
      appraisal_final: string | null;
      effective_rules: Array<{ code: string; origin: string; inherited: boolean; end_date: string }>;
    }>();
  };
  const fonds = tree.units[0]!.id;
  const inherits = await unit('Hérite');
  assert.deepEqual(
    inherits.effective_rules.map((r) => [r.code, r.origin === fonds, r.inherited, r.end_date]),
    [
      ['APP-DOSSIER-10-D', true, true, '2011-01-01'],
      ['ACC-25', true, true, '2026-01-01'],
    ],
  );
  assert.equal(inherits.access_end, '2026-01-01');
  const blocks = await unit('Bloque la communicabilité');
  assert.deepEqual(
    blocks.effective_rules.filter((r) => r.code.startsWith('ACC')).map((r) => [r.code, r.inherited]),
    [['ACC-100', false]],
  );
  assert.equal(blocks.access_end, '2101-01-01');
  const refuses = await unit('Refuse la DUA');
  assert.deepEqual(
    refuses.effective_rules.map((r) => r.code),
    ['ACC-25'],
  );
  assert.equal(refuses.appraisal_final, null);
});

test('a host shares its rule library with its members; a member cannot see what is not shared, nor another collectivité at all', async () => {
  const host = await archivesTenant(t);
  const member = await archivesTenant(t);
  const stranger = await archivesTenant(t);
  await t.db.ownerTransaction((tx) =>
    tx.query(`insert into tenant_relations (tenant_id, related_tenant_id, kind) values ($1, $2, 'hosted_by')`, [member.tenant.id, host.tenant.id]),
  );
  const add = (code: string) =>
    t.app.inject({
      method: 'POST',
      url: `${host.base}/regles`,
      headers: { ...host.archivist.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: host.archivist.csrf,
        code,
        category: 'appraisal',
        label: `Règle ${code}`,
        duration_years: '5',
        final_action: 'destroy',
        legal_ground: '',
      }).toString(),
    });
  assert.equal((await add('HOTE-PARTAGEE')).statusCode, 303);
  assert.equal((await add('HOTE-PRIVEE')).statusCode, 303);
  const share = await t.app.inject({
    method: 'POST',
    url: `${host.base}/regles/partage`,
    headers: { ...host.archivist.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: host.archivist.csrf, code: 'HOTE-PARTAGEE', shared: 'true' }).toString(),
  });
  assert.equal(share.statusCode, 303);
  const rulesPage = async (x: typeof host) => (await t.app.inject({ url: `${x.base}/regles`, headers: x.archivist.headers })).body;
  assert.match(await rulesPage(member), /HOTE-PARTAGEE/);
  assert.doesNotMatch(await rulesPage(member), /HOTE-PRIVEE/);
  assert.doesNotMatch(await rulesPage(stranger), /HOTE-/);
  // The member uses the shared rule; the private one is unknown to it.
  const ok = await ingest(t, member.tenant.id, [
    { title: 'Avec règle partagée', end_date: '2000-01-01', rules: [{ category: 'appraisal', rule_code: 'HOTE-PARTAGEE', start_date: '2000-01-01' }] },
  ]);
  assert.equal(ok.units.length, 1);
  await assert.rejects(
    ingest(t, member.tenant.id, [{ title: 'X', rules: [{ category: 'appraisal', rule_code: 'HOTE-PRIVEE', start_date: null }] }]),
    /invalid/,
  );
  await assert.rejects(
    ingest(t, stranger.tenant.id, [{ title: 'X', rules: [{ category: 'appraisal', rule_code: 'HOTE-PARTAGEE', start_date: null }] }]),
    /invalid/,
  );
  // A rule written once is never edited: the application role may change its label and sharing only.
  await assert.rejects(
    t.db.transaction(host.tenant.id, (tx) => tx.query(`update archives_rules set duration_years = 1 where code = 'HOTE-PARTAGEE'`)),
    /permission denied/,
  );
});

test('a unit of many objects: its page lists the first 100 and says how many there are (page budgets hold)', async () => {
  const a = await archivesTenant(t);
  const r = await ingest(t, a.tenant.id, [
    { title: 'Gros versement', objects: Array.from({ length: 250 }, (_, i) => ({ filename: `p${i}.txt`, source: bytes(`pièce ${i}\n`) })) },
  ]);
  const page = await t.app.inject({ url: `${a.base}/unites/${r.units[0]!.id}`, headers: a.archivist.headers });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /250 objets — les 100 premiers sont affichés/);
  assert.equal((page.body.match(/\/objets\//g) ?? []).length, 100);
  const api = (await t.app.inject({ url: `${a.api}/units/${r.units[0]!.id}`, headers: auth(a.archivistToken) })).json<{
    object_count: number;
    objects: unknown[];
  }>();
  assert.deepEqual([api.object_count, api.objects.length], [250, 250]);
});
