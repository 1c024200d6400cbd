// `bastide tenant export` and `bastide tenant import` through the real CLI, between two installations of
// the engine under test: the imported journal verifies with `bastide audit verify --tenant`, a second import
// is refused, and an export with credentials says the file is sensitive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freshInstallation, lines, type Installation } from './cli.ts';

let from: Installation;
let to: Installation;

before(async () => {
  from = await freshInstallation();
  to = await freshInstallation();
});
after(async () => {
  await from?.cleanup();
  await to?.cleanup();
});

test('tenant export, then tenant import elsewhere: the journal verifies there; importing twice is refused', async () => {
  const added = await from.run(['tenant', 'add', '--commune', '44109']);
  assert.equal(added.code, 0, added.stderr);
  const user = await from.run([
    'user',
    'add',
    '--email',
    'agent@example.org',
    '--name',
    'Agent',
    '--tenant',
    'nantes',
    '--role',
    'agent',
    '--password',
    'correct horse battery staple',
  ]);
  assert.equal(user.code, 0, user.stderr);
  const file = join(from.dataDir, 'nantes.zip');
  const exported = await from.run(['tenant', 'export', 'nantes', file]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /nantes\.zip\t.*\t\d+ tables\t\d+ rows\t0 files/);
  assert.equal(exported.stderr, '', 'no credentials warning without --with-credentials');

  const imported = await to.run(['tenant', 'import', file]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(lines(imported.stdout)[0]!, /^nantes\t/);
  assert.match(imported.stdout, /people: 1 created/);
  const verified = await to.run(['audit', 'verify', '--tenant', 'nantes']);
  assert.equal(verified.code, 0, verified.stderr);
  assert.match(verified.stdout, /journal intact/);
  const listed = await to.run(['tenant', 'list']);
  assert.match(listed.stdout, /^nantes\tNantes\tcommune\t44109$/m);

  const again = await to.run(['tenant', 'import', file, '--slug', 'nantes-bis']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already has the collectivité/);

  const secret = await from.run(['tenant', 'export', 'nantes', join(from.dataDir, 'secret.zip'), '--with-credentials']);
  assert.equal(secret.code, 0, secret.stderr);
  assert.match(secret.stderr, /holds credentials/);
});
