// Outgoing mail through the job queue, against a real SMTP server on 127.0.0.1: delivered after
// commit; with the server down the job fails, is retried, and is delivered once the server is back.
// Without SMTP_URL the message is written to <data>/mail and listed on /_dev/mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startTestApp, createTestTenant, type TestApp } from '../../../test/helpers/app.ts';
import { journal } from '../audit/journal.ts';
import { queueMail, MAIL_JOB, mailFolder } from './mail.ts';
import { storeUpload } from '../files/upload.ts';
import { Readable } from 'node:stream';

interface Received {
  from: string;
  to: string[];
  raw: string;
}
let received: Received[] = [];
let server: SMTPServer | null = null;
let port = 0;

async function startSmtp(onPort = 0): Promise<number> {
  server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    server!.listen(onPort, '127.0.0.1', () => resolve());
  });
  return (server as unknown as { server: { address(): AddressInfo } }).server.address().port;
}

async function stopSmtp(): Promise<void> {
  if (!server) return;
  const s = server;
  server = null;
  await new Promise<void>((resolve) => s.close(() => resolve()));
}

let t: TestApp;
before(async () => {
  port = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
});
after(async () => {
  await stopSmtp();
  await t.close();
});

async function mailJobs(to: string) {
  return t.db.ownerTransaction((tx) =>
    tx.query<{ state: string; attempts: number; last_error: string | null }>(
      `select state, attempts, last_error from jobs where kind = $1 and payload->>'to' = $2`,
      [MAIL_JOB, to],
    ),
  );
}

async function submitWithMail(tenantId: string, to: string, subject: string): Promise<void> {
  await t.db.transaction(tenantId, async (tx) => {
    await journal(tx, { actor: 'system', action: 'test.notify', data: { to } });
    await queueMail(tx, { to, subject, text: 'Votre demande a bien été reçue.\nNuméro de suivi : 2026-000042.' });
  });
}

test('a mail queued in a business transaction is delivered by SMTP after the commit', async () => {
  received = [];
  const tenant = await createTestTenant(t.db);
  await submitWithMail(tenant.id, 'camille@example.org', 'Accuse de reception 2026-000042');
  assert.equal(received.length, 0, 'nothing leaves before the job runs');
  assert.equal(await t.deps.jobs.drain(), 1);
  assert.equal(received.length, 1);
  assert.deepEqual(received[0]!.to, ['camille@example.org']);
  assert.equal(received[0]!.from, 'no-reply@127.0.0.1');
  assert.match(received[0]!.raw, /^Subject: Accuse de reception 2026-000042\r?$/m);
  assert.match(received[0]!.raw, /Num=C3=A9ro de suivi/);
  assert.deepEqual(
    (await mailJobs('camille@example.org')).map((j) => j.state),
    ['done'],
  );
});

test('with the SMTP server down the mail waits and retries; it is delivered once when the server is back', async () => {
  received = [];
  const tenant = await createTestTenant(t.db);
  await stopSmtp();
  await submitWithMail(tenant.id, 'dominique@example.org', 'Decision sur votre dossier');
  assert.equal(await t.deps.jobs.drain(), 1);
  let [job] = await mailJobs('dominique@example.org');
  assert.equal(job!.state, 'queued');
  assert.equal(job!.attempts, 1);
  assert.match(job!.last_error!, /ECONNREFUSED|connect/i);
  assert.equal(await t.deps.jobs.drain(), 0, 'the retry waits for its backoff');

  // A second failure while still down, then the server comes back on the same port.
  await t.db.ownerTransaction((tx) => tx.query(`update jobs set run_at = now() where kind = $1 and state = 'queued'`, [MAIL_JOB]));
  assert.equal(await t.deps.jobs.drain(), 1);
  [job] = await mailJobs('dominique@example.org');
  assert.deepEqual([job!.state, job!.attempts], ['queued', 2]);

  await startSmtp(port);
  await t.db.ownerTransaction((tx) => tx.query(`update jobs set run_at = now() where kind = $1 and state = 'queued'`, [MAIL_JOB]));
  assert.equal(await t.deps.jobs.drain(), 1);
  [job] = await mailJobs('dominique@example.org');
  assert.deepEqual([job!.state, job!.attempts, job!.last_error], ['done', 3, null]);
  assert.equal(received.length, 1);
  assert.deepEqual(received[0]!.to, ['dominique@example.org']);
  assert.equal(await t.deps.jobs.drain(), 0);
  assert.equal(received.length, 1, 'delivered exactly once');
});

test('without SMTP_URL mail lands in <data>/mail as .eml and /_dev/mail lists it', async () => {
  const dev = await startTestApp();
  try {
    const tenant = await createTestTenant(dev.db);
    await dev.db.transaction(tenant.id, (tx) => queueMail(tx, { to: 'agent@example.org', subject: 'Nouveau dossier 2026-7', text: 'Un dossier attend.' }));
    assert.equal(await dev.deps.jobs.drain(), 1);
    const folder = mailFolder(dev.config.dataDir);
    const files = readdirSync(folder).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    const eml = readFileSync(join(folder, files[0]!), 'utf8');
    assert.match(eml, /^To: agent@example.org$/m);
    assert.match(eml, /^Subject: Nouveau dossier 2026-7$/m);
    const page = await dev.app.inject('/_dev/mail');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(files[0]!.replace('.', '\\.')));
    assert.match(page.body, /Nouveau dossier 2026-7/);

    // An attachment taken from the tenant's blob store when the mail is sent.
    const bytes = Buffer.from('%PDF-1.4\n%%EOF\n');
    const stored = await storeUpload(dev.deps, tenant.id, Readable.from([bytes]), { maxBytes: 1000, allowedTypes: ['application/pdf'], filename: 'recu.pdf' });
    await dev.db.transaction(tenant.id, (tx) =>
      queueMail(tx, {
        to: 'b@example.org',
        subject: 'Avec piece jointe',
        text: '.',
        attachments: [{ filename: 'recu.pdf', content_type: 'application/pdf', sha256: stored.sha256 }],
      }),
    );
    assert.equal(await dev.deps.jobs.drain(), 1);
    const withAttachment = readdirSync(folder)
      .map((f) => readFileSync(join(folder, f), 'utf8'))
      .find((e) => e.includes('Avec piece jointe'))!;
    assert.match(withAttachment, /filename=recu\.pdf/);
    assert.ok(withAttachment.includes(bytes.toString('base64')));
    // The development mailbox does not exist when a real SMTP server is configured.
    assert.equal((await t.app.inject('/_dev/mail')).statusCode, 404);
  } finally {
    await dev.close();
  }
});
