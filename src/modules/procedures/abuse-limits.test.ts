// Issue 10, rows 6 and 9, attacked through HTTP: guest filings through the HTML form are limited like
// API ones (one count inside the filing action, whatever the forged X-Forwarded-For); mails a stranger can
// cause are limited per recipient across processes; limiter and tenant-cache state stay bounded under a
// flood of made-up keys; the files of a rejected filing do not stay on disk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../app.ts';
import { startTestApp, browserFor, type TestApp } from '../../../test/helpers/app.ts';
import { apiTenant, call, countRows, published, ROOM_ANSWERS } from '../../../test/support/procedures/api.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const filingUrl = (tenant: string, slug: string) => `/api/v1/${tenant}/procedures/${slug}/dossiers`;

/** A multipart filing from a client address of its own (the limit of 127.0.0.1 is used up above). */
let clients = 0;
const postFiling = (url: string, body: { payload: Buffer; headers: Record<string, string> }) =>
  t.app.inject({ method: 'POST', url, payload: body.payload, headers: body.headers, remoteAddress: `10.9.0.${(clients += 1)}` });

/** A guest posts the HTML form (urlencoded), with a forged X-Forwarded-For. */
async function postHtmlFiling(app: TestApp, tenant: string, slug: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const browser = await browserFor(app, null);
  return app.app.inject({
    method: 'POST',
    url: `/${tenant}/demarches/${slug}`,
    headers: { ...browser.headers, ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: browser.csrf, ...fields }).toString(),
  });
}

test('guest filings through the HTML form and the API share one per-address limit; forged addresses do not help', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  // Half through the API, half through the HTML form, each with a new forged address: 120 in all.
  for (let i = 0; i < 60; i++) {
    const res = await call(t, 'POST', filingUrl(a.tenant.slug, slug), null, { data: {} }, { 'x-forwarded-for': `198.51.100.${i}` });
    assert.equal(res.statusCode, 422);
  }
  for (let i = 0; i < 60; i++) {
    const res = await postHtmlFiling(t, a.tenant.slug, slug, { _email: 'pas-une-adresse' }, { 'x-forwarded-for': `203.0.113.${i}` });
    assert.equal(res.statusCode, 422, res.body.slice(0, 200));
  }
  const html = await postHtmlFiling(t, a.tenant.slug, slug, { _email: 'c@exemple.fr', salle: 'Petite salle' }, { 'x-forwarded-for': '192.0.2.1' });
  assert.equal(html.statusCode, 429);
  assert.ok(Number(html.headers['retry-after']) > 0);
  assert.match(html.body, /Trop de dépôts depuis votre adresse réseau/);
  const api = await call(t, 'POST', filingUrl(a.tenant.slug, slug), null, { email: 'c@exemple.fr', data: ROOM_ANSWERS }, { 'accept-language': 'en' });
  assert.equal(api.statusCode, 429);
  // Another client is not affected; an API token (an integration) is not limited per address.
  const other = await t.app.inject({
    method: 'POST',
    url: filingUrl(a.tenant.slug, slug),
    remoteAddress: '192.0.2.44',
    payload: JSON.stringify({ email: 'c@exemple.fr', data: ROOM_ANSWERS }),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(other.statusCode, 201, other.body);
  assert.equal((await call(t, 'POST', filingUrl(a.tenant.slug, slug), a.agent, { data: ROOM_ANSWERS })).statusCode, 201);
});

test('an IPv6 client is counted by its /64: a new address per request does not escape the limit', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const from = (i: number) => ({
    method: 'POST' as const,
    url: filingUrl(a.tenant.slug, slug),
    remoteAddress: `2001:db8:5:7:${i.toString(16)}::1`,
    payload: '{"data":{}}',
    headers: { 'content-type': 'application/json' },
  });
  for (let i = 0; i < 120; i++) assert.equal((await t.app.inject(from(i))).statusCode, 422);
  assert.equal((await t.app.inject(from(999))).statusCode, 429);
  assert.equal((await t.app.inject({ ...from(0), remoteAddress: '2001:db8:5:8::1' })).statusCode, 422, 'the next /64 is another client');
});

