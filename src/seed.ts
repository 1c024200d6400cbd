// Demo data for the whole product: each module's own, in the order of modules.ts (core's collectivités
// and accounts first, which the others build on). The server and the CLI hand this function to the
// administration socket (core/admin-socket/operations.ts), so core never imports a module.
import type { Config } from './config.ts';
import type { Database } from './core/db/database.ts';
import type { ModuleManifest } from './core/module.ts';
import { installModuleMessages } from './core/module.ts';
import { modules as defaultModules } from './modules.ts';

export async function isEmptyInstallation(db: Database): Promise<boolean> {
  return !(await db.transaction(null, (tx) => tx.one('select 1 from tenants limit 1')));
}

export async function seedDemo(
  db: Database,
  config: Config,
  log: (line: string) => void = () => {},
  modules: ModuleManifest[] = defaultModules,
): Promise<void> {
  // Demo dossiers queue mails and receipts in the people's language: the texts must be there (the CLI
  // seeds without building the app).
  installModuleMessages(modules);
  for (const m of modules) if (m.seedDemo) await m.seedDemo({ db, config }, log);
}
