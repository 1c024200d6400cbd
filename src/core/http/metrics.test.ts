// /metrics speaks the Prometheus text format (checked line by line, histograms consistent), counts
// requests by route template and shows the job queue; /healthz is liveness only, /readyz follows the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, type TestApp } from '../../../test/helpers/app.ts';
import { loadConfig } from '../../config.ts';
import { buildApp } from '../../app.ts';
import { createTestDatabase } from '../../../test/helpers/database.ts';
import { enqueue } from '../jobs/queue.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the exposition format: throws on any line it does not recognise. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  assert.ok(text.endsWith('\n'), 'ends with a newline');
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE') {
        assert.ok(['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(comment[3]!), line);
        assert.ok(!types.has(comment[2]!), `one TYPE per family: ${line}`);
        types.set(comment[2]!, comment[3]!);
      }
      continue;
    }
    const sample =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*)\})? (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|\+Inf|-Inf|NaN)$/.exec(line);
    assert.ok(sample, `not a valid sample line: ${JSON.stringify(line)}`);
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    const family = sample[1]!.replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(sample[1]!) || types.get(family) === 'histogram', `TYPE declared before ${sample[1]}`);
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return { types, samples };
}

test('/healthz and /readyz answer in JSON', async () => {
  const health = await t.app.inject('/healthz');
  assert.equal(health.statusCode, 200);
  assert.deepEqual(health.json(), { status: 'ok' });
  const ready = await t.app.inject('/readyz');
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'ready' });
});

test('/metrics is valid Prometheus text with per-route counts, consistent histograms and the job queue', async () => {
  const tenant = await createTestTenant(t.db);
  for (let i = 0; i < 3; i++) await t.app.inject('/healthz');
  await t.app.inject(`/${tenant.slug}/legal/mentions-legales`);
  await t.app.inject('/no-such-place/at-all');
  await t.db.transaction(null, async (tx) => {
    await enqueue(tx, 'test.metrics', {});
    await enqueue(tx, 'test.metrics', {});
  });
  // What the runner does to a job that failed for good (the queue is the owner's).
  await t.db.ownerTransaction((tx) => tx.query(`update jobs set state = 'failed' where id = (select max(id) from jobs where kind = 'test.metrics')`));
  const res = await t.app.inject('/metrics');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const { types, samples } = parseExposition(res.body);
  assert.equal(types.get('bastide_http_requests_total'), 'counter');
  assert.equal(types.get('bastide_http_request_duration_seconds'), 'histogram');
  const count = (route: string, status: string) =>
    samples.find((s) => s.name === 'bastide_http_requests_total' && s.labels.route === route && s.labels.status === status)?.value;
  assert.equal(count('/healthz', '200'), 4); // three here, one in the test before
  // Route templates, never raw URLs: tenants and unknown paths do not create series.
  assert.equal(count('/:tenant/legal/:page', '200'), 1);
  assert.equal(count('unmatched', '404'), 1);
  assert.ok(!samples.some((s) => s.labels.route?.includes(tenant.slug) || s.labels.route?.includes('no-such-place')));

  const buckets = samples.filter((s) => s.name === 'bastide_http_request_duration_seconds_bucket' && s.labels.route === '/healthz');
  assert.equal(buckets.at(-1)!.labels.le, '+Inf');
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]!.value >= buckets[i - 1]!.value, 'buckets are cumulative');
  const histogramCount = samples.find((s) => s.name === 'bastide_http_request_duration_seconds_count' && s.labels.route === '/healthz')!.value;
  assert.equal(buckets.at(-1)!.value, histogramCount);

  const jobs = (state: string) => samples.find((s) => s.name === 'bastide_jobs' && s.labels.state === state)?.value;
  assert.ok(jobs('queued')! >= 1);
  assert.ok(jobs('failed')! >= 1);
  assert.equal(jobs('running'), 0);
  assert.ok(samples.find((s) => s.name === 'bastide_jobs_oldest_ready_seconds')!.value >= 0);
  assert.ok(samples.find((s) => s.name === 'process_resident_memory_bytes')!.value > 0);
});

test('/readyz is 503 when the database is gone, while /healthz stays up', async () => {
  const testDb = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', BASTIDE_DATA_DIR: testDb.dataDir });
  const { app } = await buildApp(config, testDb.db);
  await app.ready();
  const close = testDb.db.close.bind(testDb.db);
  await close();
  testDb.db.close = async () => {}; // already closed; cleanup still removes the database and folder
  try {
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json(), { status: 'unavailable' });
    assert.equal((await app.inject('/healthz')).statusCode, 200);
  } finally {
    await app.close();
    await testDb.cleanup();
  }
});
