// The matching rules, without a database: each criterion's reason, the ranking, and the words in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../../../core/i18n/i18n.ts';
import { installModuleMessages } from '../../../core/module.ts';
import { modules } from '../../../modules.ts';
import { matchProgramme, rankProgrammes, reasonText, type MatchProgramme, type MatchProject } from './matching.ts';
import { placeOf } from './territory.ts';

const base: MatchProgramme = {
  id: '1',
  slug: 'p',
  name: 'P',
  funder: 'F',
  audiences: ['commune', 'epci'],
  territory: ['FR'],
  themes: ['data'],
  population_min: null,
  population_max: null,
  max_rate: 50,
  max_amount: null,
  opens_on: null,
  closes_on: null,
  recurrence: 'permanent',
};
const nantes = placeOf('epci', '244400404');
const project: MatchProject = { theme: 'data', kind: 'epci', population: nantes.population, codes: nantes.codes, budget: 200_000 };
const TODAY = '2026-03-01';
const reason = (m: ReturnType<typeof matchProgramme>, c: string) => m.reasons.find((r) => r.criterion === c)!;

test('Nantes Métropole: its COG codes and population', () => {
  assert.deepEqual(nantes.codes, ['FR', 'R:52', 'D:44', 'E:244400404']);
  assert.ok(nantes.population! > 600_000, String(nantes.population));
});

test('each criterion gives its reason', () => {
  const ok = matchProgramme(project, base, TODAY);
  assert.equal(ok.eligible, true);
  assert.equal(ok.expected, 100_000);
  assert.equal(reason(ok, 'amount').key, 'amount_rate');

  assert.equal(reason(matchProgramme(project, { ...base, audiences: ['commune'] }, TODAY), 'audience').ok, false);
  assert.equal(reason(matchProgramme(project, { ...base, territory: ['R:76'] }, TODAY), 'territory').key, 'territory_no');
  assert.equal(reason(matchProgramme(project, { ...base, territory: ['D:44'] }, TODAY), 'territory').key, 'territory_ok');
  assert.equal(reason(matchProgramme(project, { ...base, themes: ['hosting'] }, TODAY), 'theme').ok, false);
  const closed = matchProgramme(project, { ...base, opens_on: '2025-01-01', closes_on: '2026-02-28' }, TODAY);
  assert.deepEqual([closed.eligible, reason(closed, 'dates').key], [false, 'closed']);
  assert.equal(reason(matchProgramme(project, { ...base, closes_on: '2026-03-20' }, TODAY), 'dates').key, 'closing_soon');
  assert.equal(reason(matchProgramme(project, { ...base, opens_on: '2026-06-01' }, TODAY), 'dates').key, 'opens_later');
  const small = matchProgramme(project, { ...base, population_max: 75_000 }, TODAY);
  assert.deepEqual([small.eligible, reason(small, 'population').key], [false, 'population_no']);
  const capped = matchProgramme(project, { ...base, max_amount: 30_000 }, TODAY);
  assert.deepEqual([capped.expected, reason(capped, 'amount').key], [30_000, 'amount_capped']);
});

test('ranking: eligible first by what they may bring, then by fewest misses', () => {
  const ranked = rankProgrammes(
    project,
    [
      { ...base, slug: 'closed-and-off-theme', closes_on: '2020-01-01', themes: ['hosting'] },
      { ...base, slug: 'small', max_rate: 20 },
      { ...base, slug: 'closed', closes_on: '2020-01-01' },
      { ...base, slug: 'big', max_rate: 80 },
    ],
    TODAY,
  );
  assert.deepEqual(
    ranked.map((m) => m.programme.slug),
    ['big', 'small', 'closed', 'closed-and-off-theme'],
  );
});

test('reasons read in French and English', () => {
  installModuleMessages(modules);
  const m = matchProgramme(project, { ...base, population_max: 75_000, max_amount: 30_000 }, TODAY);
  const fr = translator('fr');
  const en = translator('en');
  const euro = (locale: string) => (n: number) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(n);
  assert.match(reasonText(fr, reason(m, 'population'), euro('fr-FR')), /habitants, hors des bornes/);
  assert.match(reasonText(en, reason(m, 'population'), euro('en-GB')), /inhabitants, outside the bounds/);
  assert.match(reasonText(fr, reason(m, 'audience'), euro('fr-FR')), /Ouvert aux collectivités de type EPCI/);
  assert.match(reasonText(en, reason(m, 'amount'), euro('en-GB')), /Up to €30,000 \(ceiling/);
});