async function mailsTo(app: TestApp, email: string): Promise<number> {
  const row = await app.db.ownerTransaction((tx) =>
    tx.one<{ n: number }>(`select count(*)::int as n from jobs where kind = 'core.mail.send' and payload->>'to' = $1`, [email]),
  );
  return row!.n;
}

test('receipts to one address typed in by strangers: at most 10 an hour, across server processes; the filings still succeed', async () => {
  // A second server process on the same database: its own memory, the same counters.
  const other = await buildApp(t.config, t.db);
  await other.app.ready();
  try {
    const a = await apiTenant(t);
    const slug = await published(t, a);
    const victim = `victim-${a.tenant.slug}@example.org`;
    for (let i = 0; i < 14; i++) {
      const app = i % 2 ? other.app : t.app;
      const res = await app.inject({
        method: 'POST',
        url: filingUrl(a.tenant.slug, slug),
        remoteAddress: `192.0.2.${i + 1}`,
        payload: JSON.stringify({ email: victim, data: ROOM_ANSWERS }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.statusCode, 201, 'the filer sees no difference');
      assert.ok(res.json().tracking_code);
    }
    await t.deps.jobs.drain();
    await other.deps.jobs.drain();
    assert.equal(await countRows(t, a.tenant.id, 'dossiers'), 14);
    assert.equal(await mailsTo(t, victim), 10);
    // Counted where operators look, and no address kept in clear.
    const metrics = await t.app.inject('/metrics');
    assert.match(metrics.body, /^bastide_mails_withheld [1-9]\d*$/m);
    const rows = await t.db.ownerTransaction((tx) => tx.query<Record<string, unknown>>('select * from mail_recipient_counts'));
    assert.ok(rows.length > 0);
    assert.ok(!JSON.stringify(rows).includes('@'), 'recipients are stored hashed');
  } finally {
    await other.app.close();
  }
});

test('"already registered" sign-up mails and reset mails to one address are limited per recipient too', async () => {
  const victim = `owner-${Date.now()}@example.org`;
  const browser = await browserFor(t, null);
  const signUp = (i: number) =>
    t.app.inject({
      method: 'POST',
      url: '/auth/sign-up',
      remoteAddress: `198.51.100.${i + 1}`,
      headers: { ...browser.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: browser.csrf, email: victim, display_name: 'X', password: 'a long enough pass phrase' }).toString(),
    });
  for (let i = 0; i < 12; i++) assert.equal((await signUp(i)).statusCode, 200, 'the same answer every time');
  // One verification mail (the account created by the first), then "already registered" mails: 10 in all.
  assert.equal(await mailsTo(t, victim), 10);
});

test('limiter and tenant cache state stay bounded under a flood of made-up slugs', async () => {
  for (let i = 0; i < 1100; i++) {
    const res = await t.app.inject(`/api/v1/no-such-${i}/procedures`);
    assert.equal(res.statusCode, 404);
  }
  const { unknown } = t.deps.tenants.size;
  assert.ok(unknown <= t.deps.tenants.maxUnknown, `${unknown} unknown slugs kept`);
});

// --- Row 9: the files of a rejected filing ---------------------------------------------------------

function multipart(parts: Array<{ name: string; value: string | Buffer; filename?: string; type?: string }>): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = 'abuse-test-boundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`),
      Buffer.from(p.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A PDF of about `bytes` bytes, different for each `n`. */
function pdf(n: number, bytes = 300_000): Buffer {
  return Buffer.concat([Buffer.from(`%PDF-1.4\n% piece ${n}\n`), Buffer.alloc(bytes, 0x20 + (n % 90)), Buffer.from('\n%%EOF\n')]);
}

const PIECES = {
  title: 'Demande avec pièces',
  fields: [
    { key: 'objet', label: 'Objet', type: 'text', required: true },
    { key: 'pieces', label: 'Pièces', type: 'file', accept: ['application/pdf'], maxBytes: 1_000_000 },
  ],
};

function filesOnDisk(dataDir: string, tenantId: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk(join(dataDir, 'files', tenantId));
  walk(join(dataDir, 'tmp', 'uploads'));
  return out;
}

test('a rejected multipart guest filing with 3 files leaves no file in the blob folder and no blob row', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a, PIECES);
  const rejected = multipart([
    { name: 'pieces', value: pdf(1), filename: 'a.pdf', type: 'application/pdf' },
    { name: 'pieces', value: pdf(2), filename: 'b.pdf', type: 'application/pdf' },
    { name: 'pieces', value: pdf(3), filename: 'c.pdf', type: 'application/pdf' },
    { name: 'email', value: 'camille@exemple.fr' },
    { name: 'data', value: JSON.stringify({}) }, // "objet" is missing
  ]);
  const res = await postFiling(filingUrl(a.tenant.slug, slug), rejected);
  assert.equal(res.statusCode, 422, res.body);
  assert.deepEqual(filesOnDisk(t.config.dataDir, a.tenant.id), []);
  assert.equal(await countRows(t, a.tenant.id, 'blobs'), 0);

  // The same with a bad email and with a file of a refused type among good ones.
  for (const parts of [
    [
      { name: 'email', value: 'pas-une-adresse' },
      { name: 'data', value: JSON.stringify({ objet: 'x' }) },
    ],
    [
      { name: 'email', value: 'camille@exemple.fr' },
      { name: 'data', value: JSON.stringify({ objet: 'x' }) },
      { name: 'pieces', value: 'MZ not a pdf', filename: 'd.pdf', type: 'application/pdf' },
    ],
  ]) {
    const body = multipart([{ name: 'pieces', value: pdf(4), filename: 'a.pdf', type: 'application/pdf' }, ...parts]);
    const refused = await postFiling(filingUrl(a.tenant.slug, slug), body);
    assert.equal(refused.statusCode, 422);
    assert.deepEqual(filesOnDisk(t.config.dataDir, a.tenant.id), []);
  }
  assert.equal(await countRows(t, a.tenant.id, 'blobs'), 0);
});

