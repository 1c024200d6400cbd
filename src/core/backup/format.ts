// What a Bastide backup holds. One gzip-compressed tar file:
//   bastide-backup.json       this manifest (always the first entry)
//   database/pgdata.tar       embedded engine: PGlite's dump of its data directory (dumpDataDir)
//   database/postgres.dump    PostgreSQL: pg_dump custom format
//   files/…                   the stored files (content-addressed blobs), as under <data>/files
// With recipients, that whole file is encrypted in the age format (encryption.ts): it then starts with
// `age-encryption.org/v1`.
import { join } from 'node:path';
import type { Engine } from '../db/database.ts';

export const MANIFEST_NAME = 'bastide-backup.json';
export const PGLITE_ENTRY = 'database/pgdata.tar';
export const POSTGRES_ENTRY = 'database/postgres.dump';
export const FILES_PREFIX = 'files/';

export interface BackupManifest {
  format: 'bastide-backup';
  version: 1;
  engine: Engine;
  createdAt: string;
  migrations: string[];
}

export interface BackupSummary {
  file: string;
  bytes: number;
  files: number;
  engine: Engine;
  /** Encrypted to age recipients (encryption.ts). */
  encrypted: boolean;
}

/** Reports progress; the CLI shows it on a terminal only. */
export type Progress = (message: string) => void;

export function filesFolder(dataDir: string): string {
  return join(dataDir, 'files');
}

/** A relative path inside the files folder that cannot climb out of it. */
export function safeRelativePath(name: string): string | null {
  const parts = name.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) return null;
  return parts.join('/');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
