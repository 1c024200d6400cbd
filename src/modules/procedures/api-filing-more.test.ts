// Filing through the API, the less common paths: a mediator with the person's consent, the per-address
// limit on guest filings, a message with an attachment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, apiToken, createPerson, type TestApp } from '../../../test/helpers/app.ts';
import { apiTenant, call, countRows, fileDossier, published, ROOM_ANSWERS } from '../../../test/support/procedures/api.ts';

let t: TestApp;
// Clients told apart by the address a proxy on 127.0.0.1 gives (inject's socket address is 127.0.0.1).
before(async () => {
  t = await startTestApp({ env: { BASTIDE_TRUSTED_PROXIES: '127.0.0.1' } });
});
after(() => t.close());

test('a mediator files with and for a person: consent (who, how, when) recorded, required, mediators only', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const mediator = await createPerson(t.db, { [a.tenant.id]: ['mediator'] });
  const token = await apiToken(t, a.tenant.id, 'mediator', mediator.id);
  const url = `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`;
  const consent = { name: 'Jeanne Moreau', how: 'Accord oral au guichet de la maison France services', given_at: '2026-11-28T10:00:00Z' };
  const res = await call(t, 'POST', url, token, { email: 'jeanne@exemple.fr', data: ROOM_ANSWERS, mediation: consent });
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(res.json().mediation, {
    mediator_person_id: mediator.id,
    consent: { name: consent.name, how: consent.how, given_at: '2026-11-28T10:00:00.000Z' },
  });
  assert.equal(res.json().applicant_email, 'jeanne@exemple.fr');
  assert.ok(res.json().tracking_code, 'the person helped gets the tracking code, not the mediator');
  const missing = await call(t, 'POST', url, token, { email: 'jeanne@exemple.fr', data: ROOM_ANSWERS, mediation: { name: 'Jeanne Moreau' } });
  assert.equal(missing.statusCode, 422);
  assert.ok(missing.json().errors.mediation);
  const notMediator = await call(t, 'POST', url, a.agent, { email: 'x@exemple.fr', data: ROOM_ANSWERS, mediation: consent });
  assert.equal(notMediator.statusCode, 403);
  assert.equal(await countRows(t, a.tenant.id, 'dossiers'), 1);
  const entry = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ data: { mediated: boolean }; actor: string }>(`select data, actor from journal_entries where action = 'procedures.dossier.submit'`),
  );
  assert.deepEqual([entry!.actor, entry!.data.mediated], [`person:${mediator.id}`, true]);
});

test('guest filings are limited per address with a clear 429; other addresses and tokens are not affected', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const url = `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`;
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  // Invalid filings count too: the limit protects the server, not only the table.
  for (let i = 0; i < 120; i++) assert.equal((await call(t, 'POST', url, null, { data: {} }, from('203.0.113.7'))).statusCode, 422);
  const limited = await call(t, 'POST', url, null, { email: 'c@exemple.fr', data: ROOM_ANSWERS }, from('203.0.113.7'));
  assert.equal(limited.statusCode, 429);
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.equal((await call(t, 'POST', url, null, { email: 'c@exemple.fr', data: ROOM_ANSWERS }, from('203.0.113.8'))).statusCode, 201);
  assert.equal((await call(t, 'POST', url, a.agent, { data: ROOM_ANSWERS }, from('203.0.113.7'))).statusCode, 201);
});

test('an agent’s message carries an attachment, typed by its content', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const { number } = await fileDossier(t, a, slug);
  const boundary = 'msg-boundary';
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\nVoici le règlement de la salle.\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="reglement.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${a.tenant.slug}/dossiers/${number}/messages`,
    payload,
    headers: { authorization: `Bearer ${a.agent}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  assert.equal(res.statusCode, 201, res.body);
  const view = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers/${number}`, a.agent)).json();
  assert.equal(view.messages[0].body, 'Voici le règlement de la salle.');
  assert.deepEqual(
    view.attachments.map((x: { filename: string; content_type: string; message_id: string }) => [x.filename, x.content_type, x.message_id]),
    [['reglement.pdf', 'application/pdf', res.json().id]],
  );
});

test('fuzz through HTTP: broken JSON, invalid UTF-8, wrong types and huge values get a 4xx, never a 500', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const url = `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`;
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const atoms: unknown[] = [
    null,
    true,
    -1,
    1e308,
    '',
    'x'.repeat(300_000),
    '\u0000',
    '\ud800',
    [],
    {},
    [[[]]],
    { __proto__: { salle: 'x' } },
    '44109',
    '12/12/2026',
  ];
  const pick = () => atoms[Math.floor(next() * atoms.length)];
  const bodies: Array<string | Buffer> = [
    '{',
    '{"data": ',
    'null',
    '[]',
    '"text"',
    Buffer.from([0x7b, 0x22, 0x64, 0x61, 0x74, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    JSON.stringify({ email: ['a@b.fr'], data: ROOM_ANSWERS }),
    JSON.stringify({ email: 'a@b.fr', data: ROOM_ANSWERS, mediation: 'yes' }),
  ];
  for (let i = 0; i < 60; i++) {
    bodies.push(
      JSON.stringify({
        email: next() < 0.7 ? 'c@exemple.fr' : pick(),
        data: next() < 0.1 ? pick() : Object.fromEntries(['salle', 'date', 'commune', 'objet', 'photo'].map((k) => [k, pick()])),
      }),
    );
  }
  for (const [i, body] of bodies.entries()) {
    const res = await t.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i % 250}` },
    });
    assert.ok((res.statusCode >= 400 && res.statusCode < 500) || res.statusCode === 201, `body ${i}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    if (res.statusCode >= 400) assert.ok(res.json().error.message, `body ${i} has a message`);
  }
});
