// The administration operations behind the CLI. Each takes JSON-able arguments and returns a JSON-able
// result, so that the same code runs in the CLI process (when it may open the database itself) or in
// the running server (through its administration socket, when the server holds the embedded folder).
import { resolve } from 'node:path';
import type { Config } from '../../config.ts';
import type { Database } from '../db/database.ts';
import { createTenant, type CreateTenantInput } from '../tenancy/create-tenant.ts';
import { listTenants, type Tenant } from '../tenancy/tenants.ts';
import { sealJournal } from '../audit/seal.ts';
import { verifyJournal, type VerifyResult } from '../audit/verify.ts';
import { journal } from '../audit/journal.ts';
import { createApiToken, listApiTokens, revokeApiToken, type ApiTokenRow } from '../auth/api-tokens.ts';
import { hashPassword, passwordProblems } from '../auth/passwords.ts';
import { isRole, type Role } from '../base/roles.ts';
import { grantRole } from '../auth/members.ts';
import { isUuid } from '../db/ids.ts';
import { createBackup } from '../backup/backup.ts';
import type { BackupSummary, Progress } from '../backup/format.ts';
import { blobStoreFor } from '../files/store.ts';
import { exportTenant, type ExportSummary } from '../transfer/export.ts';
import { importTenant, type ImportSummary } from '../transfer/import.ts';

/** A refusal the operator can act on: shown as one line, exit status 1. */
export class OperationError extends Error {}

export interface OperationContext {
  db: Database;
  config: Config;
  progress: Progress;
  /** Called after tenants change, so a running server forgets its cached slugs. */
  tenantsChanged?: () => void;
  /** Called after a token is revoked, so a running server stops honouring it at once. */
  tokensChanged?: () => void;
  /**
   * Loads the demo data (`seed.demo`). Given by the caller (server start, CLI) because the demo data comes
   * from the product's modules, and core never imports a module (test/architecture/import-graph.test.ts).
   */
  seedDemo?: DemoSeeder;
}

/** Loads the demo data of the core and of every module, idempotently (src/seed.ts). */
export type DemoSeeder = (db: Database, config: Config, log: (line: string) => void) => Promise<void>;

type TenantRow = Pick<Tenant, 'id' | 'slug' | 'name' | 'kind' | 'official_code'>;

async function tenantIdBySlug(db: Database, slug: string): Promise<string> {
  const row = await db.transaction(null, (tx) => tx.one<{ id: string }>('select id from tenants where slug = $1', [slug]));
  if (!row) throw new OperationError(`no collectivité with slug "${slug}"`);
  return row.id;
}

const row = (t: Tenant): TenantRow => ({ id: t.id, slug: t.slug, name: t.name, kind: t.kind, official_code: t.official_code });

