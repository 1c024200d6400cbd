// The real-browser tour (issue 4): a server on the embedded database with the demo data, Debian's Chromium,
// and the paths people take. Every page is measured and checked (test/e2e/helpers/tour.ts); the run writes
// docs/pages.md and docs/screenshots/. Tests run in order and hand the dossier on (tours/state.ts).
import { after, before, test, type TestContext } from 'node:test';
import { Tour } from './helpers/tour.ts';
import { publicTour } from './tours/public.ts';
import { citizenAnswers, citizenFiles } from './tours/citizen.ts';
import { agentDecides, agentInstructs } from './tours/agent.ts';
import { mediatorFiles } from './tours/mediator.ts';
import { keyboardTour } from './tours/keyboard.ts';
import { designerPublishes } from './tours/designer.ts';
import { modulePages } from './tours/module-pages.ts';
import { modules } from '../../src/modules.ts';

let tour: Tour;

// BASTIDE_TOUR_MODULES=debates,roadmap: only those modules' manifest pages, nothing written to docs/ — a
// quick check while building a module. The full tour (unset) is what CI runs and what docs/pages.md shows.
const onlyModules = process.env.BASTIDE_TOUR_MODULES?.split(',').filter(Boolean);

before(async () => {
  tour = await Tour.start({ report: !onlyModules });
});

after(async () => {
  await tour?.finish();
});

/** A step of the tour: fails with every budget, accessibility or host problem its pages had. */
function step(name: string, run: (tour: Tour, t: TestContext) => Promise<void>, options: { partial?: boolean; timeout?: number } = {}): void {
  test(name, { timeout: options.timeout ?? 240_000, skip: onlyModules && !options.partial ? 'BASTIDE_TOUR_MODULES set' : false }, async (t) => {
    const mark = tour.problems.length;
    await run(tour, t);
    tour.assertClean(mark);
  });
}

step('public pages: home, collectivité, legal pages, sign-in', publicTour);
step('procedure administrator creates, previews and publishes a procedure in the designer', designerPublishes);
step('citizen files a procedure with JavaScript disabled', (tour, t) => citizenFiles(tour, t, false));
step('citizen files a procedure with JavaScript, attaching a file', (tour, t) => citizenFiles(tour, t, true));
step('agent filters the inbox, opens the dossier, writes to the citizen, starts instruction', agentInstructs);
step('citizen reads the message on the tracking page and answers with a file', citizenAnswers);
step('agent accepts the dossier after refusing without motivation is refused', agentDecides);
step('mediator files for someone with their consent', mediatorFiles);
step('keyboard only: skip link, sign-in, procedure, receipt, sign-out', keyboardTour);
// One step per module (a module's pages fail on their own), its time limit growing with its number of pages
// (30 s a page on a loaded machine, 240 s at least).
for (const m of modules.filter((m) => m.tourPages?.length && (!onlyModules || onlyModules.includes(m.name))))
  step(`every page the ${m.name} manifest lists that the paths above did not visit`, (tour, t) => modulePages(tour, t, [m.name]), {
    partial: true,
    timeout: Math.max(240_000, (m.tourPages?.length ?? 0) * 30_000),
  });
