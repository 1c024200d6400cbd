// The server-side EcoIndex: the element count of the tokenizer, the resources a page links, and the score
// of the same formula the browser tour uses (src/core/views/ecoindex.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countElements, linkedResources } from './ecoindex.ts';
import { ecoIndexGrade, ecoIndexScore } from '../../../core/views/ecoindex.ts';

test('elements are counted as a browser builds them: comments, doctype, raw text and quoted ">" skipped', () => {
  const page = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>a <b> c</title>
<style>p > a { color: red } <div></style></head><body><!-- <p>not one</p> -->
<p title="x > y">un <a href="/a">lien</a></p><svg viewBox="0 0 1 1"><title>t</title><circle r="1"/></svg>
<script>if (a < b) document.write("<p>")</script></body></html>`;
  // html, head, meta, title, style, body, p, a, svg, title, circle, script
  assert.equal(countElements(page), 12);
});

test('linked resources: same-origin style sheets, icons, scripts and images only', () => {
  const page = `<link rel="stylesheet" href="/assets/bastide.css"><link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="alternate" href="/feed"><script src="/assets/x.js"></script><img src="https://elsewhere.example/x.png"><img src="/i.png" alt="">`;
  assert.deepEqual(linkedResources(page), ['/assets/bastide.css', '/assets/favicon.svg', '/assets/x.js', '/i.png']);
});

test('the shared formula: a light page grades A, a heavy one low', () => {
  const light = ecoIndexScore(200, 3, 30);
  assert.ok(light > 80, String(light));
  assert.equal(ecoIndexGrade(light), 'A');
  assert.ok(ecoIndexScore(3000, 300, 10_000) < 10);
});
