// The shape of a product module: what it declares in its index.ts manifest. app.ts wires each one in the
// order modules.ts lists them; nothing registers itself behind the scenes.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from './db/database.ts';
import type { JobHandlerEntry, JobRunner, ScheduledJob } from './jobs/runner.ts';
import { html, type Html } from './views/html.ts';
import type { RequestContext } from './base/context.ts';
import type { Logger } from 'pino';
import type { TenantCache } from './tenancy/tenants.ts';
import type { ApiTokenCache } from './auth/api-token-cache.ts';
import type { MigrationFolder } from './db/migrate.ts';
import { installMessages, type Dictionary } from './i18n/i18n.ts';
import { installReservedRootPaths } from './tenancy/reserved-paths.ts';
import type { UsageContributor } from './usage/report.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  jobs: JobRunner;
  tenants: TenantCache;
  /** Granted API tokens, reused a few seconds (core/auth/api-token-cache.ts). */
  apiTokens: ApiTokenCache;
  log: Logger;
  secret: string;
  /** RGPD register entries of a tenant, contributed by the modules that collect personal data. */
  privacyRegister?: (tenantId: string) => Promise<Array<{ name: string; purpose: string }>>;
  /** The modules' usage figures (their manifests' `usage`), for the host's report (core/usage). */
  usageContributors?: UsageContributor[];
}

export interface NavItem {
  href: string;
  label: string;
}

export interface ModuleManifest {
  name: string;
  /** HTML and API routes. */
  routes?: (app: FastifyInstance, deps: AppDeps) => void | Promise<void>;
  /** Job kinds this module handles. */
  jobs?: (deps: AppDeps) => Record<string, JobHandlerEntry>;
  /** Periodic jobs (retention sweeps, reminders, sealing). */
  schedules?: ScheduledJob[];
  /** Links and fragments shown on a collectivité's home page. */
  tenantHome?: (ctx: RequestContext, deps: AppDeps) => Promise<Html | null>;
  /** Links in the staff navigation of a tenant. */
  staffNav?: (ctx: RequestContext) => NavItem[];
  /** RGPD register entries (legal page "données personnelles"). */
  privacyRegister?: (deps: AppDeps, tenantId: string) => Promise<Array<{ name: string; purpose: string }>>;
  /**
   * Its figures for the usage report a host shares its costs with (core/usage/report.ts): run in the
   * collectivité's transaction (row-level security) for a month; keys start with the module's name.
   */
  usage?: UsageContributor;
  /** Demo data, run by `bastide seed demo` in the order of modules.ts (core's collectivités and accounts first). */
  seedDemo?: (deps: Pick<AppDeps, 'db' | 'config'>, log: (line: string) => void) => Promise<void>;
  /**
   * Its SQL migrations: a folder of `NNNN_<module>_<what>.sql` files, numbered within the range this
   * module reserves (inclusive; docs/modules.md lists the ranges taken). The runner refuses a file
   * outside the range, a number used twice and ranges that overlap.
   */
  migrations?: { dir: string; first: number; last: number };
  /** Its texts in French and English (i18n.ts: keys prefixed by the module's name, plural forms by `count`). */
  messages?: Dictionary[];
  /** The OpenAPI tags its API routes use (`schema.tags`), described in /api/openapi.json. */
  openApiTags?: OpenApiTag[];
  /** Pages the real-browser tour visits for this module (test/e2e/tour.test.ts), besides its scripted paths. */
  tourPages?: TourPage[];
  /**
   * First path segments this module serves at the root of the installation (`catalogue.jsonld` for
   * /catalogue.jsonld): read as no collectivité, and refused as a collectivité's slug (core/tenancy/reserved-paths.ts).
   */
  reservedRootPaths?: string[];
  /**
   * Runs once a collectivité imported from an archive (core/transfer/import.ts) has committed, through the
   * job TENANT_IMPORTED_JOB queued in the import's transaction: rebuild what the archive does not carry
   * (derived tables: the catalogue re-queues its tabular loads). Must be idempotent (the job may run again).
   */
  afterTenantImport?: (deps: AppDeps, tenantId: string) => Promise<void>;
}

/** The job an import queues in its transaction (core/transfer/import.ts); its handler calls every module's afterTenantImport, in order. */
export { TENANT_IMPORTED_JOB } from './transfer/import.ts';

