// Builds the real app on a fresh test database (see database.ts) and offers the few shortcuts tests
// need: tenants from the COG, people with roles, a signed-in browser (cookies + CSRF token), API tokens.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { buildApp, type BuildOptions } from '../../src/app.ts';
import type { AppDeps } from '../../src/core/module.ts';
import type { Database } from '../../src/core/db/database.ts';
import { createTenant, type CreateTenantInput } from '../../src/core/tenancy/create-tenant.ts';
import type { Tenant } from '../../src/core/tenancy/tenants.ts';
import { createSession, SESSION_COOKIE } from '../../src/core/auth/sessions.ts';
import { createApiToken } from '../../src/core/auth/api-tokens.ts';
import { CSRF_COOKIE, csrfTokenFor } from '../../src/core/auth/csrf.ts';
import { hashPassword } from '../../src/core/auth/passwords.ts';
import type { Role } from '../../src/core/base/roles.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  db: Database;
  config: Config;
  testDb: TestDatabase;
  close(): Promise<void>;
}

export async function startTestApp(options: BuildOptions & { env?: Record<string, string> } = {}): Promise<TestApp> {
  const testDb = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    BASTIDE_DATA_DIR: testDb.dataDir,
    ...(testDb.databaseUrl ? { DATABASE_URL: testDb.databaseUrl } : {}),
    ...options.env,
  });
  const { app, deps } = await buildApp(config, testDb.db, options);
  await app.ready();
  return {
    app,
    deps,
    db: testDb.db,
    config,
    testDb,
    async close() {
      await deps.jobs.stop();
      await app.close();
      await testDb.cleanup();
    },
  };
}

let slugCounter = 0;
const COMMUNES = ['44109', '31555', '44143', '31113', '31446', '64430', '64410', '64300', '75056', '69123', '13055', '33063'];

/** A fresh commune tenant with a unique slug (each test its own collectivité). */
export async function createTestTenant(db: Database, input: Partial<CreateTenantInput> = {}): Promise<Tenant> {
  slugCounter += 1;
  const code = input.code ?? COMMUNES[(slugCounter - 1) % COMMUNES.length];
  const kind = input.kind ?? 'commune';
  // The COG code is unique per installation; reuse across tests gets a different kind-free slug.
  const existing = await db.transaction(null, (tx) => tx.one('select 1 from tenants where kind = $1 and official_code = $2', [kind, code]));
  const result = existing
    ? await createTenant(db, {
        kind: 'syndicate',
        name: `Syndicat de test ${slugCounter} ${process.pid}`,
        slug: input.slug ?? `test-${process.pid}-${slugCounter}`,
      })
    : await createTenant(db, { kind, code, slug: input.slug ?? `test-${process.pid}-${slugCounter}`, ...input });
  if (!result.ok) throw new Error(result.message);
  return result.tenant;
}

export interface TestPerson {
  id: string;
  email: string;
  password: string;
}

/** A person with a verified email, a password, and the given roles per tenant id. */
export async function createPerson(
  db: Database,
  roles: Record<string, Role[]> = {},
  options: { email?: string; password?: string; hostOperator?: boolean } = {},
): Promise<TestPerson> {
  slugCounter += 1;
  const email = options.email ?? `person-${process.pid}-${slugCounter}@example.org`;
  const password = options.password ?? 'correct horse battery staple';
  const hash = await hashPassword(password);
  const row = await db.transaction(null, (tx) =>
    tx.one<{ id: string }>(
      `insert into people (email, display_name, password_hash, email_verified_at, is_host_operator) values ($1, $2, $3, now(), $4) returning id`,
      [email, email.split('@')[0], hash, options.hostOperator ?? false],
    ),
  );
  for (const [tenantId, list] of Object.entries(roles)) {
    await db.transaction(tenantId, async (tx) => {
      for (const role of list) await tx.query('insert into memberships (tenant_id, person_id, role) values (app_tenant(), $1, $2)', [row!.id, role]);
    });
  }
  return { id: row!.id, email, password };
}

/** A browser: cookies of a signed-in session (or anonymous when personId is null) and its CSRF token. */
export interface Browser {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

export async function browserFor(t: TestApp, personId: string | null): Promise<Browser> {
  const csrfCookie = `test-csrf-${Math.random().toString(36).slice(2)}`;
  let cookie = `${CSRF_COOKIE}=${csrfCookie}`;
  if (personId) {
    const token = await t.db.transaction(null, (tx) => createSession(tx, personId));
    cookie += `; ${SESSION_COOKIE}=${token}`;
  }
  return { cookie, csrf: csrfTokenFor(t.deps.secret, csrfCookie), headers: { cookie } };
}

/** POST an HTML form (urlencoded) with the browser's cookies and CSRF token. */
export async function postForm(t: TestApp, browser: Browser, url: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
  const body = new URLSearchParams();
  body.append('_csrf', browser.csrf);
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) body.append(k, value);
  return t.app.inject({ method: 'POST', url, headers: { ...browser.headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
}

export async function apiToken(t: TestApp, tenantId: string, role: Role, personId: string | null = null): Promise<string> {
  const { token } = await t.db.transaction(tenantId, (tx) => createApiToken(tx, { role, personId }));
  return token;
}