test('a filing that succeeds keeps its files; a rejected one with the same bytes does not take them away', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a, PIECES);
  const good = multipart([
    { name: 'email', value: 'camille@exemple.fr' },
    { name: 'data', value: JSON.stringify({ objet: 'Dossier complet' }) },
    { name: 'pieces', value: pdf(10), filename: 'a.pdf', type: 'application/pdf' },
  ]);
  assert.equal((await postFiling(filingUrl(a.tenant.slug, slug), good)).statusCode, 201);
  assert.equal(filesOnDisk(t.config.dataDir, a.tenant.id).length, 1);
  const again = multipart([
    { name: 'email', value: 'camille@exemple.fr' },
    { name: 'data', value: JSON.stringify({}) },
    { name: 'pieces', value: pdf(10), filename: 'same.pdf', type: 'application/pdf' },
    { name: 'pieces', value: pdf(11), filename: 'new.pdf', type: 'application/pdf' },
  ]);
  assert.equal((await postFiling(filingUrl(a.tenant.slug, slug), again)).statusCode, 422);
  assert.equal(filesOnDisk(t.config.dataDir, a.tenant.id).length, 1, 'the first dossier’s file stays, the new one is gone');
  assert.equal(await countRows(t, a.tenant.id, 'blobs'), 1);
});

test('a client over its filing limit writes nothing to disk: the limit is counted before any file is read', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a, PIECES);
  for (let i = 0; i < 120; i++) {
    await t.app.inject({
      method: 'POST',
      url: filingUrl(a.tenant.slug, slug),
      remoteAddress: '192.0.2.200',
      payload: '{"data":{}}',
      headers: { 'content-type': 'application/json' },
    });
  }
  const body = multipart([
    { name: 'pieces', value: pdf(20), filename: 'a.pdf', type: 'application/pdf' },
    { name: 'email', value: 'c@exemple.fr' },
    { name: 'data', value: '{"objet":"x"}' },
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: filingUrl(a.tenant.slug, slug),
    remoteAddress: '192.0.2.200',
    payload: body.payload,
    headers: body.headers,
  });
  assert.equal(res.statusCode, 429);
  assert.deepEqual(filesOnDisk(t.config.dataDir, a.tenant.id), []);
});
