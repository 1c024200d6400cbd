// Filing dossiers through the API: guests, tokens, idempotent retries, invalid answers, attachments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { apiToken, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { apiTenant, call, countRows, published, ROOM_ANSWERS, ROOM_DEFINITION } from '../../../test/support/procedures/api.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const url = (slug: string, procedure: string) => `/api/v1/${slug}/procedures/${procedure}/dossiers`;

test('a guest files with an email: number, state, private tracking code, history, journal, queued notification', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const res = await call(t, 'POST', url(a.tenant.slug, slug), null, { email: 'camille@exemple.fr', data: { ...ROOM_ANSWERS, inconnu: 'ignored' } });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json();
  assert.equal(body.state, 'en_construction');
  assert.ok(body.number > 0);
  assert.match(body.tracking_code, /^[\w-]{32}$/);
  assert.equal(body.tracking_url, `/${a.tenant.slug}/dossiers/${body.number}?code=${body.tracking_code}`);
  assert.deepEqual(Object.keys(body.data).sort(), ['commune', 'date', 'objet', 'salle']);
  const row = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ tracking_code_hash: string; applicant_email: string }>('select tracking_code_hash, applicant_email from dossiers'),
  );
  assert.equal(row!.applicant_email, 'camille@exemple.fr');
  assert.notEqual(row!.tracking_code_hash, body.tracking_code, 'only a hash of the code is stored');
  const journal = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ actor: string }>(`select actor from journal_entries where action = 'procedures.dossier.submit'`),
  );
  assert.deepEqual(
    journal.map((j) => j.actor),
    ['guest:camille@exemple.fr'],
  );
  const jobs = await t.db.ownerTransaction((tx) =>
    tx.query<{ payload: { dossierId: string; event: string } }>(`select payload from jobs where tenant_id = $1 and kind = 'procedures.dossier.notify'`, [
      a.tenant.id,
    ]),
  );
  assert.deepEqual(
    jobs.map((j) => j.payload),
    [{ dossierId: body.id, event: 'submitted' }],
  );
  const history = await t.db.transaction(a.tenant.id, (tx) => tx.query<{ actor: string; to_state: string }>('select actor, to_state from dossier_transitions'));
  assert.deepEqual(history, [{ actor: 'guest:camille@exemple.fr', to_state: 'en_construction' }]);
});

