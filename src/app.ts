// buildApp(config, db): core plugins, then each module listed in modules.ts. No global state: tests
// build as many apps as they like.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { Config } from './config.ts';
import type { Database } from './core/db/database.ts';
import { installModuleMessages, installModuleRootPaths, tenantImportedHandler, TENANT_IMPORTED_JOB, type AppDeps, type ModuleManifest } from './core/module.ts';
import { JobRunner } from './core/jobs/runner.ts';
import { ApiTokenCache } from './core/auth/api-token-cache.ts';
import { TenantCache } from './core/tenancy/tenants.ts';
import { installationSecret } from './core/db/settings.ts';
import { registerSecurityHeaders } from './core/http/security.ts';
import { registerRequestContext } from './core/http/request-context.ts';
import { frameworkErrorHandler, registerErrorHandler } from './core/http/error-handler.ts';
import { registerRequestGuards } from './core/http/request-guard.ts';
import { registerUploadCleanup } from './core/http/upload-cleanup.ts';
import { loggerOptions, type LogDestination } from './core/http/logging.ts';
import { validationSchemaController } from './core/http/validation.ts';
import { registerOpenApi } from './core/http/openapi.ts';
import { registerCoreRoutes } from './core/http/core-routes.ts';
import { registerMetrics } from './core/http/metrics.ts';
import { modules as defaultModules } from './modules.ts';

export interface BuiltApp {
  app: FastifyInstance;
  deps: AppDeps;
}

export interface BuildOptions {
  modules?: ModuleManifest[];
  /** Start the job runner's timer (the server does; tests usually call deps.jobs.drain()). */
  runJobs?: boolean;
  /** Where the log lines go instead of stdout, even at LOG_LEVEL=silent (tests read them). */
  logDestination?: LogDestination;
}

/** Upper bound of one request body; file fields have their own, smaller limits per procedure. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;
/** Requests in flight from which the process counts as busy and background jobs give way. */
const BUSY_REQUESTS = 8;

/** BASTIDE_TRUSTED_PROXIES as Fastify takes it (a hop count as a function: its types have no number). */
function trustProxyOption(proxies: Config['trustedProxies']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof proxies === 'number' ? (_address, hop) => hop < proxies : proxies;
}

export async function buildApp(config: Config, db: Database, options: BuildOptions = {}): Promise<BuiltApp> {
  const modules = options.modules ?? defaultModules;
  // The modules' texts, before anything renders; a key two dictionaries define stops here (i18n.ts).
  installModuleMessages(modules);
  // Root addresses the modules serve (e.g. /catalogue.jsonld): no collectivité there, nor with that slug.
  installModuleRootPaths(modules);
  const app = Fastify({
    // Secrets in addresses (reset tokens, tracking codes…) are redacted from every log line: logging.ts.
    logger: loggerOptions(config, options.logDestination),
    // Addresses Fastify refuses before any hook (`/%ZZ/…`): our error page, with the security headers.
    frameworkErrors: frameworkErrorHandler({ https: config.baseUrl.startsWith('https:') }),
    bodyLimit: 1024 * 1024,
    // Only the configured proxies may tell the client's address (X-Forwarded-For): with `true` any client
    // could choose the address that every per-address limit counts (docs/deployment.md §4).
    trustProxy: trustProxyOption(config.trustedProxies),
    schemaController: validationSchemaController(),
  });
  const secret = await installationSecret(db);
  let inFlight = 0;
  app.addHook('onRequest', async (_request, reply) => {
    inFlight += 1;
    // 'close' comes once per response, sent or cut off.
    reply.raw.once('close', () => {
      inFlight -= 1;
    });
  });
  const deps: AppDeps = {
    config,
    db,
    secret,
    // Requests first: with many requests in flight, background jobs slow down (runner.ts, `busy`).
    jobs: new JobRunner(db, { log: { error: (obj, msg) => app.log.error(obj, msg) }, busy: () => inFlight >= BUSY_REQUESTS }),
    tenants: new TenantCache(db),
    apiTokens: new ApiTokenCache(db, { ttlMs: config.apiTokenCacheSeconds * 1000 }),
    log: app.log as unknown as AppDeps['log'],
  };
  deps.privacyRegister = async (tenantId) => {
    const entries = [];
    for (const m of modules) if (m.privacyRegister) entries.push(...(await m.privacyRegister(deps, tenantId)));
    return entries;
  };

  deps.usageContributors = modules.flatMap((m) => (m.usage ? [m.usage] : []));

  await app.register(cookie);
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: MAX_BODY_BYTES, files: 20, fields: 500, fieldSize: 100_000, parts: 600 } });
  registerSecurityHeaders(app, { https: config.baseUrl.startsWith('https:') });
  registerErrorHandler(app);
  // Before the request context: a NUL or an undecodable path never reaches a lookup (request-guard.ts).
  registerRequestGuards(app);
  // Unrecorded upload bytes of a request that asked for it are deleted before its answer leaves (upload-cleanup.ts).
  registerUploadCleanup(app);
  registerRequestContext(app, { db, secret, tenants: deps.tenants, apiTokens: deps.apiTokens, secureCookies: config.baseUrl.startsWith('https:') });
  registerMetrics(app, db);
  // Before any route is declared: it collects every route's schema for /api/openapi.json.
  registerOpenApi(app, { baseUrl: config.baseUrl, tags: modules.flatMap((m) => m.openApiTags ?? []) });
  registerCoreRoutes(app, deps, modules);

  for (const m of modules) {
    if (m.routes) await m.routes(app, deps);
    if (m.jobs) for (const [kind, handler] of Object.entries(m.jobs(deps))) deps.jobs.register(kind, handler);
    for (const s of m.schedules ?? []) deps.jobs.schedule(s);
  }
  // Once a tenant import has committed (core/transfer/import.ts queues it): each module's afterTenantImport.
  deps.jobs.register(TENANT_IMPORTED_JOB, tenantImportedHandler(modules, deps));
  if (options.runJobs) {
    app.addHook('onReady', async () => deps.jobs.start());
    app.addHook('onClose', async () => deps.jobs.stop());
  }
  return { app, deps };
}
