// Demo data of funding (`bastide seed demo`, after the projects' seed): the programmes the seed names, then
// applications for the demo projects. Idempotent: programmes by slug, applications by project and programme.
import type { AppDeps } from '../../../core/module.ts';
import { translator } from '../../../core/i18n/i18n.ts';
import { readProgrammeInput } from './programme-input.ts';
import { insertProgramme, recordProgrammeChange } from './programmes.repository.ts';
import { SEED_PROGRAMMES } from './seed-programmes.ts';

type Seed = Pick<AppDeps, 'db' | 'config'>;

export async function seedProgrammes(deps: Seed): Promise<number> {
  const t = translator('fr');
  let added = 0;
  for (const { slug, input } of SEED_PROGRAMMES) {
    const read = readProgrammeInput(input, t);
    if (!read.ok) throw new Error(`seed programme ${slug}: ${JSON.stringify(read.errors)}`);
    await deps.db.ownerTransaction(async (tx) => {
      if (await tx.one('select 1 from roadmap_programmes where slug = $1', [slug])) return;
      const id = await insertProgramme(tx, slug, read.fields);
      await recordProgrammeChange(tx, id, 'seed', 'create', { slug, name: read.fields.name, funder: read.fields.funder });
      added += 1;
    });
  }
  return added;
}

export async function seedFundingDemo(deps: Seed, log: (line: string) => void): Promise<void> {
  const added = await seedProgrammes(deps);
  log(`roadmap funding: ${added} programme(s) added`);
}
