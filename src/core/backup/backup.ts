// `bastide backup <file>`: the database (a consistent copy) and the stored files, in one tar.gz,
// encrypted to age recipients when given (encryption.ts).
// Runs in the process that holds the database: the CLI itself, or the running server when the CLI
// goes through its administration socket. The file appears under its final name only when complete.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Config } from '../../config.ts';
import type { Database } from '../db/database.ts';
import { TarWriter } from './tar.ts';
import { blobStoreFor, LocalBlobStore, type BlobStore, type FilesConfig, type StoredBlob } from '../files/store.ts';
import { pgDump } from './postgres-tools.ts';
import { encryptTo, parseRecipients } from './encryption.ts';
import {
  FILES_PREFIX,
  MANIFEST_NAME,
  PGLITE_ENTRY,
  POSTGRES_ENTRY,
  filesFolder,
  formatBytes,
  type BackupManifest,
  type BackupSummary,
  type Progress,
} from './format.ts';

/** Regular files under `root`, sorted so that two backups of the same data list them alike. */
export function listFiles(root: string): Array<{ path: string; name: string; size: number; mtime: Date }> {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => {
      const path = join(d.parentPath, d.name);
      const st = statSync(path);
      return { path, name: relative(root, path).split('\\').join('/'), size: st.size, mtime: st.mtime };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

export interface BackupOptions {
  /** age recipients (public keys): when given, the file is encrypted to them (encryption.ts). */
  recipients?: string[];
}

export async function createBackup(
  db: Database,
  config: Pick<Config, 'dataDir' | 'databaseUrl'> & FilesConfig,
  file: string,
  progress: Progress = () => {},
  options: BackupOptions = {},
): Promise<BackupSummary> {
  const recipients = parseRecipients(options.recipients ?? []);
  const partial = `${file}.partial`;
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(partial, { mode: 0o600 });
  const written = recipients.length ? encryptTo(recipients, gzip, out) : pipeline(gzip, out);
  const tar = new TarWriter(gzip);
  const scratch = mkdtempSync(join(tmpdir(), 'bastide-backup-'));
  try {
    const migrations = await db.ownerTransaction((tx) => tx.query<{ name: string }>('select name from schema_migrations order by name'));
    const manifest: BackupManifest = {
      format: 'bastide-backup',
      version: 1,
      engine: db.engine,
      createdAt: new Date().toISOString(),
      migrations: migrations.map((m) => m.name),
    };
    await tar.addBuffer(MANIFEST_NAME, Buffer.from(JSON.stringify(manifest, null, 2)));

    progress('database…');
    if (db.engine === 'pglite') {
      if (!db.dumpDataDir) throw new Error('this database cannot dump its data directory');
      const dump = Buffer.from(await (await db.dumpDataDir()).arrayBuffer());
      await tar.addBuffer(PGLITE_ENTRY, dump);
      progress(`database: ${formatBytes(dump.length)}`);
    } else {
      if (!config.databaseUrl) throw new Error('DATABASE_URL is not set');
      const dumpFile = join(scratch, 'postgres.dump');
      await pgDump(config.databaseUrl, dumpFile);
      const st = statSync(dumpFile);
      await tar.addFile(POSTGRES_ENTRY, dumpFile, st.size, st.mtime);
      progress(`database: ${formatBytes(st.size)}`);
    }

    // Files after the database: a file is written before the row that refers to it commits, so every
    // file the copied database mentions is already stored (extra, newer files are harmless).
    const store = blobStoreFor(config);
    const count = store instanceof LocalBlobStore ? await archiveFolder(tar, filesFolder(config.dataDir), progress) : await archiveStore(tar, store, progress);
    await tar.finish();
    await written;
    renameSync(partial, file);
    return { file, bytes: statSync(file).size, files: count, engine: db.engine, encrypted: recipients.length > 0 };
  } catch (error) {
    gzip.destroy();
    await written.catch(() => {});
    try {
      unlinkSync(partial);
    } catch {
      /* never created */
    }
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The local folder as it is on disk (every regular file under it). */
async function archiveFolder(tar: TarWriter, root: string, progress: Progress): Promise<number> {
  const files = listFiles(root);
  let done = 0;
  let bytes = 0;
  for (const f of files) {
    await tar.addFile(FILES_PREFIX + f.name, f.path, f.size, f.mtime);
    done += 1;
    bytes += f.size;
    if (done % 200 === 0 || done === files.length) progress(`files: ${done}/${files.length} (${formatBytes(bytes)})`);
  }
  return files.length;
}

/**
 * The blobs of an object store, under the same names as the local folder's (`files/<tenant>/<aa>/<sha256>`),
 * so that a backup restores into either kind of store. Each object's bytes are checked against its key
 * on the way: a backup never carries a corrupted blob without saying so.
 */
async function archiveStore(tar: TarWriter, store: BlobStore, progress: Progress): Promise<number> {
  const blobs: StoredBlob[] = [];
  for await (const blob of store.list()) blobs.push(blob);
  let done = 0;
  let bytes = 0;
  for (const blob of blobs) {
    const opened = await store.open(blob.tenantId, blob.sha256);
    if (!opened) continue; // removed by the sweep since the listing: no row refers to it
    const hash = createHash('sha256');
    const name = `${FILES_PREFIX}${blob.tenantId}/${blob.sha256.slice(0, 2)}/${blob.sha256}`;
    await tar.addStream(
      name,
      (async function* () {
        for await (const chunk of opened.stream as AsyncIterable<Buffer>) {
          hash.update(chunk);
          yield chunk;
        }
      })(),
      opened.size,
      blob.modified,
    );
    if (hash.digest('hex') !== blob.sha256) throw new Error(`${store.describe()}: the object ${blob.tenantId}/${blob.sha256} does not match its digest`);
    done += 1;
    bytes += opened.size;
    if (done % 200 === 0 || done === blobs.length) progress(`files: ${done}/${blobs.length} (${formatBytes(bytes)})`);
  }
  return done;
}
