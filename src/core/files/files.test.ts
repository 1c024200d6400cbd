// The blob store through its module API and one download route: real PNG and PDF bytes, an HTML page
// renamed .png, an oversized stream, an empty file, path tricks in names, tenant isolation. The store's
// behaviours run twice: on the local folder, and on an S3 bucket of a real S3 server on the loopback
// interface (test/helpers/s3-server.ts); the S3-only ones are in s3-store.test.ts.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import { startTestApp, createTestTenant, type TestApp } from '../../../test/helpers/app.ts';
import { coreModule } from '../core-module.ts';
import type { ModuleManifest } from '../module.ts';
import { requireTenant } from '../base/context.ts';
import { notFound } from '../base/errors.ts';
import { storeUpload, recordBlob, findBlob, UploadError } from './upload.ts';
import { openBlob, sendAttachment } from './send.ts';
import { attachmentDisposition, sanitizeFilename } from './names.ts';
import { uploadErrorMessage } from './messages.ts';
import { blobStoreFor, LocalBlobStore } from './store.ts';
import { S3BlobStore } from './s3-store.ts';
import { startS3Server, type TestS3Server } from '../../../test/helpers/s3-server.ts';
import { sweepFiles } from './sweep.ts';
import { translator } from '../i18n/i18n.ts';

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A real 2×2 RGB PNG. */
function png(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A one-page PDF with a correct cross-reference table. */
function pdf(): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const IMAGES_AND_PDF = ['image/png', 'image/jpeg', 'application/pdf'];

/** A stream of `total` bytes in 64 KiB chunks that counts how much was pulled from it. */
function bigStream(total: number): { stream: Readable; pulled: () => number } {
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(65536, total - sent);
      sent += n;
      this.push(Buffer.alloc(n, 0x41));
    },
  });
  return { stream, pulled: () => sent };
}

const downloads: ModuleManifest = {
  name: 'test-downloads',
  routes: (app, deps) => {
    // A multipart form as modules read it: each file part streamed to storeUpload, refusals reported.
    app.post('/api/v1/:tenant/test-uploads', async (request) => {
      const out: string[] = [];
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          out.push(`${part.fieldname}=${String(part.value)}`);
          continue;
        }
        try {
          const stored = await storeUpload(deps, requireTenant(request).id, part.file, {
            maxBytes: 100_000,
            allowedTypes: IMAGES_AND_PDF,
            filename: part.filename,
          });
          out.push(`${part.fieldname}:${stored.contentType}:${stored.size}:${stored.filename}`);
        } catch (error) {
          if (!(error instanceof UploadError)) throw error;
          part.file.resume();
          out.push(`${part.fieldname}:${error.code}`);
        }
      }
      return out;
    });
    app.get('/:tenant/test-files/:sha', async (request, reply) => {
      const tenant = requireTenant(request);
      const { sha: hash } = request.params as { sha: string };
      const { name } = request.query as { name?: string };
      const blob = await deps.db.transaction(tenant.id, (tx) => findBlob(tx, hash));
      if (!blob) throw notFound();
      return sendAttachment(reply, deps, tenant.id, blob, name ?? 'fichier');
    });
  },
};

