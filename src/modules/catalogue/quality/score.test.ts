// The quality score without a database: each criterion met and unmet, the update schedule and its day of
// grace, the schema criterion counted only when a schema is declared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESCRIPTION_MIN, nextUpdateDue, qualityOf, type QualityDataset, type QualityResource } from './score.ts';

const NOW = new Date('2026-06-15T12:00:00Z');
const LONG = 'Les subventions versées par la collectivité aux associations, avec leur objet, leur montant et la date de la convention signée.';

const dataset = (over: Partial<QualityDataset> = {}): QualityDataset => ({
  description: LONG,
  licence: 'etalab-2.0',
  frequency: 'ANNUAL',
  temporal_start: '2025-01-01',
  temporal_end: null,
  spatial: ['44109'],
  hasSchema: true,
  ...over,
});

const resource = (over: Partial<QualityResource> = {}, latest: Partial<NonNullable<QualityResource['latest']>> | null = {}): QualityResource => ({
  title: 'Subventions 2025',
  description: 'Une ligne par subvention.',
  latest:
    latest === null
      ? null
      : { format: 'CSV', uploaded_at: new Date('2026-03-01T00:00:00Z'), available: true, validation_state: 'done', valid: true, ...latest },
  ...over,
});

const unmet = (d: QualityDataset, rs: QualityResource[], now = NOW) =>
  qualityOf(d, rs, now)
    .criteria.filter((c) => !c.met)
    .map((c) => `${c.id}:${c.problem!.code}`);

test('a well-described, up-to-date, conforming dataset meets all nine criteria', () => {
  const q = qualityOf(dataset(), [resource()], NOW);
  assert.deepEqual(
    q.criteria.map((c) => c.id),
    ['description', 'resources_documented', 'licence', 'update', 'temporal', 'spatial', 'open_format', 'available', 'schema'],
  );
  assert.deepEqual({ met: q.met, total: q.total, score: q.score }, { met: 9, total: 9, score: 1 });
});

test('without a declared schema there are udata’s eight criteria only', () => {
  const q = qualityOf(dataset({ hasSchema: false }), [resource()], NOW);
  assert.equal(q.total, 8);
  assert.ok(!q.criteria.some((c) => c.id === 'schema'));
});

test('each unmet criterion names its problem, with what the message needs', () => {
  const d = dataset({ description: 'Trop court.', licence: '', frequency: null, temporal_start: null, spatial: [] });
  const q = qualityOf(d, [resource({ description: '  ' }, { format: 'PDF', available: false })], NOW);
  const by = Object.fromEntries(q.criteria.map((c) => [c.id, c.problem ?? null]));
  assert.deepEqual(by.description, { code: 'description_short', params: { length: 11, min: DESCRIPTION_MIN } });
  assert.deepEqual(by.resources_documented, { code: 'resources_undescribed', params: { resources: 'Subventions 2025' } });
  assert.deepEqual(by.licence, { code: 'licence_missing' });
  assert.deepEqual(by.update, { code: 'frequency_missing' });
  assert.deepEqual(by.temporal, { code: 'temporal_missing' });
  assert.deepEqual(by.spatial, { code: 'spatial_missing' });
  assert.deepEqual(by.open_format, { code: 'no_open_format', params: { formats: 'PDF' } });
  assert.deepEqual(by.available, { code: 'files_missing', params: { resources: 'Subventions 2025' } });
  assert.deepEqual(by.schema, { code: 'schema_no_csv' });
  assert.equal(q.met, 0);
  assert.equal(q.score, 0);
});

test('a description of exactly the minimum length counts; one character less does not', () => {
  assert.deepEqual(unmet(dataset({ description: 'x'.repeat(DESCRIPTION_MIN) }), [resource()]), []);
  assert.deepEqual(unmet(dataset({ description: `  ${'x'.repeat(DESCRIPTION_MIN - 1)}  ` }), [resource()]), ['description:description_short']);
});

