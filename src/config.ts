// Environment → typed configuration, validated once at start. Every command (server and CLI) reads the same.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { S3Settings } from './core/net/s3-settings.ts';
import { parseS3Settings, S3SettingsError } from './core/net/s3-settings.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** When set, a PostgreSQL server; otherwise the embedded PGlite database in `dataDir/db`. */
  databaseUrl: string | null;
  baseUrl: string;
  /** When unset, outgoing mail is written to `dataDir/mail` and listed on /_dev/mail. */
  smtpUrl: string | null;
  env: 'development' | 'production' | 'test';
  logLevel: string;
  /** Seed the demo data into an empty database at start (never in production, which NODE_ENV unset means). */
  seedDemo: boolean;
  /** PostgreSQL `shared_buffers` of the embedded engine (null: the engine's default, see pglite.ts). */
  embeddedSharedBuffers: string | null;
  /**
   * Embedded engine: a commit is answered only once it is on disk (fsync), so it survives a power cut
   * (core/db/pglite-durable.ts). On by default; BASTIDE_EMBEDDED_DURABLE=0 turns it off (faster: a
   * commit then survives a killed process but not a power cut; docs/deployment.md §2.2).
   */
  embeddedDurable: boolean;
  /** How long a server process reuses a granted API token before looking it up again (0: every request). */
  apiTokenCacheSeconds: number;
  /**
   * The only issuers a collectivité may use for FranceConnect and ProConnect providers, set by the host
   * operator (BASTIDE_FRANCECONNECT_ISSUERS, BASTIDE_PROCONNECT_ISSUERS); normalised without a final slash.
   */
  oidcIssuers: OidcIssuerAllowList;
  /**
   * Which peers may tell the client's address in X-Forwarded-For (Fastify `trustProxy`): false (none, the
   * socket's address counts), a hop count, or addresses/CIDR ranges. BASTIDE_TRUSTED_PROXIES.
   */
  trustedProxies: false | number | string[];
  /**
   * Destinations (`host:port`, host as written in URLs) that outbound requests (webhooks, OpenID Connect)
   * may reach although they resolve to a loopback, private or link-local address (BASTIDE_OUTBOUND_ALLOW).
   */
  outboundAllow: string[];
  /**
   * The object store (BASTIDE_S3_URL or BASTIDE_S3_ENDPOINT, _REGION, _BUCKET, _PREFIX, _ACCESS_KEY_ID,
   * _SECRET_ACCESS_KEY, _FORCE_PATH_STYLE) that holds the files instead of `dataDir/files`; null: local disk.
   */
  s3: S3Settings | null;
}

export class ConfigError extends Error {}

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`PORT must be an integer between 0 and 65535, got "${value}"`);
  return n;
}

function parseUrl(name: string, value: string | undefined, protocols: string[]): string | null {
  if (value === undefined || value === '') return null;
  let url: URL;
  // The value is not echoed: a connection URL usually carries a password, and errors end up in logs.
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a valid URL (expected ${protocols[0]}//…)`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${url.protocol}"`);
  }
  if (!url.hostname && protocols[0] !== 'http:') throw new ConfigError(`${name} has no host name`);
  return value;
}

/**
 * BASTIDE_OUTBOUND_ALLOW: comma-separated `host:port` entries (a name, an IPv4 address or a bracketed
 * IPv6 address, and a port), normalised as URLs spell hosts so they compare with a request's URL.
 */
function parseOutboundAllow(value: string | undefined): string[] {
  if (!value || !value.trim()) return [];
  return value
    .split(',')
    .map((raw) => raw.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/.exec(entry);
      const port = m ? Number(m[2]) : 0;
      let host = '';
      try {
        host = m ? new URL(`http://${m[1]}/`).hostname : '';
      } catch {
        /* reported below */
      }
      if (!host || port < 1 || port > 65535) {
        throw new ConfigError(
          `BASTIDE_OUTBOUND_ALLOW must be a comma-separated list of host:port (e.g. siem.interne:443,10.0.0.5:8443,[fd00::5]:443), got "${entry}"`,
        );
      }
      return `${host}:${port}`;
    });
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * BASTIDE_TRUSTED_PROXIES: unset or empty trusts no proxy (X-Forwarded-For is ignored, so a client cannot
 * choose the address that per-address limits count); a number from 1 to 9 trusts that many proxy hops in
 * front of the server; otherwise a comma list of addresses, CIDR ranges or the names loopback, linklocal,
 * uniquelocal.
 */
export function parseTrustedProxies(value: string | undefined): false | number | string[] {
  const text = (value ?? '').trim();
  if (text === '') return false;
  if (/^[1-9]$/.test(text)) return Number(text);
  const items = text.split(',').map((x) => x.trim());
  for (const item of items) {
    const [address, bits, extra] = item.split('/');
    const family = isIP(address ?? '');
    const okBits = bits === undefined || (/^(0|[1-9][0-9]{0,2})$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!(PROXY_NAMES.includes(item) || (family !== 0 && okBits && extra === undefined))) {
      throw new ConfigError(
        `BASTIDE_TRUSTED_PROXIES must be a hop count (1-9) or a comma list of addresses, CIDR ranges or loopback/linklocal/uniquelocal, got "${item}"`,
      );
    }
  }
  return items;
}

export interface OidcIssuerAllowList {
  franceconnect: string[];
  proconnect: string[];
}

