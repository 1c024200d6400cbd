// `bastide backup <file>`: the database (a consistent copy) and the stored files, in one tar.gz,
// encrypted to age recipients when given (encryption.ts).
// Runs in the process that holds the database: the CLI itself, or the running server when the CLI
// goes through its administration socket. The file appears under its final name only when complete.
import { createWriteStream, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Config } from '../../config.ts';
import type { Database } from '../db/database.ts';
import { TarWriter } from './tar.ts';
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
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
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
    // file the copied database mentions is already on disk (extra, newer files are harmless).
    const files = listFiles(filesFolder(config.dataDir));
    let done = 0;
    let bytes = 0;
    for (const f of files) {
      await tar.addFile(FILES_PREFIX + f.name, f.path, f.size, f.mtime);
      done += 1;
      bytes += f.size;
      if (done % 200 === 0 || done === files.length) progress(`files: ${done}/${files.length} (${formatBytes(bytes)})`);
    }
    await tar.finish();
    await written;
    renameSync(partial, file);
    return { file, bytes: statSync(file).size, files: files.length, engine: db.engine, encrypted: recipients.length > 0 };
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