test('the update is due one period after the newest upload of any resource, with one day of grace', () => {
  const monthly = dataset({ frequency: 'MONTHLY' });
  const uploaded = new Date('2026-05-01T00:00:00Z');
  assert.deepEqual(nextUpdateDue('MONTHLY', uploaded), new Date('2026-06-01T00:00:00Z'));
  // Due 1 June: 2 June is within the day of grace, 2 June + 1 ms is not.
  assert.deepEqual(unmet(monthly, [resource({}, { uploaded_at: uploaded })], new Date('2026-06-02T00:00:00Z')), []);
  const late = qualityOf(monthly, [resource({}, { uploaded_at: uploaded })], new Date('2026-06-15T00:00:00Z')).criteria.find((c) => c.id === 'update')!;
  assert.deepEqual(late.problem, { code: 'update_late', params: { due: '2026-06-01', days: 14 } });
  // A newer upload of another resource brings it up to date.
  assert.deepEqual(unmet(monthly, [resource({}, { uploaded_at: uploaded }), resource({ title: 'B' }, { uploaded_at: new Date('2026-06-10T00:00:00Z') })]), []);
  // Scheduled but nothing was ever uploaded.
  assert.deepEqual(
    unmet(monthly, []).filter((p) => p.startsWith('update')),
    ['update:never_updated'],
  );
});

test('irregular, continuous and never-updated frequencies are declared and have no schedule; UNKNOWN is not declared', () => {
  const old = resource({}, { uploaded_at: new Date('2010-01-01T00:00:00Z') });
  for (const frequency of ['IRREG', 'CONT', 'NEVER']) assert.deepEqual(unmet(dataset({ frequency }), [old]), [], frequency);
  assert.deepEqual(unmet(dataset({ frequency: 'UNKNOWN' }), [old]), ['update:frequency_missing']);
  assert.equal(nextUpdateDue('IRREG', new Date()), null);
});

test('one open format is enough; ZIP, PDF and XLSX are not open', () => {
  assert.deepEqual(unmet(dataset({ hasSchema: false }), [resource({}, { format: 'PDF' }), resource({ title: 'B' }, { format: 'GeoJSON' })]), []);
  for (const format of ['PDF', 'XLSX', 'ZIP']) {
    assert.deepEqual(unmet(dataset({ hasSchema: false }), [resource({}, { format })]), ['open_format:no_open_format'], format);
  }
});

test('availability: no resource, a resource without any upload, a file the store lost', () => {
  assert.ok(unmet(dataset({ hasSchema: false }), []).includes('available:no_resource'));
  assert.ok(unmet(dataset({ hasSchema: false }), [resource({ title: 'Vide' }, null)]).includes('available:files_missing'));
  const q = qualityOf(dataset(), [resource({ title: 'Perdu' }, { available: false })], NOW);
  assert.deepEqual(q.criteria.find((c) => c.id === 'available')!.problem, { code: 'files_missing', params: { resources: 'Perdu' } });
});

test('the schema criterion: every CSV checked and conforming; invalid wins over pending; other formats do not count', () => {
  assert.deepEqual(unmet(dataset(), [resource(), resource({ title: 'Carte' }, { format: 'GeoJSON', validation_state: 'none', valid: null })]), []);
  assert.deepEqual(unmet(dataset(), [resource({ title: 'A' }, { valid: false })]), ['schema:schema_invalid']);
  assert.deepEqual(unmet(dataset(), [resource({ title: 'A' }, { validation_state: 'failed', valid: null })]), ['schema:schema_invalid']);
  const both = qualityOf(dataset(), [resource({ title: 'A' }, { validation_state: 'pending', valid: null }), resource({ title: 'B' }, { valid: false })], NOW);
  assert.deepEqual(both.criteria.find((c) => c.id === 'schema')!.problem, { code: 'schema_invalid', params: { resources: 'B' } });
  assert.deepEqual(unmet(dataset(), [resource({ title: 'A' }, { validation_state: 'pending', valid: null })]), ['schema:schema_pending']);
});
