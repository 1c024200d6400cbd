// Starting the platform: lock the embedded folder, open the database, migrate, seed the demo data into
// an empty installation, serve HTTP and run jobs.
import type { Config } from './config.ts';
import { openDatabase } from './core/db/open.ts';
import { acquireFolderLock } from './core/db/lock.ts';
import { prepareDataFolder } from './core/db/data-folder.ts';
import { migrate } from './core/db/migrate.ts';
import { migrationFolders } from './modules.ts';
import { buildApp } from './app.ts';
import { seedDemo, isEmptyInstallation } from './seed.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './core/seed/demo.ts';
import { startAdminSocket } from './core/admin-socket/server.ts';
import { isLoopbackHost } from './core/http/core-routes.ts';

export async function startServer(config: Config, print: (line: string) => void = console.log) {
  // Private to this account, or refused (data-folder.ts); on PostgreSQL it still holds the files.
  prepareDataFolder(config.dataDir);
  const release = config.databaseUrl ? () => {} : acquireFolderLock(config.dataDir);
  const db = await openDatabase(config);
  await migrate(db, migrationFolders);
  if (config.seedDemo && (await isEmptyInstallation(db))) {
    print('Installation vide : chargement des données de démonstration…');
    await seedDemo(db, config, (line) => print(`  ${line}`));
  }
  const { app, deps } = await buildApp(config, db, { runJobs: true });
  // The embedded folder is ours alone: the CLI reaches it through this socket while we run. Opened before
  // the "listening" line so that whoever waits for that line can use the CLI at once.
  const admin = config.databaseUrl
    ? null
    : await startAdminSocket({ db, config, tenantsChanged: () => deps.tenants.clear(), tokensChanged: () => deps.apiTokens.clear(), seedDemo, log: app.log });
  if (config.env !== 'production') {
    // Loud on purpose: a real installation must never run like this (docs/deployment.md, development mode).
    const mailViewer = config.smtpUrl
      ? 'courriels envoyés par SMTP'
      : isLoopbackHost(config.host)
        ? `courriels (liens de réinitialisation compris) lisibles sur ${config.baseUrl}/_dev/mail depuis cette machine`
        : 'courriels écrits dans le dossier de données (/_dev/mail fermé : HOST n’est pas une adresse locale)';
    print(
      `ATTENTION : mode développement (NODE_ENV=${config.env}), à ne jamais exposer : comptes de démonstration au mot de passe publié acceptés${config.seedDemo ? ' (chargés dans une installation vide)' : ''}, ${mailViewer}, fournisseurs d’identité et webhooks en http local acceptés. Production : NODE_ENV=production et BASTIDE_BASE_URL (docs/deployment.md).`,
    );
  }
  const address = await app.listen({ port: config.port, host: config.host });
  print(`Bastide écoute sur ${config.baseUrl} (${address}, base ${db.engine})`);
  if (config.env !== 'production') {
    print(`Comptes de démonstration (mot de passe « ${DEMO_PASSWORD} ») :`);
    for (const a of DEMO_ACCOUNTS) print(`  ${a.role.padEnd(16)} ${a.email}`);
  }
  const stop = async () => {
    await admin?.close();
    await app.close();
    await db.close();
    release();
  };
  return { app, deps, db, stop };
}
