// The server-drawn chart: an image with a name and a description in words, the target said too, the same
// values in a table beside it; no value at all is said in words, not drawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../../../core/i18n/i18n.ts';
import { installModuleMessages } from '../../../core/module.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { roadmapModule } from '../index.ts';
import { indicatorChart } from './chart.ts';

installModuleMessages([roadmapModule]);
const ctx = { locale: 'fr', t: translator('fr') } as unknown as RequestContext;

test('an accessible SVG with its data table', () => {
  const out = indicatorChart(ctx, {
    id: 'c1',
    name: 'Part des démarches en ligne',
    unit: 'percent',
    target: 80,
    values: [
      { measured_on: '2021-01-01', value: 22 },
      { measured_on: '2021-04-01', value: 30.5 },
    ],
  }).value;
  assert.match(out, /<svg[^>]*role="img"[^>]*aria-labelledby="c1-t c1-d"/);
  assert.match(out, /<title id="c1-t">Part des démarches en ligne : évolution<\/title>/);
  assert.match(out, /<desc id="c1-d">2 valeurs de 1 janvier 2021 à 1 avril 2021, de 22 % à 30,5 %\. Cible : 80 %<\/desc>/);
  assert.match(out, /stroke-dasharray/, 'the target line');
  assert.match(out, /<caption>Données du graphique : Part des démarches en ligne<\/caption>/);
  assert.equal((out.match(/<tr><td>/g) ?? []).length, 2);
  assert.doesNotMatch(out, /<script/);
  assert.equal(indicatorChart(ctx, { id: 'c2', name: 'x', unit: 'count', target: null, values: [] }).value, '<p>Pas encore de valeur mesurée.</p>');
});
