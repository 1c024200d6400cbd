// archivesMetrics: the roadmap's "archive volume" — units, objects and bytes kept, by month — counts one
// collectivité only (row-level security), and an eliminated unit's objects no longer count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { postForm, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { archivesTenant, bytes, ingest } from '../../../test/support/archives/archives.ts';
import { archivesMetrics } from './index.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('units, objects and bytes kept, per collectivité and by month; eliminated objects leave the count', async () => {
  const a = await archivesTenant(t);
  const b = await archivesTenant(t);
  assert.deepEqual(await archivesMetrics(t.deps, a.tenant.id), { units: 0, objects: 0, bytes: 0, byMonth: [] });
  const due = { category: 'appraisal' as const, rule_code: 'APP-DOSSIER-10-D', start_date: '2010-01-01' };
  const r = await ingest(t, a.tenant.id, [
    {
      title: 'Registre',
      objects: [
        { filename: 'a.txt', source: bytes('12345') },
        { filename: 'b.txt', source: bytes('123') },
      ],
    },
    { title: 'Échu', end_date: '2009-12-31', rules: [due], objects: [{ filename: 'c.txt', source: bytes('1234567') }] },
    { title: 'Sans objet' },
  ]);
  await ingest(t, b.tenant.id, [{ title: 'Autre', objects: [{ filename: 'x.txt', source: bytes('x'.repeat(100)) }] }]);

  const m = await archivesMetrics(t.deps, a.tenant.id);
  assert.deepEqual([m.units, m.objects, m.bytes], [3, 3, 15]);
  assert.equal(m.byMonth.length, 1);
  assert.match(m.byMonth[0]!.month, /^\d{4}-\d{2}$/);
  assert.deepEqual({ ...m.byMonth[0], month: '' }, { month: '', units: 3, objects: 3, bytes: 15 });
  const other = await archivesMetrics(t.deps, b.tenant.id);
  assert.deepEqual([other.units, other.objects, other.bytes], [1, 1, 100]);

  // Eliminate the due unit: its 7 bytes and its unit leave the volume.
  const proposed = await postForm(t, a.archivist, `${a.base}/eliminations`, { units: [r.units[1]!.id] });
  const page = String(proposed.headers.location).split('?')[0]!;
  const visa = { visa_authority: 'AD 44', visa_signatory: 'Mme Durand', visa_reference: 'AD44/1', visa_date: '2025-01-10' };
  assert.equal((await postForm(t, a.archivist, `${page}/visa`, visa)).statusCode, 303);
  assert.equal((await postForm(t, a.archivist, `${page}/executer`, {})).statusCode, 303);
  const after = await archivesMetrics(t.deps, a.tenant.id);
  assert.deepEqual([after.units, after.objects, after.bytes], [2, 2, 8]);
});