test('a guest without an email, invalid answers, or an unpublished procedure: refused, nothing stored', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const noEmail = await call(t, 'POST', url(a.tenant.slug, slug), null, { data: ROOM_ANSWERS });
  assert.equal(noEmail.statusCode, 422);
  assert.ok(noEmail.json().errors.email);
  const invalid = await call(t, 'POST', url(a.tenant.slug, slug), null, {
    email: 'c@exemple.fr',
    data: { ...ROOM_ANSWERS, date: '31/02/2026', commune: '00000', salle: 'Le Zénith' },
  });
  assert.equal(invalid.statusCode, 422);
  assert.deepEqual(Object.keys(invalid.json().errors).sort(), ['commune', 'date', 'salle']);
  assert.match(invalid.json().errors.date[0], /date valide/);
  const notObject = await call(t, 'POST', url(a.tenant.slug, slug), null, { email: 'c@exemple.fr', data: 'hello' });
  assert.equal(notObject.statusCode, 422);
  const draft = (await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures`, a.admin, { title: 'Pas encore', fields: [] })).json().slug;
  assert.equal((await call(t, 'POST', url(a.tenant.slug, draft), null, { email: 'c@exemple.fr', data: {} })).statusCode, 404);
  assert.equal((await call(t, 'POST', url(a.tenant.slug, 'no-such'), null, { email: 'c@exemple.fr', data: {} })).statusCode, 404);
  assert.equal(await countRows(t, a.tenant.id, 'dossiers'), 0);
  assert.equal(await countRows(t, a.tenant.id, `journal_entries where action like 'procedures.dossier%'`), 0);
});

test('Idempotency-Key: a retry with the same key and request returns the same dossier and code, one row, only a digest stored', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const key = randomUUID();
  const headers = { 'idempotency-key': key };
  const payload = { email: 'camille@exemple.fr', data: ROOM_ANSWERS };
  const [first, second] = await Promise.all([
    call(t, 'POST', url(a.tenant.slug, slug), null, payload, headers),
    call(t, 'POST', url(a.tenant.slug, slug), null, payload, headers),
  ]);
  const third = await call(t, 'POST', url(a.tenant.slug, slug), null, payload, headers);
  for (const r of [first, second, third]) assert.equal(r.statusCode, 201, r.body);
  assert.equal(new Set([first, second, third].map((r) => r.json().number)).size, 1);
  assert.equal(new Set([first, second, third].map((r) => r.json().tracking_code)).size, 1);
  assert.equal(third.headers['idempotent-replayed'], 'true');
  assert.equal(await countRows(t, a.tenant.id, 'dossiers'), 1);
  assert.equal(await countRows(t, a.tenant.id, `journal_entries where action = 'procedures.dossier.submit'`), 1);
  const notify = await t.db.ownerTransaction((tx) =>
    tx.one<{ n: number }>(`select count(*)::int as n from jobs where tenant_id = $1 and kind = 'procedures.dossier.notify'`, [a.tenant.id]),
  );
  assert.equal(notify!.n, 1);
  const stored = await t.db.transaction(a.tenant.id, (tx) => tx.one<{ idempotency_key: string }>('select idempotency_key from dossiers'));
  assert.match(stored!.idempotency_key, /^[0-9a-f]{64}$/, 'an HMAC, never the key');
  assert.ok(!stored!.idempotency_key.includes(key));
  // The same request after the procedure changed (its answers no longer validate) still gets its dossier.
  await call(t, 'PUT', `/api/v1/${a.tenant.slug}/procedures/${slug}`, a.admin, {
    ...ROOM_DEFINITION,
    fields: [...ROOM_DEFINITION.fields, { key: 'nouveau', label: 'Nouveau', type: 'text', required: true }],
  });
  assert.equal((await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/publish`, a.admin)).statusCode, 200);
  const later = await call(t, 'POST', url(a.tenant.slug, slug), null, payload, headers);
  assert.equal(later.statusCode, 201, later.body);
  assert.equal(later.json().number, first.json().number);
  // Keys must be long random values: short or oversized keys are refused, with the reason.
  for (const bad of ['retry-4f1c2a', 'x'.repeat(31), 'x'.repeat(201), `${'x'.repeat(31)} `]) {
    const res = await call(t, 'POST', url(a.tenant.slug, slug), null, payload, { 'idempotency-key': bad });
    assert.equal(res.statusCode, 422, bad);
    assert.match(res.json().errors['Idempotency-Key'][0], /aléatoire de 32 à 200/);
  }
});

// Issue 10, row 7: a guest who knows (or guesses) someone else's Idempotency-Key and email used to get
// their dossier back, answers and tracking code included, even with empty data.
test("attack: replaying another filer's Idempotency-Key with their email discloses nothing; it is answered as an unknown key", async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const victimKey = randomUUID();
  const victim = await call(t, 'POST', url(a.tenant.slug, slug), null, { email: 'camille@exemple.fr', data: ROOM_ANSWERS }, { 'idempotency-key': victimKey });
  assert.equal(victim.statusCode, 201, victim.body);
  const secretCode = victim.json().tracking_code as string;
  const attempt = (key: string, data: unknown, token: string | null = null) =>
    call(t, 'POST', url(a.tenant.slug, slug), token, { email: 'camille@exemple.fr', data }, { 'idempotency-key': key });

  // Empty data: the replay gave the victim's dossier with 201; now the same 422 as with an unknown key.
  const replayed = await attempt(victimKey, {});
  const unknown = await attempt(randomUUID(), {});
  assert.equal(replayed.statusCode, 422, replayed.body);
  assert.equal(replayed.statusCode, unknown.statusCode);
  assert.deepEqual(replayed.json(), unknown.json());
  assert.equal(replayed.headers['idempotent-replayed'], undefined);
  assert.ok(!replayed.body.includes(secretCode) && !replayed.body.includes('Répétition de la chorale'));

  // Other valid answers: a new dossier of the attacker's own, exactly as with an unknown key.
  const other = { ...ROOM_ANSWERS, objet: 'Autre chose' };
  const withVictimKey = await attempt(victimKey, other);
  const withUnknownKey = await attempt(randomUUID(), other);
  for (const r of [withVictimKey, withUnknownKey]) {
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.headers['idempotent-replayed'], undefined);
    assert.notEqual(r.json().number, victim.json().number);
    assert.notEqual(r.json().tracking_code, secretCode);
    assert.equal(r.json().data.objet, 'Autre chose');
  }
  assert.deepEqual(Object.keys(withVictimKey.json()).sort(), Object.keys(withUnknownKey.json()).sort());

  // The victim's exact request from an authenticated caller (another scope) is not a retry either.
  const token = await attempt(victimKey, ROOM_ANSWERS, a.agent);
  assert.equal(token.statusCode, 201, token.body);
  assert.notEqual(token.json().number, victim.json().number);
  assert.equal(token.headers['idempotent-replayed'], undefined);
  // The victim's own retry still works.
  const retry = await attempt(victimKey, ROOM_ANSWERS);
  assert.equal(retry.json().number, victim.json().number);
  assert.equal(retry.json().tracking_code, secretCode);
  assert.equal(await countRows(t, a.tenant.id, 'dossiers'), 4);
});