/** The federations' official issuers (OpenID Connect v2): production, then integration (sandbox). */
export const DEFAULT_OIDC_ISSUERS: OidcIssuerAllowList = {
  franceconnect: [
    'https://oidc.franceconnect.gouv.fr/api/v2',
    'https://fcp-low.sbx.dev-franceconnect.fr/api/v2',
    'https://fcp-low.integ01.dev-franceconnect.fr/api/v2',
  ],
  proconnect: ['https://auth.proconnect.gouv.fr/api/v2', 'https://auth.agentconnect.gouv.fr/api/v2', 'https://fca.integ01.dev-agentconnect.fr/api/v2'],
};

/**
 * A comma-separated list of issuer URLs: https, no query or fragment (http only on the loopback interface
 * outside production, for tests and development). Unset keeps the defaults; an empty list allows none.
 */
function parseIssuerList(name: string, value: string | undefined, fallback: string[], nodeEnv: string): string[] {
  if (value === undefined) return fallback;
  return value
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL | null = null;
      try {
        url = new URL(entry);
      } catch {
        /* reported below */
      }
      const loopback = url !== null && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
      if (
        !url ||
        url.search ||
        url.hash ||
        url.username ||
        !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback && nodeEnv !== 'production'))
      ) {
        throw new ConfigError(`${name} must be a comma-separated list of https issuer URLs (e.g. https://oidc.franceconnect.gouv.fr/api/v2), got "${entry}"`);
      }
      return url.href.replace(/\/$/, '');
    });
}

/** BASTIDE_EMBEDDED_DURABLE: 1 (the default) or 0. */
export function parseEmbeddedDurable(env: NodeJS.ProcessEnv): boolean {
  const value = env.BASTIDE_EMBEDDED_DURABLE ?? '';
  if (!['', '0', '1'].includes(value)) throw new ConfigError(`BASTIDE_EMBEDDED_DURABLE must be 1 (commits wait for the disk) or 0, got "${value}"`);
  return value !== '0';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Unset means production: demo accounts, the mail viewer and plain-http providers are asked for
  // explicitly (NODE_ENV=development, or `bastide serve --dev` as `npm start` does), never by omission.
  const nodeEnv = env.NODE_ENV || 'production';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnv}"`);
  }
  const port = parsePort(env.PORT, 3000);
  const host = env.HOST || '127.0.0.1';
  const dataDir = resolve(env.BASTIDE_DATA_DIR || './data');
  const databaseUrl = parseUrl('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:']);
  const baseUrl = parseUrl('BASTIDE_BASE_URL', env.BASTIDE_BASE_URL, ['http:', 'https:']) ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  const smtpUrl = parseUrl('SMTP_URL', env.SMTP_URL, ['smtp:', 'smtps:']);
  // Required when production is declared; with NODE_ENV unset the defaults are production's, but the
  // address falls back to HOST:PORT so that the CLI still runs on a developer's machine.
  if (env.NODE_ENV === 'production' && !env.BASTIDE_BASE_URL) {
    throw new ConfigError('BASTIDE_BASE_URL is required when NODE_ENV=production (links in emails and OpenID Connect redirects use it)');
  }
  const embeddedSharedBuffers = env.BASTIDE_EMBEDDED_SHARED_BUFFERS || null;
  if (embeddedSharedBuffers !== null && !/^[1-9][0-9]{0,5}(kB|MB|GB)$/.test(embeddedSharedBuffers)) {
    throw new ConfigError(`BASTIDE_EMBEDDED_SHARED_BUFFERS must be a size such as 32MB, got "${embeddedSharedBuffers}"`);
  }
  const cacheSeconds = env.BASTIDE_API_TOKEN_CACHE_SECONDS ?? '';
  if (cacheSeconds !== '' && !/^(0|[1-9][0-9]?|[1-2][0-9]{2}|300)$/.test(cacheSeconds)) {
    throw new ConfigError(`BASTIDE_API_TOKEN_CACHE_SECONDS must be a whole number of seconds from 0 to 300, got "${cacheSeconds}"`);
  }
  let s3: S3Settings | null;
  try {
    s3 = parseS3Settings(env);
  } catch (error) {
    if (error instanceof S3SettingsError) throw new ConfigError(error.message);
    throw error;
  }
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    baseUrl: baseUrl.replace(/\/$/, ''),
    smtpUrl,
    env: nodeEnv as Config['env'],
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    seedDemo: nodeEnv !== 'production' && env.BASTIDE_SEED_DEMO !== '0',
    embeddedSharedBuffers,
    embeddedDurable: parseEmbeddedDurable(env),
    apiTokenCacheSeconds: cacheSeconds === '' ? 10 : Number(cacheSeconds),
    oidcIssuers: {
      franceconnect: parseIssuerList('BASTIDE_FRANCECONNECT_ISSUERS', env.BASTIDE_FRANCECONNECT_ISSUERS, DEFAULT_OIDC_ISSUERS.franceconnect, nodeEnv),
      proconnect: parseIssuerList('BASTIDE_PROCONNECT_ISSUERS', env.BASTIDE_PROCONNECT_ISSUERS, DEFAULT_OIDC_ISSUERS.proconnect, nodeEnv),
    },
    trustedProxies: parseTrustedProxies(env.BASTIDE_TRUSTED_PROXIES),
    outboundAllow: parseOutboundAllow(env.BASTIDE_OUTBOUND_ALLOW),
    s3,
  };
}
