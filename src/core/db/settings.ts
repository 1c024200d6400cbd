// Installation settings kept in the database so that every process of an installation shares them.
import { randomBytes } from 'node:crypto';
import type { Database } from './database.ts';

/** The installation secret (CSRF, signed links); created once, by whichever process starts first. */
export async function installationSecret(db: Database): Promise<string> {
  return db.ownerTransaction(async (tx) => {
    await tx.query(`insert into installation_settings (key, value) values ('secret', $1) on conflict (key) do nothing`, [randomBytes(32).toString('hex')]);
    return (await tx.one<{ value: string }>(`select value from installation_settings where key = 'secret'`))!.value;
  });
}
