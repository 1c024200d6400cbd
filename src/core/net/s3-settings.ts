// The object store's settings, from BASTIDE_S3_URL or the separate BASTIDE_S3_* variables
// (docs/deployment.md, "Object storage"). The credentials are kept out of every printed form of the
// settings (JSON, util.inspect, error messages): a configuration dumped into a log must not carry them.
import { inspect } from 'node:util';

export class S3SettingsError extends Error {}

export interface S3SettingsInit {
  /** `https://host[:port]` (or http with tls=0): the S3 API's address. */
  endpoint: string;
  region: string;
  bucket: string;
  /** Keys live under this prefix (empty, or ending with `/`), so that a bucket can be shared. */
  prefix: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key` (MinIO, Garage, Ceph RGW default). */
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
}

export class S3Settings {
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly forcePathStyle: boolean;
  readonly #accessKeyId: string;
  readonly #secretAccessKey: string;

  constructor(init: S3SettingsInit) {
    this.endpoint = init.endpoint;
    this.region = init.region;
    this.bucket = init.bucket;
    this.prefix = init.prefix;
    this.forcePathStyle = init.forcePathStyle;
    this.#accessKeyId = init.accessKeyId;
    this.#secretAccessKey = init.secretAccessKey;
  }

  /** For the S3 client only. */
  credentials(): { accessKeyId: string; secretAccessKey: string } {
    return { accessKeyId: this.#accessKeyId, secretAccessKey: this.#secretAccessKey };
  }

  /** Removes the credentials from a text that an S3 server or library produced (it may echo the key id). */
  redact(text: string): string {
    let out = text;
    for (const secret of [this.#secretAccessKey, this.#accessKeyId]) if (secret) out = out.split(secret).join('…');
    return out;
  }

  /** Where, without credentials: `bucket "b" at https://host:port`. */
  describe(): string {
    return `bucket "${this.bucket}"${this.prefix ? ` (prefix ${this.prefix})` : ''} at ${this.endpoint}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      endpoint: this.endpoint,
      region: this.region,
      bucket: this.bucket,
      prefix: this.prefix,
      forcePathStyle: this.forcePathStyle,
      credentials: '[hidden]',
    };
  }

  [inspect.custom](): string {
    return `S3Settings ${JSON.stringify(this.toJSON())}`;
  }
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;

function flag(name: string, value: string | null | undefined, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['0', 'false', 'no'].includes(value)) return false;
  throw new S3SettingsError(`${name} must be 1 or 0, got "${value}"`);
}

function checkedPrefix(name: string, value: string): string {
  const trimmed = value.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  if (!PREFIX.test(trimmed) || trimmed.split('/').some((p) => p === '.' || p === '..')) {
    throw new S3SettingsError(`${name}: the key prefix may hold letters, digits and !_.*'()- between slashes, got "${value}"`);
  }
  return `${trimmed}/`;
}

function checkedEndpoint(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new S3SettingsError(`${name} is not a valid URL (expected https://host[:port])`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new S3SettingsError(`${name} must use https: or http:, got "${url.protocol}"`);
  if (url.username || url.password)
    throw new S3SettingsError(`${name} must not carry credentials: use BASTIDE_S3_ACCESS_KEY_ID and BASTIDE_S3_SECRET_ACCESS_KEY`);
  if (!url.hostname) throw new S3SettingsError(`${name} has no host name`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) throw new S3SettingsError(`${name} must be only a scheme, host and port`);
  return `${url.protocol}//${url.host}`;
}

function checkedBucket(name: string, value: string): string {
  if (!BUCKET.test(value) || value.includes('..')) {
    throw new S3SettingsError(`${name}: a bucket name has 3 to 63 lowercase letters, digits, dots and hyphens, got "${value}"`);
  }
  return value;
}

/**
 * `s3://ACCESS_KEY:SECRET@host[:port]/bucket[/prefix]?region=…&path_style=1&tls=0`. Key and secret are
 * percent-encoded as in any URL. Never echoed in an error: it carries the secret.
 */
export function parseS3Url(value: string): S3Settings {
  const name = 'BASTIDE_S3_URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new S3SettingsError(`${name} is not a valid URL (expected s3://key:secret@host[:port]/bucket?region=…)`);
  }
  if (url.protocol !== 's3:') throw new S3SettingsError(`${name} must use s3:, got "${url.protocol}"`);
  if (!url.hostname) throw new S3SettingsError(`${name} has no host name`);
  const accessKeyId = decodeURIComponent(url.username);
  const secretAccessKey = decodeURIComponent(url.password);
  if (!accessKeyId || !secretAccessKey) throw new S3SettingsError(`${name} must carry the access key and the secret (s3://key:secret@host/bucket)`);
  const [bucket = '', ...rest] = url.pathname.replace(/^\/+/, '').split('/');
  const known = new Set(['region', 'path_style', 'tls']);
  for (const key of url.searchParams.keys()) if (!known.has(key)) throw new S3SettingsError(`${name}: unknown parameter "${key}" (region, path_style, tls)`);
  const tls = flag(`${name} tls`, url.searchParams.get('tls'), true);
  return new S3Settings({
    endpoint: `${tls ? 'https' : 'http'}://${url.host}`,
    region: url.searchParams.get('region') || 'us-east-1',
    bucket: checkedBucket(`${name} bucket`, bucket),
    prefix: checkedPrefix(`${name} prefix`, rest.join('/')),
    forcePathStyle: flag(`${name} path_style`, url.searchParams.get('path_style'), true),
    accessKeyId,
    secretAccessKey,
  });
}

/** BASTIDE_S3_URL, or BASTIDE_S3_ENDPOINT with its companions; null when neither is set (local disk). */
export function parseS3Settings(env: NodeJS.ProcessEnv): S3Settings | null {
  const separate = ['BASTIDE_S3_ENDPOINT', 'BASTIDE_S3_BUCKET', 'BASTIDE_S3_ACCESS_KEY_ID', 'BASTIDE_S3_SECRET_ACCESS_KEY'].filter((k) => env[k]);
  if (env.BASTIDE_S3_URL) {
    if (separate.length) throw new S3SettingsError(`set either BASTIDE_S3_URL or ${separate.join(', ')}, not both`);
    return parseS3Url(env.BASTIDE_S3_URL);
  }
  if (separate.length === 0) return null;
  const missing = ['BASTIDE_S3_ENDPOINT', 'BASTIDE_S3_BUCKET', 'BASTIDE_S3_ACCESS_KEY_ID', 'BASTIDE_S3_SECRET_ACCESS_KEY'].filter((k) => !env[k]);
  if (missing.length) throw new S3SettingsError(`object storage: ${missing.join(', ')} missing (or give BASTIDE_S3_URL)`);
  return new S3Settings({
    endpoint: checkedEndpoint('BASTIDE_S3_ENDPOINT', env.BASTIDE_S3_ENDPOINT!),
    region: env.BASTIDE_S3_REGION || 'us-east-1',
    bucket: checkedBucket('BASTIDE_S3_BUCKET', env.BASTIDE_S3_BUCKET!),
    prefix: checkedPrefix('BASTIDE_S3_PREFIX', env.BASTIDE_S3_PREFIX ?? ''),
    forcePathStyle: flag('BASTIDE_S3_FORCE_PATH_STYLE', env.BASTIDE_S3_FORCE_PATH_STYLE, true),
    accessKeyId: env.BASTIDE_S3_ACCESS_KEY_ID!,
    secretAccessKey: env.BASTIDE_S3_SECRET_ACCESS_KEY!,
  });
}
