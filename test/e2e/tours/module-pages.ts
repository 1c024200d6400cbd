// The pages each module lists in its manifest (ModuleManifest.tourPages, read from src/modules.ts): every
// one the scripted paths did not already measure is opened here, signed in as the demo account it
// names. A new module's pages enter the tour by being listed in its manifest, with no change here.
import type { TestContext } from 'node:test';
import { displayPath, type Tour } from '../helpers/tour.ts';
import { signIn, type DemoRole } from '../helpers/people.ts';
import { modules } from '../../../src/modules.ts';
import { TENANT } from './state.ts';

export async function modulePages(tour: Tour, _t: TestContext, only?: string[]): Promise<void> {
  const measured = new Set([...tour.rows.values()].map((row) => row.path));
  for (const m of modules.filter((m) => !only || only.includes(m.name))) {
    for (const p of m.tourPages ?? []) {
      const path = p.path.replace('{tenant}', TENANT);
      if (measured.has(displayPath(tour.url(path)))) continue;
      const v = await tour.visitor();
      try {
        if (p.as) await signIn(tour, v, p.as as DemoRole, { tenant: TENANT, next: path, landing: p.name, screenshot: p.screenshot });
        else await tour.open(v, { name: p.name, kind: p.kind, screenshot: p.screenshot }, path);
        if (p.as && new URL(v.page.url()).pathname !== new URL(tour.url(path)).pathname)
          throw new Error(`${m.name}: ${p.name} as ${p.as} landed on ${v.page.url()}, not ${path}`);
      } finally {
        await v.context.close();
      }
      measured.add(displayPath(tour.url(path)));
    }
  }
}
