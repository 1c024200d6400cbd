// The shape of a product module: what it declares in its index.ts manifest. app.ts wires each one in the
// order modules.ts lists them; nothing registers itself behind the scenes.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from './db/database.ts';
import type { JobHandlerEntry, JobRunner, ScheduledJob } from './jobs/runner.ts';
import type { Html } from './views/html.ts';
import type { RequestContext } from './base/context.ts';
import type { Logger } from 'pino';
import type { TenantCache } from './tenancy/tenants.ts';
import type { ApiTokenCache } from './auth/api-token-cache.ts';

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
  /** Demo data, run by `bastide seed demo` after the core demo tenants and people exist. */
  seedDemo?: (deps: Pick<AppDeps, 'db' | 'config'>, log: (line: string) => void) => Promise<void>;
}