export const operations = {
  async 'tenant.add'(
    ctx: OperationContext,
    args: { kind: CreateTenantInput['kind']; code?: string; name?: string; slug?: string; host?: string },
  ): Promise<TenantRow> {
    const result = await createTenant(ctx.db, { kind: args.kind, code: args.code, name: args.name, slug: args.slug, hostSlug: args.host, actor: 'cli' });
    if (!result.ok) throw new OperationError(result.message);
    ctx.tenantsChanged?.();
    return row(result.tenant);
  },

  async 'tenant.list'(ctx: OperationContext, _args: object = {}): Promise<TenantRow[]> {
    return (await ctx.db.transaction(null, (tx) => listTenants(tx))).map(row);
  },

  async 'user.add'(
    ctx: OperationContext,
    args: { email: string; name: string; password: string | null; generated?: boolean; tenant?: string; role?: string; hostOperator?: boolean },
  ): Promise<{ id: string; created: boolean }> {
    const email = args.email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new OperationError(`invalid email address "${args.email}"`);
    if (Boolean(args.tenant) !== Boolean(args.role)) throw new OperationError('give --tenant and --role together');
    if (args.role && !isRole(args.role)) throw new OperationError(`unknown role "${args.role}"`);
    const problems = args.password === null ? [] : passwordProblems(args.password);
    if (problems.includes('too_short')) throw new OperationError('the password must have at least 12 characters');
    if (problems.includes('too_long')) throw new OperationError('the password must have at most 256 characters');
    const tenantId = args.tenant ? await tenantIdBySlug(ctx.db, args.tenant) : null;
    const hash = args.password === null ? null : await hashPassword(args.password);
    const person = await ctx.db.transaction(null, async (tx) => {
      const existing = await tx.one<{ id: string }>('select id from people where lower(email) = lower($1)', [email]);
      if (existing) {
        if (args.password !== null && !args.generated) throw new OperationError(`${email} already has an account; its password is left unchanged`);
        if (args.hostOperator) await tx.query('update people set is_host_operator = true where id = $1', [existing.id]);
        return { id: existing.id, created: false };
      }
      const created = await tx.one<{ id: string }>(
        `insert into people (email, display_name, password_hash, email_verified_at, is_host_operator) values ($1, $2, $3, now(), $4) returning id`,
        [email, args.name, hash, args.hostOperator ?? false],
      );
      return { id: created!.id, created: true };
    });
    if (!person.created && !tenantId && !args.hostOperator) throw new OperationError(`${email} already has an account`);
    if (tenantId) {
      // The host operator grants directly, without the emailed invitation of the web pages: whoever runs
      // this command is the host. A staff role still needs a verified address (an account created here
      // is: the operator typed the address); the person's sessions end (grantRole, docs/authentication.md).
      const outcome = await ctx.db.transaction(tenantId, (tx) =>
        grantRole(tx, { personId: person.id, role: args.role as Role, actor: 'cli', keepSessionId: null }),
      );
      if (outcome === 'unverified') {
        throw new OperationError(
          `${email} has not verified its address: a staff role would give no right. Invite it from /${args.tenant}/admin/members, or ask the person to verify the address first`,
        );
      }
    }
    return person;
  },

  async 'token.create'(ctx: OperationContext, args: { tenant: string; role: string; email?: string; label?: string }): Promise<{ id: string; token: string }> {
    if (!isRole(args.role)) throw new OperationError(`unknown role "${args.role}"`);
    const tenantId = await tenantIdBySlug(ctx.db, args.tenant);
    let personId: string | null = null;
    if (args.email) {
      const person = await ctx.db.transaction(null, (tx) => tx.one<{ id: string }>('select id from people where lower(email) = lower($1)', [args.email]));
      if (!person) throw new OperationError(`no account with email ${args.email}`);
      personId = person.id;
    }
    return ctx.db.transaction(tenantId, async (tx) => {
      const created = await createApiToken(tx, { role: args.role as never, personId, label: args.label ?? '' });
      await journal(tx, {
        actor: 'cli',
        action: 'core.token.create',
        subjectType: 'api_token',
        subjectId: created.id,
        data: { role: args.role, person: personId, label: args.label ?? '' },
      });
      return created;
    });
  },

  async 'token.list'(ctx: OperationContext, args: { tenant: string }): Promise<ApiTokenRow[]> {
    const tenantId = await tenantIdBySlug(ctx.db, args.tenant);
    return ctx.db.transaction(tenantId, (tx) => listApiTokens(tx));
  },

  async 'token.revoke'(ctx: OperationContext, args: { tenant: string; id: string }): Promise<{ id: string; revoked: boolean }> {
    const tenantId = await tenantIdBySlug(ctx.db, args.tenant);
    const unknown = () => new OperationError(`no API token with id "${args.id}" in ${args.tenant}`);
    if (!isUuid(args.id)) throw unknown();
    const outcome = await ctx.db.transaction(tenantId, async (tx) => {
      const result = await revokeApiToken(tx, args.id);
      if (result === 'not_found') throw unknown();
      if (result === 'revoked') await journal(tx, { actor: 'cli', action: 'core.token.revoke', subjectType: 'api_token', subjectId: args.id, data: {} });
      return result;
    });
    ctx.tokensChanged?.();
    return { id: args.id, revoked: outcome === 'revoked' };
  },

  async 'audit.verify'(ctx: OperationContext, args: { tenant?: string }): Promise<VerifyResult & { slug: string | null }> {
    const tenantId = args.tenant ? await tenantIdBySlug(ctx.db, args.tenant) : undefined;
    await sealJournal(ctx.db, tenantId);
    const result = await verifyJournal(ctx.db, tenantId);
    const slug = result.problem
      ? ((await ctx.db.transaction(null, (tx) => tx.one<{ slug: string }>('select slug from tenants where id = $1', [result.problem!.tenantId])))?.slug ?? null)
      : null;
    return { ...result, slug };
  },

  async 'seed.demo'(ctx: OperationContext, _args: object = {}): Promise<Record<string, never>> {
    if (ctx.config.env === 'production')
      throw new OperationError('demo data is refused in production (NODE_ENV=production, or NODE_ENV unset): set NODE_ENV=development to load it');
    if (!ctx.seedDemo) throw new OperationError('demo data cannot be loaded from here');
    await ctx.seedDemo(ctx.db, ctx.config, ctx.progress);
    ctx.tenantsChanged?.();
    return {};
  },

  async 'tenant.export'(ctx: OperationContext, args: { slug: string; file: string; withCredentials?: boolean }): Promise<ExportSummary> {
    return exportTenant(ctx.db, blobStoreFor(ctx.config), args.slug, resolve(args.file), { withCredentials: args.withCredentials, progress: ctx.progress });
  },

  async 'tenant.import'(ctx: OperationContext, args: { file: string; slug?: string; linkMembers?: boolean }): Promise<ImportSummary> {
    const summary = await importTenant(ctx.db, blobStoreFor(ctx.config), resolve(args.file), {
      slug: args.slug,
      linkMembers: args.linkMembers,
      progress: ctx.progress,
    });
    ctx.tenantsChanged?.();
    return summary;
  },

  async backup(ctx: OperationContext, args: { file: string; recipients?: string[] }): Promise<BackupSummary> {
    return createBackup(ctx.db, ctx.config, resolve(args.file), ctx.progress, { recipients: args.recipients ?? [] });
  },
};

export type OperationName = keyof typeof operations;
export type OperationArgs<N extends OperationName> = Parameters<(typeof operations)[N]>[1];
export type OperationResult<N extends OperationName> = Awaited<ReturnType<(typeof operations)[N]>>;

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(operations, name);
}

/** Runs an operation by name with untyped arguments (the socket server's entry point). */
export async function runOperation(ctx: OperationContext, name: OperationName, args: unknown): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- no operation uses `this`.
  const op = operations[name] as (ctx: OperationContext, args: unknown) => Promise<unknown>;
  return op(ctx, args ?? {});
}
