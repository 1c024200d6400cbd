// The statistics file without a database: cells under the threshold masked, formulas neutralised, quoting,
// the same figures giving the same bytes, and the file valid against its own bundled schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { loadBundledSchema, validateCsv } from '../validation/index.ts';
import { csvCell, firstMonth, SECRET_THRESHOLD, statisticsCsv, STATISTICS_SCHEMA } from './table.ts';
import type { DossierStatisticsRow } from '../../procedures/index.ts';

const row = (over: Partial<DossierStatisticsRow>): DossierStatisticsRow => ({
  procedure: 'subvention-associations',
  title: 'Demande de subvention',
  month: '2026-03',
  state: 'accepte',
  dossiers: 12,
  median_days_to_decision: 4.46,
  ...over,
});

test('a cell of fewer than five dossiers is published without its figures, flagged as secret', () => {
  const csv = statisticsCsv('Commune de Test', [
    row({}),
    row({ state: 'refuse', dossiers: SECRET_THRESHOLD - 1, median_days_to_decision: 2 }),
    row({ state: 'en_instruction', dossiers: SECRET_THRESHOLD, median_days_to_decision: null }),
  ]);
  assert.equal(
    csv,
    'collectivite,demarche,demarche_titre,mois,etat,nombre_dossiers,delai_median_decision_jours,secret_statistique\r\n' +
      'Commune de Test,subvention-associations,Demande de subvention,2026-03,accepte,12,4.5,false\r\n' +
      'Commune de Test,subvention-associations,Demande de subvention,2026-03,refuse,,,true\r\n' +
      'Commune de Test,subvention-associations,Demande de subvention,2026-03,en_instruction,5,,false\r\n',
  );
});

test('titles are quoted when needed and a leading formula character is neutralised', () => {
  assert.equal(csvCell('Aide, "urgente"'), '"Aide, ""urgente"""');
  assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvCell('-1'), "'-1");
  assert.equal(csvCell('Ligne\nsuivante'), '"Ligne\nsuivante"');
});

test('the same figures give the same bytes; the first month is the coverage start', () => {
  const rows = [row({ month: '2026-04' }), row({ month: '2025-11' })];
  assert.equal(
    statisticsCsv('X', rows),
    statisticsCsv(
      'X',
      rows.map((r) => ({ ...r })),
    ),
  );
  assert.equal(firstMonth(rows), '2025-11');
  assert.equal(firstMonth([]), null);
});

test('the file is valid against the bundled schema; a count under five written anyway is refused by it', async () => {
  const schema = loadBundledSchema(STATISTICS_SCHEMA);
  const csv = statisticsCsv('Nantes Métropole', [row({}), row({ state: 'refuse', dossiers: 2 }), row({ title: '=1+1', state: 'sans_suite', dossiers: 7 })]);
  const report = await validateCsv(Readable.from([Buffer.from(csv)]) as AsyncIterable<Uint8Array>, schema, { locale: 'fr' });
  assert.equal(report.valid, true, JSON.stringify(report.errors));
  const leaked = csv.replace('refuse,,,true', 'refuse,2,,true');
  const refused = await validateCsv(Readable.from([Buffer.from(leaked)]) as AsyncIterable<Uint8Array>, schema, { locale: 'fr' });
  assert.equal(refused.valid, false);
  assert.deepEqual(
    refused.errors.map((e) => [e.code, e.field]),
    [['constraint-error', 'nombre_dossiers']],
  );
});
