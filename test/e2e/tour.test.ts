// The real-browser tour (issue 4): a server on the embedded database with the demo data, Debian's Chromium,
// and the paths people take. Every page is measured and checked (tests/e2e/helpers/tour.ts); the run writes
// docs/pages.md and docs/screenshots/.
import { after, before, test } from 'node:test';
import { Tour } from './helpers/tour.ts';
import { publicTour } from './tours/public.ts';

let tour: Tour;

before(async () => {
  tour = await Tour.start();
});

after(async () => {
  await tour?.finish();
});

test('public pages: home, collectivité, legal pages, sign-in', { timeout: 90_000 }, async (t) => {
  const mark = tour.problems.length;
  await publicTour(tour, t);
  tour.assertClean(mark);
});