export function tenantImportedHandler(modules: ModuleManifest[], deps: AppDeps): JobHandlerEntry {
  return async (job) => {
    const tenantId = job.payload.tenantId;
    if (typeof tenantId !== 'string') return;
    for (const m of modules) await m.afterTenantImport?.(deps, tenantId);
  };
}

export interface OpenApiTag {
  name: string;
  description: string;
}

/** A page of the tour: opened by a visitor signed in with the demo account of `as` (none: anonymous). */
export interface TourPage {
  /** Row name in docs/pages.md. */
  name: string;
  /** Path; `{tenant}` stands for the tour's demo collectivité (an EPCI where every demo role is held). */
  path: string;
  /** A role of core/seed/demo.ts's DEMO_ACCOUNTS ('agent', 'procedure_admin', 'citizen'…). */
  as?: string;
  /** Budget set the page is held to (test/e2e/helpers/budgets.ts). */
  kind: 'citizen' | 'staff';
  /** Screenshot stem under docs/screenshots/ (phone and desktop), if the page deserves one. */
  screenshot?: string;
}

/** The migration folders of these modules, for the runner (core/db/migrate.ts). */
export function migrationFoldersOf(modules: ModuleManifest[]): MigrationFolder[] {
  return modules.flatMap((m) => (m.migrations ? [{ module: m.name, ...m.migrations }] : []));
}

/** Installs the root path segments these modules reserve, beside core's (core/tenancy/reserved-paths.ts). */
export function installModuleRootPaths(modules: ModuleManifest[]): void {
  installReservedRootPaths(modules.map((m) => ({ module: m.name, paths: m.reservedRootPaths ?? [] })));
}

/** Installs the message dictionaries of these modules (i18n.ts); a key defined twice throws. */
export function installModuleMessages(modules: ModuleManifest[]): void {
  installMessages(modules.flatMap((m) => (m.messages ?? []).map((dictionary) => ({ owner: `module ${m.name}`, dictionary }))));
}

/**
 * A part of a module: a large module (the roadmap and its network, the debates and their kits) is built
 * in areas that each declare their routes, jobs, texts and pages; `mergeManifestParts` makes them one
 * manifest, in the order given. Name, migrations and root paths stay the module's own.
 */
export type ManifestPart = Omit<ModuleManifest, 'name' | 'migrations' | 'reservedRootPaths'>;

export function mergeManifestParts(module: Pick<ModuleManifest, 'name' | 'migrations' | 'reservedRootPaths'>, parts: ManifestPart[]): ModuleManifest {
  const homes = parts.flatMap((p) => (p.tenantHome ? [p.tenantHome] : []));
  const registers = parts.flatMap((p) => (p.privacyRegister ? [p.privacyRegister] : []));
  const seeds = parts.flatMap((p) => (p.seedDemo ? [p.seedDemo] : []));
  const imports = parts.flatMap((p) => (p.afterTenantImport ? [p.afterTenantImport] : []));
  return {
    ...module,
    async routes(app, deps) {
      for (const part of parts) await part.routes?.(app, deps);
    },
    jobs: (deps) => Object.assign({}, ...parts.map((p) => p.jobs?.(deps) ?? {})) as Record<string, JobHandlerEntry>,
    schedules: parts.flatMap((p) => p.schedules ?? []),
    tenantHome: homes.length
      ? async (ctx, deps) => {
          const blocks = (await Promise.all(homes.map((home) => home(ctx, deps)))).filter((b): b is Html => b !== null);
          return blocks.length ? html`${blocks}` : null;
        }
      : undefined,
    staffNav: (ctx) => parts.flatMap((p) => p.staffNav?.(ctx) ?? []),
    privacyRegister: registers.length ? async (deps, tenantId) => (await Promise.all(registers.map((r) => r(deps, tenantId)))).flat() : undefined,
    seedDemo: seeds.length
      ? async (deps, log) => {
          for (const seed of seeds) await seed(deps, log);
        }
      : undefined,
    afterTenantImport: imports.length
      ? async (deps, tenantId) => {
          for (const hook of imports) await hook(deps, tenantId);
        }
      : undefined,
    messages: parts.flatMap((p) => p.messages ?? []),
    openApiTags: parts.flatMap((p) => p.openApiTags ?? []),
    tourPages: parts.flatMap((p) => p.tourPages ?? []),
  };
}
