// The S3 blob store's own promises, against a real S3 server on the loopback interface (s3rver, with
// signature checks: test/helpers/s3-server.ts): write-once keys, digests checked, streamed multipart
// uploads and streamed downloads, clear errors for a missing object or bucket, credentials in no message,
// log line or printed configuration, and a shared bucket's foreign keys left alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Readable } from 'node:stream';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3Server, type TestS3Server } from '../../../test/helpers/s3-server.ts';
import { startTestApp, createTestTenant } from '../../../test/helpers/app.ts';
import { loadConfig, ConfigError } from '../../config.ts';
import { coreModule } from '../core-module.ts';
import { S3BlobStore, BlobStoreError } from './s3-store.ts';
import { SealedBlobError } from './blob-contract.ts';
import { parseS3Settings, parseS3Url } from '../net/s3-settings.ts';
import { storeUpload } from './upload.ts';
import { sweepFiles } from './sweep.ts';
import { sendAttachment } from './send.ts';
import { requireTenant } from '../base/context.ts';
import type { ModuleManifest } from '../module.ts';

let s3: TestS3Server;
let dir: string;
before(async () => {
  s3 = await startS3Server();
  dir = mkdtempSync(join(tmpdir(), 'bastide-s3-store-'));
});
after(async () => {
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

function store(options: { multipartThreshold?: number; partSize?: number; settings?: TestS3Server['settings'] } = {}): S3BlobStore {
  return new S3BlobStore(options.settings ?? s3.settings, { tempDir: join(dir, 'tmp'), ...options });
}

function file(bytes: Buffer): string {
  const path = join(dir, `${randomUUID()}.bin`);
  writeFileSync(path, bytes);
  return path;
}

async function read(s: S3BlobStore, tenant: string, hash: string): Promise<Buffer | null> {
  const opened = await s.open(tenant, hash);
  if (!opened) return null;
  const chunks: Buffer[] = [];
  for await (const c of opened.stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Every form in which an error or a value could reach a log. */
function printed(value: unknown): string {
  return [String(value), inspect(value, { depth: 8 }), JSON.stringify(value) ?? '', value instanceof Error ? (value.stack ?? '') : ''].join('\n');
}

test('BASTIDE_S3_URL and the separate settings say the same; mistakes are refused without echoing the secret', () => {
  const secret = 'pa/ss+word:with@signs';
  const url = parseS3Url(`s3://AKID:${encodeURIComponent(secret)}@objets.example.fr:9000/bastide/prod?region=fr-par&path_style=0&tls=1`);
  const separate = parseS3Settings({
    BASTIDE_S3_ENDPOINT: 'https://objets.example.fr:9000',
    BASTIDE_S3_REGION: 'fr-par',
    BASTIDE_S3_BUCKET: 'bastide',
    BASTIDE_S3_PREFIX: 'prod',
    BASTIDE_S3_ACCESS_KEY_ID: 'AKID',
    BASTIDE_S3_SECRET_ACCESS_KEY: secret,
    BASTIDE_S3_FORCE_PATH_STYLE: '0',
  })!;
  for (const s of [url, separate]) {
    assert.deepEqual(s.toJSON(), {
      endpoint: 'https://objets.example.fr:9000',
      region: 'fr-par',
      bucket: 'bastide',
      prefix: 'prod/',
      forcePathStyle: false,
      credentials: '[hidden]',
    });
    assert.deepEqual(s.credentials(), { accessKeyId: 'AKID', secretAccessKey: secret });
  }
  assert.equal(parseS3Url('s3://k:s@127.0.0.1:9000/b-1?tls=0').endpoint, 'http://127.0.0.1:9000');
  assert.equal(parseS3Settings({}), null);

  const refused = (env: Record<string, string>, pattern: RegExp) =>
    assert.throws(
      () => loadConfig({ NODE_ENV: 'test', ...env }),
      (e: unknown) => e instanceof ConfigError && pattern.test(e.message) && !e.message.includes('hunter2'),
    );
  refused({ BASTIDE_S3_URL: 'https://k:hunter2@host/bucket' }, /must use s3:/);
  refused({ BASTIDE_S3_URL: 's3://k:hunter2@host/' }, /bucket name/);
  refused({ BASTIDE_S3_URL: 's3://k:hunter2@host/Bad_Bucket' }, /bucket name/);
  refused({ BASTIDE_S3_URL: 's3://k:hunter2@host/bucket/../x' }, /prefix|bucket/);
  refused({ BASTIDE_S3_URL: 's3://k:hunter2@host/bucket?acl=public' }, /unknown parameter "acl"/);
  refused({ BASTIDE_S3_URL: 's3://host/bucket' }, /access key and the secret/);
  refused({ BASTIDE_S3_URL: 's3://k:hunter2@host/bucket', BASTIDE_S3_BUCKET: 'other' }, /either BASTIDE_S3_URL or BASTIDE_S3_BUCKET/);
  refused({ BASTIDE_S3_ENDPOINT: 'https://host', BASTIDE_S3_BUCKET: 'bucket', BASTIDE_S3_SECRET_ACCESS_KEY: 'hunter2' }, /BASTIDE_S3_ACCESS_KEY_ID missing/);
  refused(
    { BASTIDE_S3_ENDPOINT: 'https://u:hunter2@host', BASTIDE_S3_BUCKET: 'bucket', BASTIDE_S3_ACCESS_KEY_ID: 'k', BASTIDE_S3_SECRET_ACCESS_KEY: 'hunter2' },
    /must not carry credentials/,
  );

  // The whole configuration, printed as a log or a debugger would, never shows the credentials.
  const config = loadConfig({ NODE_ENV: 'test', ...s3.env });
  for (const text of [printed(config), printed({ config })]) {
    assert.ok(!text.includes(s3.secretAccessKey) && !text.includes(s3.accessKeyId), text);
    assert.match(text, new RegExp(s3.bucket));
  }
});

test('write-once: a key that exists is never overwritten, whatever bytes a second writer brings', async () => {
  const s = store();
  const tenant = randomUUID();
  const original = Buffer.from('arrêté municipal n° 2026-114, version signée');
  const key = sha(original);
  assert.ok(await s.adopt(tenant, key, file(original)), 'created');
  const forged = Buffer.from('arrêté municipal n° 2026-114, version MODIFIÉE');
  assert.equal(await s.putFile(tenant, key, file(forged)), 'present');
  assert.equal(await s.adopt(tenant, key, file(forged)), null);
  // Another process (another client, same bucket) fares no better.
  assert.equal(await store({ multipartThreshold: 1 }).putFile(tenant, key, file(forged)), 'present');
  assert.deepEqual(await read(s, tenant, key), original);

  // Bytes that are not the key's digest are refused on a fresh key, and nothing is left under it.
  const fresh = sha(Buffer.from('the bytes the caller claimed'));
  const source = file(Buffer.from('other bytes entirely'));
  await assert.rejects(s.putFile(tenant, fresh, source), (e: unknown) => e instanceof BlobStoreError && /do not have that digest/.test(e.message));
  assert.equal(await s.sizeOf(tenant, fresh), null);
  assert.ok(existsSync(source), 'the source file is the caller’s: left in place');

  // Two writers racing to create the same content: both succeed, the bytes are the content.
  const same = Buffer.from('two agents attach the same scan at once');
  const results = await Promise.all([s.putFile(tenant, sha(same), file(same)), store().putFile(tenant, sha(same), file(same))]);
  assert.ok(results.includes('created'), results.join());
  assert.deepEqual(await read(s, tenant, sha(same)), same);

  // Keys are checked before any request: no path tricks into other tenants or outside the prefix.
  await assert.rejects(s.open('../x', key), /invalid blob key/);
  await assert.rejects(s.putFile(tenant, '../../etc/passwd', source), /invalid blob key/);
});

test('write-once for archives: a sealed object is refused to remove() without a release that covers it; the release removes it', async () => {
  const s = store();
  const tenant = randomUUID();
  const bytes = Buffer.from('procès-verbal du conseil communautaire, versé aux archives');
  const key = sha(bytes);
  assert.ok(await s.adopt(tenant, key, file(bytes)));
  assert.equal(await s.isSealed(tenant, key), false);
  assert.equal(await s.seal(tenant, key), true);
  // Another process sees the seal (it is on the object, not in this one's memory).
  assert.equal(await store().isSealed(tenant, key), true);
  await assert.rejects(s.remove(tenant, key), (e: unknown) => e instanceof SealedBlobError);
  const refusing = { reason: 'elimination' as const, reference: 'E-1', confirm: () => Promise.resolve(false) };
  await assert.rejects(s.remove(tenant, key, refusing), (e: unknown) => e instanceof SealedBlobError && /E-1/.test(e.message));
  assert.deepEqual(await read(s, tenant, key), bytes);
  // Other bytes under the key are still refused (created only if absent).
  assert.equal(await s.putFile(tenant, key, file(Buffer.from('une autre version'))), 'present');
  const covering = { reason: 'elimination' as const, reference: 'E-2', confirm: (h: string) => Promise.resolve(h === key) };
  await s.remove(tenant, key, covering);
  assert.equal(await s.sizeOf(tenant, key), null);
  // Sealing what is not there says so; an unsealed object goes as before.
  assert.equal(await s.seal(tenant, key), false);
  const plain = Buffer.from('pièce jointe ordinaire');
  await s.adopt(tenant, sha(plain), file(plain));
  await s.remove(tenant, sha(plain));
  assert.equal(await s.sizeOf(tenant, sha(plain)), null);
});

test('large files go up as a streamed multipart upload, still write-once, and come down as a stream', async () => {
  const s = store({ multipartThreshold: 5 * MiB, partSize: 5 * MiB });
  const tenant = randomUUID();
  const big = Buffer.alloc(12 * MiB);
  for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
  const key = sha(big);
  assert.ok(await s.adopt(tenant, key, file(big)));
  assert.equal(await s.putFile(tenant, key, file(Buffer.alloc(12 * MiB, 1))), 'present');
  assert.equal(await s.sizeOf(tenant, key), big.length);

  const opened = await s.open(tenant, key);
  assert.equal(opened!.size, big.length);
  const first = (await opened!.stream[Symbol.asyncIterator]().next()).value as Buffer;
  assert.ok(first.length < big.length, `the first chunk (${first.length} bytes) arrives before the whole object`);
  assert.deepEqual(first, big.subarray(0, first.length));
  opened!.stream.destroy();
  assert.deepEqual(await read(s, tenant, key), big);
  // A wrong digest over the multipart path is caught as well.
  await assert.rejects(s.putFile(tenant, sha(Buffer.from('claimed')), file(Buffer.alloc(6 * MiB, 2))), /do not have that digest/);
});

test('a missing object is null (a 404 for a download); a missing bucket or wrong secret is a clear error without credentials', async () => {
  const s = store();
  const tenant = randomUUID();
  const absent = sha(Buffer.from('never stored'));
  assert.equal(await s.open(tenant, absent), null);
  assert.equal(await s.sizeOf(tenant, absent), null);
  await s.remove(tenant, absent); // removing what is not there is not an error

  const noBucket = store({ settings: parseS3Settings({ ...s3.env, BASTIDE_S3_BUCKET: 'no-such-bucket' })! });
  await assert.rejects(noBucket.open(tenant, absent), (e: unknown) => {
    assert.ok(e instanceof BlobStoreError);
    assert.match(e.message, /bucket "no-such-bucket" at http:\/\/127\.0\.0\.1:\d+: GET .* failed \(NoSuchBucket/);
    return true;
  });
  await assert.rejects(async () => {
    for await (const _ of noBucket.list()) void _;
  }, /NoSuchBucket/);

  const wrong = store({ settings: parseS3Settings({ ...s3.env, BASTIDE_S3_SECRET_ACCESS_KEY: `${s3.secretAccessKey}-wrong` })! });
  for (const attempt of [() => wrong.open(tenant, absent), () => wrong.putFile(tenant, absent, file(Buffer.from('x'))), () => wrong.sizeOf(tenant, absent)]) {
    await assert.rejects(attempt(), (e: unknown) => {
      assert.ok(e instanceof BlobStoreError, String(e));
      assert.match(e.message, /SignatureDoesNotMatch|Forbidden|HTTP 403/);
      const text = printed(e);
      assert.ok(!text.includes(s3.secretAccessKey) && !text.includes(s3.accessKeyId), text);
      return true;
    });
  }
});

/** Routes that store and read a blob as modules do, so that a store failure goes through the app's error log. */
const routes: ModuleManifest = {
  name: 'test-s3-routes',
  routes: (app, deps) => {
    app.post('/api/v1/:tenant/s3-test', async (request) => {
      const stored = await storeUpload(deps, requireTenant(request).id, Readable.from([Buffer.from('%PDF-1.4\n%%EOF\n')]), {
        maxBytes: 1000,
        allowedTypes: ['application/pdf'],
        filename: 'a.pdf',
      });
      return { sha256: stored.sha256 };
    });
    app.get('/:tenant/s3-test/:sha', async (request, reply) =>
      sendAttachment(reply, deps, requireTenant(request).id, { sha256: (request.params as { sha: string }).sha, content_type: 'application/pdf' }, 'a.pdf'),
    );
  },
};

test('through the application: the log of uploads, downloads, a missing object and store failures holds no credentials', async () => {
  const lines: string[] = [];
  const wrongSecret = `${s3.secretAccessKey}-but-wrong`;
  let stored = '';
  for (const env of [s3.env, { ...s3.env, BASTIDE_S3_SECRET_ACCESS_KEY: wrongSecret }]) {
    const t = await startTestApp({
      modules: [coreModule, routes],
      env: { ...env, LOG_LEVEL: 'debug' },
      logDestination: { write: (line) => void lines.push(line) },
    });
    try {
      const tenant = await createTestTenant(t.db);
      const up = await t.app.inject({ method: 'POST', url: `/api/v1/${tenant.slug}/s3-test` });
      const missing = await t.app.inject(`/${tenant.slug}/s3-test/${sha(Buffer.from('nothing'))}`);
      if (env === s3.env) {
        assert.equal(up.statusCode, 200);
        stored = (up.json() as { sha256: string }).sha256;
        assert.equal(missing.statusCode, 404, 'a missing object is a 404');
      } else {
        assert.equal(up.statusCode, 500);
        assert.equal(missing.statusCode, 500, 'a store that refuses us is not a 404');
        assert.ok(!up.body.includes('SignatureDoesNotMatch') && !up.body.includes(s3.bucket), 'the client learns nothing of the store');
      }
      const down = await t.app.inject(`/${tenant.slug}/s3-test/${stored}`);
      assert.equal(down.statusCode, env === s3.env ? 200 : 500);
      await sweepFiles(t.deps).catch((e: unknown) => t.deps.log.error({ err: e }, 'sweep failure'));
    } finally {
      await t.close();
    }
  }
  const log = lines.join('');
  assert.match(log, /SignatureDoesNotMatch/, 'the failure was logged, with its cause');
  for (const secret of [s3.secretAccessKey, wrongSecret, s3.accessKeyId]) assert.ok(!log.includes(secret), `no ${secret} in the log`);
});

test('a shared bucket: keys outside the prefix, or under it but not blob keys, are neither listed nor swept', async () => {
  const shared = await startS3Server({ prefix: 'bastide/prod' });
  try {
    const s = new S3BlobStore(shared.settings, { tempDir: join(dir, 'tmp') });
    const tenant = randomUUID();
    const bytes = Buffer.from('a blob of this installation');
    await s.adopt(tenant, sha(bytes), file(bytes));
    const client = new S3Client({ endpoint: shared.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: shared.settings.credentials() });
    const foreign = [
      `${tenant}/${sha(bytes).slice(0, 2)}/${sha(bytes)}`,
      'bastide/staging/x',
      `bastide/prod/${tenant}/notes.txt`,
      `bastide/prod/${tenant}/00/${sha(bytes)}`,
    ];
    for (const Key of foreign) await client.send(new PutObjectCommand({ Bucket: shared.bucket, Key, Body: 'not ours' }));
    const listed: string[] = [];
    for await (const b of s.list()) listed.push(`${b.tenantId}/${b.sha256}`);
    assert.deepEqual(listed, [`${tenant}/${sha(bytes)}`]);
    assert.equal(s.keyOf(tenant, sha(bytes)), `bastide/prod/${tenant}/${sha(bytes).slice(0, 2)}/${sha(bytes)}`);

    const t = await startTestApp({ modules: [coreModule], env: shared.env });
    try {
      const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
      for (const key of [...foreign, s.keyOf(tenant, sha(bytes))]) shared.age(key, dayAgo);
      const { removed } = await sweepFiles(t.deps);
      assert.equal(removed, 1, 'only the installation’s own orphan');
      for (const Key of foreign) assert.equal((await client.send(new HeadObjectCommand({ Bucket: shared.bucket, Key }))).ContentLength, 8);
    } finally {
      await t.close();
    }
    client.destroy();
  } finally {
    await shared.close();
  }
});
