// The ANFR SUP_SUPPORT layout: the shipped (fictitious) sample reads, filtered by the collectivité's
// communes; a file in another layout, a broken line or an oversized file is refused with what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MAX_ANFR_BYTES, readAnfrSupports } from './anfr-sites.ts';

const sample = readFileSync(new URL('./library/anfr-sup-support-SAMPLE-FICTITIOUS-nantes-metropole.csv', import.meta.url));

test('the sample reads as Latin-1, coordinates from degrees/minutes/seconds, heights with a comma', () => {
  const r = readAnfrSupports(sample, new Set(['44109', '44143']));
  assert.ok(r.ok);
  assert.equal(r.sites.length, 5);
  assert.equal(r.skipped, 9);
  const first = r.sites[0]!;
  assert.equal(first.station, '0449990001');
  assert.equal(first.heightM, 32.5);
  assert.equal(first.latitude, 47.216111);
  assert.equal(first.longitude, -1.553333);
  assert.ok(r.sites.every((s) => s.place.startsWith('EXEMPLE FICTIF')));
  const all = readAnfrSupports(sample, new Set());
  assert.ok(all.ok && all.sites.length === 14 && all.sites[13]!.longitude > 0);
});

test('another layout, a broken line, absurd coordinates and a huge file are refused', () => {
  const other = readAnfrSupports(Buffer.from('id;name\n1;x\n'), new Set());
  assert.ok(!other.ok && other.problem.code === 'missing_columns' && other.problem.columns.includes('SUP_ID'));
  const text = sample.toString('latin1');
  const broken = readAnfrSupports(Buffer.from(text.replace('900003;', '900003;;'), 'latin1'), new Set());
  assert.deepEqual(broken.ok ? null : broken.problem, { code: 'bad_lines', lines: [{ line: 4, reason: 'columns', found: 20, expected: 19 }], more: false });
  const absurd = readAnfrSupports(Buffer.from(text.replace(';47;12;58;N;', ';147;12;58;N;'), 'latin1'), new Set());
  assert.deepEqual(absurd.ok ? null : absurd.problem, { code: 'bad_lines', lines: [{ line: 2, reason: 'latitude' }], more: false });
  const huge = readAnfrSupports(new Uint8Array(MAX_ANFR_BYTES + 1), new Set());
  assert.deepEqual(huge.ok ? null : huge.problem, { code: 'too_big' });
});
