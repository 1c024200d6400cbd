// Demo data for the whole product: the core's collectivités and accounts, then each module's own.
import type { Config } from './config.ts';
import type { Database } from './core/db/database.ts';
import { seedCoreDemo } from './core/seed/demo.ts';
import { modules } from './modules.ts';

export async function isEmptyInstallation(db: Database): Promise<boolean> {
  return !(await db.transaction(null, (tx) => tx.one('select 1 from tenants limit 1')));
}

export async function seedDemo(db: Database, config: Config, log: (line: string) => void = () => {}): Promise<void> {
  await seedCoreDemo(db, log);
  for (const m of modules) if (m.seedDemo) await m.seedDemo({ db, config }, log);
}