test('Idempotency-Key of an authenticated caller is scoped to that caller', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const other = await apiToken(t, a.tenant.id, 'agent');
  const key = randomUUID();
  const send = (token: string) => call(t, 'POST', url(a.tenant.slug, slug), token, { data: ROOM_ANSWERS }, { 'idempotency-key': key });
  const mine = await send(a.agent);
  const again = await send(a.agent);
  const theirs = await send(other);
  for (const r of [mine, again, theirs]) assert.equal(r.statusCode, 201, r.body);
  assert.equal(again.json().number, mine.json().number);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.notEqual(theirs.json().number, mine.json().number);
  assert.equal(theirs.headers['idempotent-replayed'], undefined);
});

test('a token files without an email; a signed-in person gets no tracking code', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const res = await call(t, 'POST', url(a.tenant.slug, slug), a.agent, { data: ROOM_ANSWERS });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().applicant_email, null);
});

function multipart(parts: Array<{ name: string; value: string | Buffer; filename?: string; type?: string }>): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = 'bastide-test-boundary';
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

// The smallest valid PNG (1×1 transparent pixel).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

test('multipart: answers as JSON plus files typed by their content; a wrong type is refused, nothing stored', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const good = multipart([
    { name: 'email', value: 'camille@exemple.fr' },
    { name: 'data', value: JSON.stringify(ROOM_ANSWERS) },
    { name: 'photo', value: PNG, filename: 'salle.png', type: 'image/png' },
  ]);
  const res = await t.app.inject({ method: 'POST', url: url(a.tenant.slug, slug), payload: good.payload, headers: good.headers });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().data.photo[0].content_type, 'image/png');
  const attachments = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ field_key: string; filename: string; size: number }>('select field_key, filename, size from dossier_attachments'),
  );
  assert.deepEqual(
    attachments.map((x) => [x.field_key, x.filename, Number(x.size)]),
    [['photo', 'salle.png', PNG.length]],
  );
  const bad = multipart([
    { name: 'email', value: 'camille@exemple.fr' },
    { name: 'data', value: JSON.stringify(ROOM_ANSWERS) },
    { name: 'photo', value: '%PDF-1.4 pretending', filename: 'salle.png', type: 'image/png' },
  ]);
  const refused = await t.app.inject({ method: 'POST', url: url(a.tenant.slug, slug), payload: bad.payload, headers: bad.headers });
  assert.equal(refused.statusCode, 422);
  assert.ok(refused.json().errors.photo);
  assert.equal(await countRows(t, a.tenant.id, 'dossiers'), 1);
});

test('a 20-field answer with a huge text is refused with a per-field reason, not a crash', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const res = await call(t, 'POST', url(a.tenant.slug, slug), null, { email: 'c@exemple.fr', data: { ...ROOM_ANSWERS, objet: 'é'.repeat(200_000) } });
  assert.equal(res.statusCode, 422);
  assert.match(res.json().errors.objet[0], /10000 caractères/);
});
