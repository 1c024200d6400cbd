// Tampering with the audit journal, done the way an attacker with the owner's rights would (the
// append-only trigger disabled), is reported by `bastide audit verify`: non-zero exit and one line that
// names the first broken entry. An untouched journal verifies with exit 0.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Tx } from '../../src/core/db/database.ts';
import { createTenant } from '../../src/core/tenancy/create-tenant.ts';
import { journal } from '../../src/core/audit/journal.ts';
import { sealJournal } from '../../src/core/audit/seal.ts';
import { freshInstallation, lines, type Installation } from './cli.ts';

let inst: Installation;
const SLUGS = ['intact', 'altered', 'deleted', 'swapped', 'tail', 'erased'] as const;
const tenantIds = new Map<string, string>();

before(async () => {
  inst = await freshInstallation();
  await inst.withDb(async (db) => {
    for (const slug of SLUGS) {
      const created = await createTenant(db, { kind: 'syndicate', name: `Syndicat ${slug}`, slug });
      assert.ok(created.ok);
      tenantIds.set(slug, created.tenant.id);
      // Position 1 is the creation of the tenant; four changes follow.
      for (let i = 1; i <= 4; i++) {
        await db.transaction(created.tenant.id, (tx) =>
          journal(tx, {
            actor: 'person:test',
            action: 'test.thing.change',
            subjectType: 'thing',
            subjectId: String(i),
            data: { amount: i * 100, note: 'é' },
          }),
        );
      }
    }
    await sealJournal(db);
  });
});
after(() => inst.cleanup());

/** Runs fn as the owner with the append-only guard off, as someone with full database rights could. */
async function tamper(slug: string, fn: (tx: Tx, tenantId: string) => Promise<void>): Promise<void> {
  await inst.withDb((db) =>
    db.ownerTransaction(async (tx) => {
      await tx.query('alter table journal_entries disable trigger journal_append_only');
      await fn(tx, tenantIds.get(slug)!);
      await tx.query('alter table journal_entries enable trigger journal_append_only');
    }),
  );
}

async function entryAt(slug: string, pos: number): Promise<string> {
  return inst.withDb(
    async (db) =>
      (await db.ownerTransaction((tx) =>
        tx.one<{ id: string }>('select id from journal_entries where tenant_id = $1 and chain_pos = $2', [tenantIds.get(slug), pos]),
      ))!.id,
  );
}

async function verify(slug?: string) {
  const res = await inst.run(['audit', 'verify', ...(slug ? ['--tenant', slug] : [])]);
  return { ...res, errorLines: lines(res.stderr) };
}

test('an untouched journal verifies', async () => {
  const res = await verify();
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout, `journal intact: ${SLUGS.length * 5} entries checked\n`);
});

test('changed data in an entry is reported with that entry', async () => {
  const id = await entryAt('altered', 3);
  await tamper('altered', (tx, t) => tx.query(`update journal_entries set data = '{"amount": 1}' where tenant_id = $1 and chain_pos = 3`, [t]).then(() => {}));
  const res = await verify('altered');
  assert.equal(res.code, 2);
  assert.equal(res.errorLines.length, 1);
  assert.match(res.errorLines[0]!, new RegExp(`^journal broken: altered \\(${tenantIds.get('altered')}\\), position 3, entry ${id}: content altered`));
});

test('a deleted entry is reported at its position', async () => {
  await tamper('deleted', (tx, t) => tx.query('delete from journal_entries where tenant_id = $1 and chain_pos = 2', [t]).then(() => {}));
  const res = await verify('deleted');
  assert.equal(res.code, 2);
  assert.equal(res.errorLines.length, 1);
  assert.match(res.errorLines[0]!, /^journal broken: deleted .*, position 2: entry missing/);
});

test('two entries swapped in the chain are reported at the first of them', async () => {
  const third = await entryAt('swapped', 3);
  await tamper('swapped', async (tx, t) => {
    await tx.query('update journal_entries set chain_pos = 1000 where tenant_id = $1 and chain_pos = 2', [t]);
    await tx.query('update journal_entries set chain_pos = 2 where tenant_id = $1 and chain_pos = 3', [t]);
    await tx.query('update journal_entries set chain_pos = 3 where tenant_id = $1 and chain_pos = 1000', [t]);
  });
  const res = await verify('swapped');
  assert.equal(res.code, 2);
  assert.equal(res.errorLines.length, 1);
  assert.match(res.errorLines[0]!, new RegExp(`^journal broken: swapped .*, position 2, entry ${third}: entries out of order`));
});

test('a deleted tail is reported against the chain head', async () => {
  await tamper('tail', (tx, t) => tx.query('delete from journal_entries where tenant_id = $1 and chain_pos >= 4', [t]).then(() => {}));
  const res = await verify('tail');
  assert.equal(res.code, 2);
  assert.equal(res.errorLines.length, 1);
  assert.match(res.errorLines[0]!, /^journal broken: tail .*, position 4: entries missing at the end of the chain/);
});

test('a journal erased with its head is reported: every collectivité has one from its creation', async () => {
  await tamper('erased', async (tx, t) => {
    await tx.query('delete from journal_entries where tenant_id = $1', [t]);
    await tx.query('delete from journal_heads where tenant_id = $1', [t]);
  });
  const res = await verify('erased');
  assert.equal(res.code, 2);
  assert.match(res.errorLines.join('\n'), /^journal broken: erased .*, position 1: no journal at all/);
});

test('the untouched tenant still verifies, the whole installation does not', async () => {
  const intact = await verify('intact');
  assert.equal(intact.code, 0, intact.stderr);
  assert.equal(intact.stdout, 'journal intact: 5 entries checked\n');
  const all = await verify();
  assert.equal(all.code, 2);
  assert.equal(all.errorLines.length, 1);
});
