import { join } from 'node:path';
import type { Config } from '../../config.ts';
import type { Database } from './database.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export function embeddedDatabasePath(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'db');
}

/** Opens the configured engine. The caller guards the embedded folder with the data-folder lock. */
export async function openDatabase(
  config: Pick<Config, 'dataDir' | 'databaseUrl'> & Partial<Pick<Config, 'embeddedSharedBuffers' | 'embeddedDurable'>>,
): Promise<Database> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  return openPglite(embeddedDatabasePath(config), { sharedBuffers: config.embeddedSharedBuffers, durable: config.embeddedDurable ?? true });
}
