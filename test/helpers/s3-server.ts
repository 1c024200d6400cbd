// A real S3 server on the loopback interface for the object-store tests: s3rver (npm @20minutes/s3rver,
// a maintained fork of s3rver: the S3 REST API over HTTP with signature V4 checks, objects in a folder).
// Each call starts its own server on a free port with a fresh bucket and a random key pair, so that a
// test can look for the secret in everything it prints.
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseS3Settings, type S3Settings } from '../../src/core/net/s3-settings.ts';

const require = createRequire(import.meta.url);

interface KoaContext {
  path: string;
  mountPath?: string;
  state: Record<string, unknown>;
}
interface S3rverInstance {
  middleware: Array<(ctx: KoaContext, next: () => Promise<void>) => unknown>;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  store: { getResourcePath(bucket: string, key: string, resource: string): string };
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
interface Account {
  createKeyPair(id: string, secret: string): void;
  revokeAccessKey(id: string): void;
}

export interface TestS3Server {
  /** BASTIDE_S3_* variables for loadConfig / startTestApp. */
  env: Record<string, string>;
  settings: S3Settings;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  endpoint: string;
  /** Pretends the object was written at `date` (the server reports the file's mtime as LastModified). */
  age(key: string, date: Date): void;
  /** The file that holds the object's bytes on the server's disk (to damage it behind the API's back). */
  objectFile(key: string): string;
  close(): Promise<void>;
}

export async function startS3Server(options: { prefix?: string } = {}): Promise<TestS3Server> {
  const S3rver = require('@20minutes/s3rver') as S3rverClass;
  const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account.js') as { DUMMY_ACCOUNT: Account };
  const directory = mkdtempSync(join(tmpdir(), 'bastide-s3-'));
  const bucket = `bastide-test-${randomBytes(4).toString('hex')}`;
  const accessKeyId = `AK${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = `secret-${randomBytes(16).toString('hex')}`;
  DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: process.env.S3_VERBOSE !== '1',
    directory,
    configureBuckets: [{ name: bucket }],
    vhostBuckets: false,
  });
  // s3rver signs a path-style bucket request (`/bucket/?list-type=2`, as AWS SDK v3 sends it) as
  // `/bucket`, so every listing fails its signature check. Its virtual-host branch builds
  // `/<bucket><mountPath>`: taking that branch with mountPath `/` yields the `/bucket/` the client signed.
  // Object requests (`/bucket/key`) are untouched; signatures stay checked.
  const afterVhost = server.middleware.findIndex((m) => m.name === 'vhost') + 1;
  if (afterVhost === 0) throw new Error('s3rver changed: no vhost middleware to follow');
  server.middleware.splice(afterVhost, 0, async (ctx, next) => {
    if (/^\/[^/]+\/$/.test(ctx.path)) {
      ctx.state.vhost = true;
      ctx.mountPath = '/';
    }
    await next();
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const env: Record<string, string> = {
    BASTIDE_S3_ENDPOINT: endpoint,
    BASTIDE_S3_BUCKET: bucket,
    BASTIDE_S3_ACCESS_KEY_ID: accessKeyId,
    BASTIDE_S3_SECRET_ACCESS_KEY: secretAccessKey,
    BASTIDE_S3_REGION: 'us-east-1',
    BASTIDE_S3_FORCE_PATH_STYLE: '1',
    ...(options.prefix ? { BASTIDE_S3_PREFIX: options.prefix } : {}),
  };
  return {
    env,
    settings: parseS3Settings(env)!,
    bucket,
    accessKeyId,
    secretAccessKey,
    endpoint,
    age(key, date) {
      utimesSync(server.store.getResourcePath(bucket, key, 'object'), date, date);
    },
    objectFile(key) {
      return server.store.getResourcePath(bucket, key, 'object');
    },
    async close() {
      await server.close();
      DUMMY_ACCOUNT.revokeAccessKey(accessKeyId);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
