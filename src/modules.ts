// The product, module by module. Reading this list tells a newcomer what Bastide does; app.ts wires
// each manifest in this order.
import { migrationFoldersOf, type ModuleManifest } from './core/module.ts';
import { coreModule } from './core/core-module.ts';
import { authModule } from './core/auth/index.ts';
import { proceduresModule } from './modules/procedures/index.ts';
import { catalogueModule } from './modules/catalogue/index.ts';
import { archivesModule } from './modules/archives/index.ts';
import { debatesModule } from './modules/debates/index.ts';
import { roadmapModule } from './modules/roadmap/index.ts';

export const modules: ModuleManifest[] = [coreModule, authModule, proceduresModule, catalogueModule, archivesModule, debatesModule, roadmapModule];

/** Their migration folders, for the runner (server start, `bastide migrate`, tests, benchmarks). */
export const migrationFolders = migrationFoldersOf(modules);
