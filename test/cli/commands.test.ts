// The administration commands run by the real CLI, with no server running: the CLI opens the data
// itself. Output is for scripts (tab-separated, token alone); errors are one line and a non-zero exit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { verifyPassword } from '../../src/core/auth/passwords.ts';
import { hashToken } from '../../src/core/auth/sessions.ts';
import { freshInstallation, lines, type Installation } from './cli.ts';

let inst: Installation;
before(async () => {
  inst = await freshInstallation();
});
after(() => inst.cleanup());

test('tenant add creates a collectivité from the COG and tenant list shows it', async () => {
  const added = await inst.run(['tenant', 'add', '--commune', '44109', '--slug', 'ville-de-nantes']);
  assert.equal(added.code, 0, added.stderr);
  assert.deepEqual(lines(added.stdout), ['ville-de-nantes\tNantes\tcommune\t44109']);
  const listed = await inst.run(['tenant', 'list']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(lines(listed.stdout), ['ville-de-nantes\tNantes\tcommune\t44109']);
  const journaled = await inst.withDb((db) =>
    db.ownerTransaction((tx) =>
      tx.query<{ action: string }>(`select j.action from journal_entries j join tenants t on t.id = j.tenant_id where t.slug = 'ville-de-nantes'`),
    ),
  );
  assert.deepEqual(
    journaled.map((j) => j.action),
    ['core.tenant.create'],
  );
});

test('refusals are one line on stderr with a non-zero exit, and change nothing', async () => {
  const unknown = await inst.run(['tenant', 'add', '--commune', '99999']);
  assert.equal(unknown.code, 1);
  assert.deepEqual(lines(unknown.stderr), ['bastide: no commune with code "99999" in the COG']);
  assert.equal(unknown.stdout, '');
  const twoKinds = await inst.run(['tenant', 'add', '--commune', '31555', '--region', '76']);
  assert.equal(twoKinds.code, 1);
  assert.equal(lines(twoKinds.stderr).length, 1);
  const role = await inst.run(['token', 'create', '--tenant', 'ville-de-nantes', '--role', 'emperor']);
  assert.equal(role.code, 1);
  assert.deepEqual(lines(role.stderr), ['bastide: unknown role "emperor"']);
  const count = await inst.withDb((db) =>
    db.ownerTransaction((tx) => tx.one<{ n: number }>(`select (select count(*) from tenants)::int + (select count(*) from api_tokens)::int as n`)),
  );
  assert.equal(count!.n, 1);
});

test('user add generates and prints a password when none is given outside a terminal, and grants the role', async () => {
  const res = await inst.run(['user', 'add', '--email', 'agent@example.org', '--name', 'Agent Test', '--tenant', 'ville-de-nantes', '--role', 'agent']);
  assert.equal(res.code, 0, res.stderr);
  const [created, password] = lines(res.stdout);
  assert.match(created!, /^created\tagent@example\.org\t[0-9a-f-]{36}$/);
  const generated = password!.split('\t')[1]!;
  assert.ok(generated.length >= 12);
  const person = await inst.withDb((db) =>
    db.ownerTransaction((tx) =>
      tx.one<{ password_hash: string; roles: string[] }>(
        `select p.password_hash, array_agg(m.role) as roles from people p join memberships m on m.person_id = p.id
     where p.email = 'agent@example.org' group by p.password_hash`,
      ),
    ),
  );
  assert.deepEqual(person!.roles, ['agent']);
  assert.equal(await verifyPassword(person!.password_hash, generated), true);

  const withPassword = await inst.run(['user', 'add', '--email', 'op@example.org', '--name', 'Op', '--password', 'a long enough password', '--host-operator']);
  assert.equal(withPassword.code, 0, withPassword.stderr);
  assert.equal(lines(withPassword.stdout).length, 1);
  const op = await inst.withDb((db) =>
    db.ownerTransaction((tx) =>
      tx.one<{ password_hash: string; is_host_operator: boolean }>(`select password_hash, is_host_operator from people where email = 'op@example.org'`),
    ),
  );
  assert.equal(op!.is_host_operator, true);
  assert.equal(await verifyPassword(op!.password_hash, 'a long enough password'), true);

  const short = await inst.run(['user', 'add', '--email', 'x@example.org', '--name', 'X', '--password', 'short']);
  assert.equal(short.code, 1);
  assert.deepEqual(lines(short.stderr), ['bastide: the password must have at least 12 characters']);
});

test("user add gives a role directly (the host), not to an unverified address, and ends the person's sessions", async () => {
  await inst.withDb((db) =>
    db.ownerTransaction(async (tx) => {
      await tx.query(`insert into people (email, display_name) values ('unverified-cli@example.org', 'U')`);
      const verified = await tx.one<{ id: string }>(
        `insert into people (email, display_name, email_verified_at) values ('verified-cli@example.org', 'V', now()) returning id`,
      );
      await tx.query(`insert into sessions (id, person_id, expires_at) values ('cli-test-session', $1, now() + interval '1 day')`, [verified!.id]);
    }),
  );
  const refused = await inst.run([
    'user',
    'add',
    '--email',
    'unverified-cli@example.org',
    '--name',
    'U',
    '--tenant',
    'ville-de-nantes',
    '--role',
    'tenant_admin',
  ]);
  assert.equal(refused.code, 1);
  assert.match(lines(refused.stderr)[0]!, /^bastide: unverified-cli@example\.org has not verified its address/);
  const granted = await inst.run(['user', 'add', '--email', 'verified-cli@example.org', '--name', 'V', '--tenant', 'ville-de-nantes', '--role', 'archivist']);
  assert.equal(granted.code, 0, granted.stderr);
  const state = await inst.withDb((db) =>
    db.ownerTransaction((tx) =>
      tx.one<{ roles: string[]; sessions: number; journaled: number }>(
        `select (select array_agg(m.role) from memberships m join people p on p.id = m.person_id where p.email like '%verified-cli@example.org') as roles,
            (select count(*)::int from sessions where id = 'cli-test-session') as sessions,
            (select count(*)::int from journal_entries where action = 'core.member.add' and actor = 'cli' and data->>'sessions_ended' = '1') as journaled`,
      ),
    ),
  );
  assert.deepEqual(state, { roles: ['archivist'], sessions: 0, journaled: 1 });
});

test('token create prints only the token, stored hashed with its role and person', async () => {
  const res = await inst.run(['token', 'create', '--tenant', 'ville-de-nantes', '--role', 'agent', '--email', 'agent@example.org']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^bst_[\w-]{40}\n$/);
  const token = res.stdout.trim();
  const row = await inst.withDb((db) =>
    db.ownerTransaction((tx) =>
      tx.one<{ role: string; email: string; slug: string }>(
        `select a.role, p.email, t.slug from api_tokens a join people p on p.id = a.person_id join tenants t on t.id = a.tenant_id
     where a.token_hash = $1`,
        [hashToken(token)],
      ),
    ),
  );
  assert.deepEqual(row, { role: 'agent', email: 'agent@example.org', slug: 'ville-de-nantes' });
});

test('token list shows ids and use but never a token; token revoke revokes once and refuses an unknown id', async () => {
  const created = await inst.run(['token', 'create', '--tenant', 'ville-de-nantes', '--role', 'procedure_admin', '--label', 'connecteur GRU']);
  assert.equal(created.code, 0, created.stderr);
  const listed = await inst.run(['token', 'list', '--tenant', 'ville-de-nantes']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.ok(!listed.stdout.includes(created.stdout.trim()) && !listed.stdout.includes(hashToken(created.stdout.trim())), 'neither the token nor its hash');
  const rows = lines(listed.stdout).map((l) => l.split('\t'));
  const mine = rows.find((r) => r[3] === 'connecteur GRU')!;
  assert.deepEqual([mine[1], mine[2], mine[5], mine[6]], ['procedure_admin', '-', '-', '-']);
  assert.match(mine[4]!, /^\d{4}-\d{2}-\d{2}T/);

  const revoked = await inst.run(['token', 'revoke', '--tenant', 'ville-de-nantes', mine[0]!]);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.deepEqual(lines(revoked.stdout), [`revoked\t${mine[0]}`]);
  const again = await inst.run(['token', 'revoke', '--tenant', 'ville-de-nantes', mine[0]!]);
  assert.deepEqual(lines(again.stdout), [`already revoked\t${mine[0]}`]);
  const relisted = lines((await inst.run(['token', 'list', '--tenant', 'ville-de-nantes'])).stdout).map((l) => l.split('\t'));
  assert.match(relisted.find((r) => r[0] === mine[0])![6]!, /^\d{4}-\d{2}-\d{2}T/);

  for (const id of ['0193a0b0-0000-7000-8000-000000000000', 'nope']) {
    const unknown = await inst.run(['token', 'revoke', '--tenant', 'ville-de-nantes', id]);
    assert.equal(unknown.code, 1);
    assert.deepEqual(lines(unknown.stderr), [`bastide: no API token with id "${id}" in ville-de-nantes`]);
  }
  const journaled = await inst.withDb((db) =>
    db.ownerTransaction((tx) => tx.query<{ action: string }>(`select action from journal_entries where subject_id = $1 order by seq`, [mine[0]])),
  );
  assert.deepEqual(
    journaled.map((j) => j.action),
    ['core.token.create', 'core.token.revoke'],
  );
});

test('audit verify exits 0 on an untouched journal', async () => {
  const res = await inst.run(['audit', 'verify']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^journal intact: \d+ entries checked\n$/);
});
