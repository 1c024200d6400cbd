// The production database setup of docs/deployment.md §3: the connection user owns the database but is
// not a superuser and may not create roles; `bastide_app` was created and granted to it beforehand. The
// migrations must run as that owner, and when the application role is missing (or not granted) the
// migration must stop with a message that says what the administrator has to run.
// On PostgreSQL (BASTIDE_TEST_DATABASE_URL as a superuser) with real roles and `bastide migrate`; on an
// in-memory PGlite with the owner simulated by a session-level SET ROLE (PGlite has one user, a superuser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite } from '../../src/core/db/pglite.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { migrationFolders } from '../../src/modules.ts';
import { adminQuery, databaseUrlOn, testServerUrl } from '../helpers/database.ts';
import { NODE, MAIN, lines } from './cli.ts';

const server = testServerUrl();

async function serverCanCreateRoles(): Promise<boolean> {
  if (!server) return false;
  const r = await adminQuery(`select rolsuper from pg_roles where rolname = current_user`);
  return r.rows[0]?.rolsuper === true;
}

/** A non-superuser owner and its own database, as §3 creates them; `member`: granted bastide_app beforehand. */
async function productionSetup(member: boolean): Promise<{ role: string; url: string; drop(): Promise<void> }> {
  const role = `bastide_t_owner_${randomBytes(5).toString('hex')}`;
  const database = `${role}_db`;
  await adminQuery(`create role ${role} login nosuperuser nocreaterole nocreatedb password 'test'`);
  await adminQuery(`create database ${database} owner ${role}`);
  // The cluster may never have run Bastide: the administrator's `create role bastide_app nologin`.
  await adminQuery(`do $$ begin create role bastide_app nologin; exception when duplicate_object or unique_violation then null; end $$`);
  if (member) await adminQuery(`grant bastide_app to ${role}`);
  const url = new URL(databaseUrlOn(server!, database));
  url.username = role;
  url.password = 'test';
  return {
    role,
    url: url.toString(),
    async drop() {
      await adminQuery(`drop database if exists ${database} with (force)`);
      await adminQuery(`drop role if exists ${role}`);
    },
  };
}

function bastideMigrate(databaseUrl: string): { code: number | null; stdout: string; stderr: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'bastide-owner-'));
  try {
    const env = { ...process.env, NODE_ENV: 'test', BASTIDE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' };
    const r = spawnSync(NODE, [MAIN, 'migrate'], { env, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('PostgreSQL: a non-superuser owner with bastide_app created beforehand migrates a fresh database and works', async (t) => {
  if (!(await serverCanCreateRoles())) return t.skip('needs BASTIDE_TEST_DATABASE_URL as a superuser');
  const setup = await productionSetup(true);
  try {
    const run = bastideMigrate(setup.url);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /database up to date/);
    const db = await openPostgres(setup.url, { max: 1 });
    try {
      const who = await db.ownerTransaction((tx) =>
        tx.one<{ current_user: string; rolsuper: boolean }>('select current_user, rolsuper from pg_roles where rolname = current_user'),
      );
      assert.deepEqual(who, { current_user: setup.role, rolsuper: false });
      const app = await db.transaction(null, (tx) => tx.one<{ current_user: string }>('select current_user'));
      assert.equal(app!.current_user, 'bastide_app');
      // Run again: nothing to do, no error (a restart).
      assert.deepEqual(await migrate(db, migrationFolders), []);
    } finally {
      await db.close();
    }
  } finally {
    await setup.drop();
  }
});

test('PostgreSQL: an owner that is not a member of bastide_app and may not grant it gets told what to run', async (t) => {
  if (!(await serverCanCreateRoles())) return t.skip('needs BASTIDE_TEST_DATABASE_URL as a superuser');
  const setup = await productionSetup(false);
  try {
    const run = bastideMigrate(setup.url);
    assert.equal(run.code, 1);
    const [line, ...rest] = lines(run.stderr);
    assert.deepEqual(rest, []);
    assert.match(
      line!,
      /^bastide: migration 0001_core\.sql failed: bastide_t_owner_\w+ is not a member of the application role bastide_app and may not grant it/,
    );
    assert.ok(line!.includes(`grant bastide_app to ${setup.role};`), line);
    assert.ok(line!.includes('docs/deployment.md §3'), line);
    // Nothing was half-applied: the failed migration left no table behind.
    const c = new pg.Client({ connectionString: setup.url });
    await c.connect();
    try {
      const r = await c.query(`select count(*)::int as n from pg_tables where schemaname = 'public' and tablename <> 'schema_migrations'`);
      assert.equal(r.rows[0].n, 0);
    } finally {
      await c.end();
    }
  } finally {
    await setup.drop();
  }
});

/** A fresh embedded database whose migrations run as a non-superuser owner `bastide_owner`. */
async function pgliteAsOwner(createApp: boolean) {
  const db = await openPglite(null);
  await db.exec(`
    create role bastide_owner nosuperuser nocreaterole nocreatedb;
    grant create on database postgres to bastide_owner;
    grant all on schema public to bastide_owner;
    ${createApp ? 'create role bastide_app nologin; grant bastide_app to bastide_owner;' : ''}
    set role bastide_owner;`);
  return db;
}

test('embedded: with bastide_app created beforehand, a non-superuser owner migrates and business transactions run as bastide_app', async () => {
  const db = await pgliteAsOwner(true);
  try {
    assert.ok((await migrate(db, migrationFolders)).length > 0);
    const app = await db.transaction(null, (tx) => tx.one<{ current_user: string }>('select current_user'));
    assert.equal(app!.current_user, 'bastide_app');
    const owner = await db.ownerTransaction((tx) => tx.one<{ current_user: string }>('select current_user'));
    assert.equal(owner!.current_user, 'bastide_owner');
  } finally {
    await db.close();
  }
});

test('embedded: bastide_app missing and an owner that may not create roles: a clear error saying what to create', async () => {
  const db = await pgliteAsOwner(false);
  try {
    await assert.rejects(migrate(db, migrationFolders), (error: Error) => {
      assert.equal(
        error.message,
        'migration 0001_core.sql failed: the application role bastide_app does not exist and bastide_owner may not create roles: ' +
          'as a superuser, once: create role bastide_app nologin; grant bastide_app to bastide_owner; (docs/deployment.md §3)',
      );
      return true;
    });
    const applied = await db.ownerTransaction((tx) => tx.query('select name from schema_migrations'));
    assert.deepEqual(applied, []);
  } finally {
    await db.close();
  }
});