for (const kind of ['local', 's3'] as const)
  describe(`${kind} store`, () => {
    let t: TestApp;
    let s3: TestS3Server | null = null;
    before(async () => {
      if (kind === 's3') s3 = await startS3Server();
      t = await startTestApp({ modules: [coreModule, downloads], env: s3?.env ?? {} });
    });
    after(async () => {
      await t.close();
      await s3?.close();
    });

    test('the configured store is the expected one', () => {
      assert.ok(blobStoreFor(t.config) instanceof (kind === 's3' ? S3BlobStore : LocalBlobStore));
    });

    /** The bytes the store holds for (tenant, sha256), read through the store; null when it holds none. */
    async function held(tenantId: string, hash: string): Promise<Buffer | null> {
      const opened = await blobStoreFor(t.config).open(tenantId, hash);
      if (!opened) return null;
      const chunks: Buffer[] = [];
      for await (const c of opened.stream) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    }

    /** Every blob the store lists for the tenant. */
    async function blobsOf(tenantId: string): Promise<string[]> {
      const out: string[] = [];
      for await (const blob of blobStoreFor(t.config).list()) if (blob.tenantId === tenantId) out.push(blob.sha256);
      return out;
    }

    /** Makes a stored blob look written at `date` (file mtime; the S3 server's LastModified). */
    function age(tenantId: string, hash: string, date: Date): void {
      const store = blobStoreFor(t.config);
      if (store instanceof LocalBlobStore) utimesSync(store.pathOf(tenantId, hash), date, date);
      else s3!.age((store as S3BlobStore).keyOf(tenantId, hash), date);
    }

    async function upload(tenantId: string, bytes: Buffer | Readable, filename: string, options: { maxBytes?: number; allowedTypes?: string[] } = {}) {
      const stream = Buffer.isBuffer(bytes) ? Readable.from([bytes]) : bytes;
      return storeUpload(t.deps, tenantId, stream, {
        maxBytes: options.maxBytes ?? 1024 * 1024,
        allowedTypes: options.allowedTypes ?? IMAGES_AND_PDF,
        filename,
      });
    }

    function leftoverTemps(): string[] {
      const dir = join(t.config.dataDir, 'tmp', 'uploads');
      return existsSync(dir) ? readdirSync(dir) : [];
    }

    test('a PNG and a PDF are stored under their SHA-256, typed from their content, and read back', async () => {
      const tenant = await createTestTenant(t.db);
      for (const [bytes, type, name] of [
        [png(), 'image/png', 'plan.png'],
        [pdf(), 'application/pdf', 'arrêté.pdf'],
      ] as const) {
        // The name's extension lies on purpose: the type comes from the bytes.
        const stored = await upload(tenant.id, bytes, name.replace(/\.\w+$/, '.bin'));
        assert.deepEqual(stored, { sha256: sha(bytes), size: bytes.length, contentType: type, filename: name.replace(/\.\w+$/, '.bin') });
        assert.deepEqual(await held(tenant.id, stored.sha256), bytes);
        await t.db.transaction(tenant.id, (tx) => recordBlob(tx, stored));
        await t.db.transaction(tenant.id, (tx) => recordBlob(tx, stored)); // same bytes again: one row
        const opened = await openBlob(t.deps, tenant.id, stored.sha256);
        const chunks: Buffer[] = [];
        for await (const c of opened!.stream) chunks.push(c as Buffer);
        assert.deepEqual(Buffer.concat(chunks), bytes);
      }
      const rows = await t.db.transaction(tenant.id, (tx) =>
        tx.query<{ content_type: string; size: number }>(`select content_type, size from blobs order by content_type`),
      );
      assert.deepEqual(
        rows.map((r) => r.content_type),
        ['application/pdf', 'image/png'],
      );
      assert.deepEqual(leftoverTemps(), []);
    });

    test('an HTML page renamed .png is refused as type_not_allowed, and nothing is kept', async () => {
      const tenant = await createTestTenant(t.db);
      const page = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
      await assert.rejects(upload(tenant.id, page, 'photo.png'), (e: unknown) => e instanceof UploadError && e.code === 'type_not_allowed');
      assert.deepEqual(await blobsOf(tenant.id), []);
      assert.deepEqual(leftoverTemps(), []);
    });

    test('an oversized stream is stopped at its limit with too_large; an empty file is refused', async () => {
      const tenant = await createTestTenant(t.db);
      const big = bigStream(50 * 1024 * 1024);
      await assert.rejects(
        upload(tenant.id, big.stream, 'big.pdf', { maxBytes: 256 * 1024 }),
        (e: unknown) => e instanceof UploadError && e.code === 'too_large' && e.details.max === 256 * 1024,
      );
      assert.ok(big.pulled() < 2 * 1024 * 1024, `reading stopped near the limit (${big.pulled()} bytes read)`);
      assert.equal(big.stream.destroyed, true);
      await assert.rejects(upload(tenant.id, Buffer.alloc(0), 'vide.pdf'), (e: unknown) => e instanceof UploadError && e.code === 'empty');
      // Exactly at the limit is accepted.
      const exact = pdf();
      assert.equal((await upload(tenant.id, exact, 'a.pdf', { maxBytes: exact.length })).size, exact.length);
      assert.deepEqual(leftoverTemps(), []);
    });

    test('in a multipart form, a refused file does not stop the parts after it', async () => {
      const tenant = await createTestTenant(t.db);
      const boundary = 'bastide-test-boundary';
      const filePart = (name: string, filename: string, bytes: Buffer) =>
        Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`),
          bytes,
          Buffer.from('\r\n'),
        ]);
      const payload = Buffer.concat([
        filePart('big', 'big.pdf', Buffer.concat([pdf(), Buffer.alloc(300_000, 0x20)])),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nDemande\r\n`),
        filePart('fake', 'photo.png', Buffer.from('<html><body>hi</body></html>')),
        filePart('plan', '../../plan.png', png()),
        Buffer.from(`--${boundary}--\r\n`),
      ]);
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/${tenant.slug}/test-uploads`,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), ['big:too_large', 'title=Demande', 'fake:type_not_allowed', `plan:image/png:${png().length}:plan.png`]);
      assert.deepEqual(leftoverTemps(), []);
    });

    test('text is accepted only when allowed and valid UTF-8 without NUL; CSV by its name', async () => {
      const tenant = await createTestTenant(t.db);
      const text = ['text/plain', 'text/csv'];
      const csv = Buffer.from('nom;montant\nAssociation des Écoles;1200\n');
      assert.equal((await upload(tenant.id, csv, 'subventions.csv', { allowedTypes: text })).contentType, 'text/csv');
      assert.equal((await upload(tenant.id, csv, 'notes.txt', { allowedTypes: text })).contentType, 'text/plain');
      assert.equal((await upload(tenant.id, csv, 'notes.txt', { allowedTypes: ['text/csv'] })).contentType, 'text/csv');
      const refused = (e: unknown) => e instanceof UploadError && e.code === 'type_not_allowed';
      await assert.rejects(upload(tenant.id, csv, 'subventions.csv'), refused);
      await assert.rejects(upload(tenant.id, Buffer.from([0x61, 0x00, 0x62]), 'nul.csv', { allowedTypes: text }), refused);
      await assert.rejects(upload(tenant.id, Buffer.from([0x61, 0xc3, 0x28]), 'latin.csv', { allowedTypes: text }), refused);
      await assert.rejects(upload(tenant.id, Buffer.from([0x61, 0xc3]), 'cut.csv', { allowedTypes: text }), refused);
      // Characters cut by chunk boundaries are still valid text: é (2 bytes) and 🏛 (4 bytes) split in pieces.
      const split = Buffer.from('Hôtel de ville 🏛;é\n');
      const pieces = [split.subarray(0, 2), split.subarray(2, 17), split.subarray(17, 18), split.subarray(18)];
      assert.equal(
        (await storeUpload(t.deps, tenant.id, Readable.from(pieces), { maxBytes: 1000, allowedTypes: text, filename: 'a.csv' })).contentType,
        'text/csv',
      );
      const badSplit = [Buffer.from([0x61, 0xe2]), Buffer.from([0x82]), Buffer.from([0x41])]; // a 3-byte sequence broken by 'A'
      await assert.rejects(storeUpload(t.deps, tenant.id, Readable.from(badSplit), { maxBytes: 1000, allowedTypes: text, filename: 'b.csv' }), refused);
    });

    test('a download is an attachment with nosniff and a sandbox, never HTML, and only in its own tenant', async () => {
      const tenant = await createTestTenant(t.db);
      const other = await createTestTenant(t.db);
      const image = png();
      const stored = await upload(tenant.id, image, 'plan.png');
      await t.db.transaction(tenant.id, (tx) => recordBlob(tx, stored));
      const res = await t.app.inject(`/${tenant.slug}/test-files/${stored.sha256}?name=${encodeURIComponent('../../plan du site.png')}`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'image/png');
      assert.equal(res.headers['content-disposition'], `attachment; filename="plan du site.png"; filename*=UTF-8''plan%20du%20site.png`);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['content-security-policy'], "default-src 'none'; sandbox");
      assert.deepEqual(res.rawPayload, image);
      // The other tenant has no row for these bytes: 404, even though the hash is known.
      assert.equal((await t.app.inject(`/${other.slug}/test-files/${stored.sha256}`)).statusCode, 404);

      // A row that claims text/html (imported data, a future bug) is still sent as opaque bytes.
      const page = Buffer.from('<html><script>alert(1)</script></html>');
      const text = await upload(tenant.id, page, 'page.txt', { allowedTypes: ['text/plain'] });
      await t.db.transaction(tenant.id, (tx) => recordBlob(tx, { ...text, contentType: 'text/html' }));
      const html = await t.app.inject(`/${tenant.slug}/test-files/${text.sha256}?name=page.html`);
      assert.equal(html.headers['content-type'], 'application/octet-stream');
      assert.match(String(html.headers['content-disposition']), /^attachment;/);
    });

    test('the sweep removes day-old bytes without a row and stale partial uploads, and nothing else', async () => {
      const tenant = await createTestTenant(t.db);
      const kept = await upload(tenant.id, png(), 'kept.png');
      await t.db.transaction(tenant.id, (tx) => recordBlob(tx, kept));
      const orphan = await upload(tenant.id, pdf(), 'orphan.pdf'); // its transaction "rolled back": no row
      const fresh = await upload(tenant.id, Buffer.concat([pdf(), Buffer.from('%fresh')]), 'fresh.pdf');
      const store = blobStoreFor(t.config);
      const part = await store.tempPath();
      writeFileSync(part, 'half an upload');
      const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
      age(tenant.id, kept.sha256, dayAgo);
      age(tenant.id, orphan.sha256, dayAgo);
      utimesSync(part, dayAgo, dayAgo);
      // A deleted tenant's blob: no tenant, no rows, gone after a day too.
      const gone = '00000000-0000-4000-8000-00000000dead';
      const leftover = await blobStoreFor(t.config).tempPath();
      writeFileSync(leftover, 'bytes of a deleted tenant');
      const goneSha = sha(Buffer.from('bytes of a deleted tenant'));
      await blobStoreFor(t.config).adopt(gone, goneSha, leftover);
      rmSync(leftover, { force: true });
      age(gone, goneSha, dayAgo);

      const { removed } = await sweepFiles(t.deps);
      assert.ok(removed >= 3);
      assert.deepEqual(await held(tenant.id, kept.sha256), png(), 'recorded blob kept');
      assert.equal(await held(tenant.id, orphan.sha256), null, 'old orphan removed');
      assert.notEqual(await held(tenant.id, fresh.sha256), null, 'recent orphan kept: its transaction may still be running');
      assert.equal(await held(gone, goneSha), null, 'a deleted tenant’s day-old blob removed');
      assert.equal(existsSync(part), false, 'stale partial upload removed');
    });
  });

// After the suites: the dictionaries are registered by the app they start.
test('upload errors have localised messages', () => {
  const error = new UploadError('too_large', { max: 5 * 1024 * 1024 });
  assert.equal(uploadErrorMessage(translator('fr'), 'fr', error, IMAGES_AND_PDF), 'Le fichier dépasse la taille autorisée (5 Mo).');
  assert.equal(uploadErrorMessage(translator('en'), 'en', error, IMAGES_AND_PDF), 'The file is larger than allowed (5 MB).');
  assert.equal(
    uploadErrorMessage(translator('fr'), 'fr', new UploadError('type_not_allowed'), IMAGES_AND_PDF),
    'Ce type de fichier n’est pas accepté. Formats acceptés : PNG, JPEG, PDF.',
  );
});

test('file names lose path tricks, control characters and excess length', () => {
  assert.equal(sanitizeFilename('../../etc/passwd'), 'passwd');
  assert.equal(sanitizeFilename('..\\..\\windows\\system.ini'), 'system.ini');
  assert.equal(sanitizeFilename('..'), 'fichier');
  assert.equal(sanitizeFilename('.htaccess'), 'htaccess');
  assert.equal(sanitizeFilename('rapport\u0000\r\n.pdf'), 'rapport.pdf');
  assert.equal(sanitizeFilename('facture\u202Efdp.exe'), 'facturefdp.exe');
  assert.equal(sanitizeFilename('a<b>c:d"e|f?g*h.txt'), 'a_b_c_d_e_f_g_h.txt');
  assert.equal(sanitizeFilename('CON.txt'), '_CON.txt');
  assert.equal(sanitizeFilename('  arrêté   municipal .pdf. '), 'arrêté municipal .pdf');
  const long = sanitizeFilename(`${'é'.repeat(300)}.pdf`);
  assert.ok(Buffer.byteLength(long) <= 200 && long.endsWith('.pdf') && long.startsWith('ééé'), long);
  assert.equal(
    attachmentDisposition('../Arrêté n°12 "final".pdf'),
    `attachment; filename="Arrete n_12 _final_.pdf"; filename*=UTF-8''Arr%C3%AAt%C3%A9%20n%C2%B012%20_final_.pdf`,
  );
});
