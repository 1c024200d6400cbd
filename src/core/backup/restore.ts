// `bastide restore <file>`: puts back the database and the files of a backup, replacing the current ones.
// Embedded engine: the new data folder is built beside the current one and swapped in at the end, so an
// interrupted restore leaves the old data in place. PostgreSQL: the schema is replaced in one transaction.
// The caller guarantees that no server uses the data (folder lock, or no other database connection).
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../../config.ts';
import type { Engine } from '../db/database.ts';
import { embeddedDatabasePath } from '../db/open.ts';
import { readTar } from './tar.ts';
import { blobStoreFor, LocalBlobStore, type FilesConfig } from '../files/store.ts';
import type { S3BlobStore } from '../files/s3-store.ts';
import { isUuid } from '../db/ids.ts';
import { pgRestore } from './postgres-tools.ts';
import { AGE_MAGIC, decryptWith } from './encryption.ts';
import { FILES_PREFIX, MANIFEST_NAME, PGLITE_ENTRY, POSTGRES_ENTRY, filesFolder, safeRelativePath, type BackupManifest, type Progress } from './format.ts';

export class BackupFormatError extends Error {}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

/** True when the file starts as every age file does. */
function isEncrypted(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(AGE_MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.toString('latin1') === AGE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

export async function restoreBackup(
  config: Pick<Config, 'dataDir' | 'databaseUrl'> & FilesConfig,
  file: string,
  progress: Progress = () => {},
  options: { identities?: string[] } = {},
): Promise<{ engine: Engine; files: number; createdAt: string }> {
  if (!existsSync(file)) throw new BackupFormatError(`no such file: ${file}`);
  const encrypted = isEncrypted(file);
  if (encrypted && !options.identities?.length) throw new BackupFormatError(`${file} is an encrypted backup: give its identity file with --identity`);
  // Before anything is touched: a wrong identity fails here, on the file's header.
  const plain: Readable = encrypted ? await decryptWith(options.identities!, createReadStream(file), file) : createReadStream(file);
  const engine: Engine = config.databaseUrl ? 'postgresql' : 'pglite';
  mkdirSync(config.dataDir, { recursive: true });
  // Beside the data folder (same file system, so the final renames are atomic).
  const staging = mkdtempSync(join(config.dataDir, '.restore-'));
  const scratch = mkdtempSync(join(tmpdir(), 'bastide-restore-'));
  // A bucket is written to as the entries come (write-once: objects already there are kept, as their
  // key is their content); the local folder is built aside and swapped in at the end.
  const store = blobStoreFor(config);
  const bucket = store instanceof LocalBlobStore ? null : (store as S3BlobStore);
  let skipped = 0;
  try {
    let manifest: BackupManifest | null = null;
    let pgdata: Buffer | null = null;
    let postgresDump: string | null = null;
    let files = 0;
    const source = plain.pipe(createGunzip()) as Readable;
    source.on('error', () => {
      /* surfaced by the reader below */
    });
    // pipe() does not pass errors on: a chunk that fails authentication must stop the reader.
    plain.on('error', (error) => source.destroy(error));
    try {
      for await (const entry of readTar(source)) {
        if (!manifest) {
          if (entry.name !== MANIFEST_NAME) throw new BackupFormatError(`${file} is not a Bastide backup`);
          manifest = JSON.parse((await collect(entry.chunks())).toString('utf8')) as BackupManifest;
          if (manifest.format !== 'bastide-backup' || manifest.version !== 1) throw new BackupFormatError(`${file}: unsupported backup format`);
          if (manifest.engine !== engine) {
            throw new BackupFormatError(
              `${file} is a backup of the ${manifest.engine === 'pglite' ? 'embedded' : 'PostgreSQL'} database; this installation uses ${engine === 'pglite' ? 'the embedded database' : 'PostgreSQL (DATABASE_URL)'}`,
            );
          }
          progress(`backup of ${manifest.createdAt}`);
        } else if (entry.name === PGLITE_ENTRY) {
          pgdata = await collect(entry.chunks());
        } else if (entry.name === POSTGRES_ENTRY) {
          postgresDump = join(scratch, 'postgres.dump');
          await pipeline(Readable.from(entry.chunks()), createWriteStream(postgresDump));
        } else if (entry.name.startsWith(FILES_PREFIX)) {
          const rel = safeRelativePath(entry.name.slice(FILES_PREFIX.length));
          if (!rel) throw new BackupFormatError(`${file}: refused unsafe path ${entry.name}`);
          if (bucket) {
            if (await restoreIntoBucket(bucket, rel, entry.chunks(), scratch)) files += 1;
            else skipped += 1;
            if (files % 200 === 0) progress(`files: ${files}`);
            continue;
          }
          const target = join(staging, 'files', rel);
          mkdirSync(dirname(target), { recursive: true });
          await pipeline(Readable.from(entry.chunks()), createWriteStream(target));
          files += 1;
          if (files % 200 === 0) progress(`files: ${files}`);
        }
      }
    } catch (error) {
      if (error instanceof BackupFormatError) throw error;
      throw new BackupFormatError(`${file} is not a readable Bastide backup (${(error as Error).message})`);
    }
    if (!manifest) throw new BackupFormatError(`${file} is not a Bastide backup`);
    progress('database…');
    if (engine === 'pglite') {
      if (!pgdata) throw new BackupFormatError(`${file} holds no embedded database`);
      // (Buffer.concat allocates a plain ArrayBuffer: no copy needed for the Blob.)
      const pg = await PGlite.create(join(staging, 'db'), { loadDataDir: new Blob([pgdata as Uint8Array<ArrayBuffer>]) });
      await pg.close();
      swapIn(join(staging, 'db'), embeddedDatabasePath(config), join(staging, 'old-db'));
    } else {
      if (!postgresDump) throw new BackupFormatError(`${file} holds no PostgreSQL dump`);
      await pgRestore(config.databaseUrl!, postgresDump, join(scratch, 'restore.sql'));
    }
    if (!bucket) {
      mkdirSync(join(staging, 'files'), { recursive: true });
      swapIn(join(staging, 'files'), filesFolder(config.dataDir), join(staging, 'old-files'));
    }
    progress(
      `restored: database and ${files} files${bucket ? ` into ${bucket.describe()}` : ''}${skipped ? ` (${skipped} entries that are not blobs left out)` : ''}`,
    );
    return { engine, files, createdAt: manifest.createdAt };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Moves `fresh` to `target`, the previous `target` aside to `old` (removed with the staging folder). */
function swapIn(fresh: string, target: string, old: string): void {
  if (existsSync(target)) renameSync(target, old);
  renameSync(fresh, target);
}

/**
 * One `files/<tenant>/<aa>/<sha256>` entry into the bucket: received into a temp file while hashed, put
 * only when the bytes match their name (a tampered backup cannot plant other bytes under a key). Entries
 * that are not blob keys (a local folder may hold other files) are left out: false.
 */
async function restoreIntoBucket(bucket: S3BlobStore, rel: string, chunks: AsyncIterable<Buffer>, scratch: string): Promise<boolean> {
  const [tenantId, aa, sha256, extra] = rel.split('/');
  if (extra !== undefined || !tenantId || !isUuid(tenantId) || !sha256 || !/^[0-9a-f]{64}$/.test(sha256) || aa !== sha256.slice(0, 2)) {
    for await (const _ of chunks) void _;
    return false;
  }
  const temp = join(scratch, 'blob.part');
  const hash = createHash('sha256');
  await pipeline(
    Readable.from(chunks),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        yield chunk;
      }
    },
    createWriteStream(temp),
  );
  if (hash.digest('hex') !== sha256) throw new BackupFormatError(`the backup's ${FILES_PREFIX}${rel} does not match its digest`);
  await bucket.putFile(tenantId, sha256, temp);
  rmSync(temp, { force: true });
  return true;
}
