// The measuring instrument itself: EcoIndex on the published scale, budgets, and a deliberately bad page
// (another host, an unlabelled field, too many elements, too many bytes) that the tour must catch.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { ecoIndexGrade, ecoIndexScore, quantilePosition } from './helpers/ecoindex.ts';
import { overBudget } from './helpers/budgets.ts';
import { isAllowedUrl } from './helpers/browser.ts';
import { Tour, displayPath } from './helpers/tour.ts';

test('EcoIndex follows the published quantile scale and grades', () => {
  assert.equal(ecoIndexScore(0, 0, 0), 100);
  // Exactly the first quantile of each scale: q = 1 everywhere → 100 − 5 × 6 / 6.
  assert.equal(ecoIndexScore(47, 2, 1.37), 95);
  // The tenth quantile of each: the middle of the scale.
  assert.equal(ecoIndexScore(603, 78, 1448.32), 50);
  assert.equal(ecoIndexScore(10_000_000, 10_000, 1e9), 0);
  // Interpolation inside an interval: DOM 61 is halfway between 47 and 75.
  assert.equal(quantilePosition([0, 47, 75], 61), 1.5);
  // DOM weighs 3, requests 2, size 1.
  assert.ok(ecoIndexScore(300, 3, 10) < ecoIndexScore(40, 3, 300));
  assert.deepEqual([81, 80, 71, 70, 56, 41, 26, 11, 10, 0].map(ecoIndexGrade), ['A', 'B', 'B', 'C', 'C', 'D', 'E', 'F', 'G', 'G']);
});

test('a budget overrun names the page, the figure and the limit', () => {
  assert.deepEqual(overBudget('form (/x)', 'citizen', { bytes: 10 * 1024, requests: 3, dom: 100, ecoIndex: 90 }), []);
  assert.deepEqual(overBudget('form (/x)', 'citizen', { bytes: 61 * 1024, requests: 9, dom: 601, ecoIndex: 74 }), [
    'form (/x): 61.0 KB transferred, limit 60 KB (citizen page)',
    'form (/x): 9 requests, limit 8 (citizen page)',
    'form (/x): 601 DOM elements, limit 600 (citizen page)',
    'form (/x): EcoIndex 74, minimum 75 (citizen page)',
  ]);
  assert.deepEqual(overBudget('inbox', 'staff', { bytes: 140 * 1024, requests: 15, dom: 1500, ecoIndex: 60 }), []);
});

test('only the server under test may be contacted; report paths hide ids', () => {
  assert.ok(isAllowedUrl('http://127.0.0.1:4000/assets/bastide.css', 'http://127.0.0.1:4000'));
  assert.ok(isAllowedUrl('data:image/svg+xml,<svg/>', 'http://127.0.0.1:4000'));
  assert.ok(!isAllowedUrl('http://127.0.0.1:4001/x.css', 'http://127.0.0.1:4000'));
  assert.ok(!isAllowedUrl('https://fonts.googleapis.com/css', 'http://127.0.0.1:4000'));
  assert.equal(displayPath('http://h/nantes/dossiers/0193a3c4-7d2e-7b1f-8c3d-1234567890ab/suivi'), '/nantes/dossiers/:id/suivi');
  assert.equal(displayPath('http://h/nantes/legal/donnees-personnelles'), '/nantes/legal/donnees-personnelles');
});

// A page with everything the tour must refuse.
const BAD_PAGE = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mauvaise page</title>
<link rel="stylesheet" href="http://127.0.0.2:9/elsewhere.css"></head>
<body><main><h1>Mauvaise page</h1><form><input name="nom"></form>
${'<div><span>x</span></div>'.repeat(350)}<p>${'lorem ipsum '.repeat(6000)}</p></main></body></html>`;
const GOOD_PAGE = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Bonne page</title></head>
<body><main><h1>Bonne page</h1><form><label for="nom">Nom</label><input id="nom" name="nom"></form></main></body></html>`;

let server: Server;
let tour: Tour;

before(async () => {
  server = createServer((request, response) => {
    response.writeHead(request.url === '/bad' || request.url === '/good' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(request.url === '/bad' ? BAD_PAGE : request.url === '/good' ? GOOD_PAGE : '<!doctype html><title>Absente</title><h1>Absente</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  tour = await Tour.against(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});

after(async () => {
  await tour?.finish();
  server?.close();
});

test('the tour catches another host, an axe violation and every budget overrun', { timeout: 60_000 }, async () => {
  const v = await tour.visitor();
  let mark = tour.problems.length;
  await tour.open(v, { name: 'good', kind: 'citizen' }, '/good');
  assert.deepEqual(tour.problems.slice(mark), []);
  assert.doesNotThrow(() => tour.assertClean(mark));
  assert.equal(tour.rows.get('good')!.jsOff, 'yes');

  mark = tour.problems.length;
  await tour.open(v, { name: 'bad', kind: 'citizen' }, '/bad');
  const found = tour.problems.slice(mark).join('\n');
  assert.match(found, /request to another host: GET http:\/\/127\.0\.0\.2:9\/elsewhere\.css/);
  assert.match(found, /bad \(\/bad\): axe label \(critical\)/);
  assert.match(found, /bad \(\/bad\): \d+ DOM elements, limit 600 \(citizen page\)/);
  assert.match(found, /bad \(\/bad\): \d+\.\d KB transferred, limit 60 KB \(citizen page\)/);
  assert.match(found, /bad \(\/bad\): EcoIndex \d+, minimum 75 \(citizen page\)/);
  assert.throws(() => tour.assertClean(mark), /problem\(s\)/);
  const row = tour.rows.get('bad')!;
  assert.ok(row.requests >= 2, `the other host's request is counted (${row.requests})`);
  assert.ok(row.dom > 700);

  // Without JavaScript, the page is still checked by axe (on a copy of its DOM).
  const off = await tour.visitor({ js: false });
  mark = tour.problems.length;
  await tour.open(off, { name: 'bad without JS', kind: 'citizen' }, '/bad');
  assert.match(tour.problems.slice(mark).join('\n'), /bad without JS \(\/bad, JavaScript off\): axe label \(critical\)/);
  assert.equal(tour.rows.get('bad without JS')!.jsOff, 'yes (flow)');
  await off.context.close();

  await assert.rejects(tour.open(v, { name: 'missing', kind: 'citizen' }, '/missing'), /missing \(\/missing\): HTTP 404, expected 2xx/);
  await v.context.close();
});
