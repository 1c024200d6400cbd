// The mail server is down while a dossier is filed and instructed: the notifications wait in the job
// queue (failed attempts, retried with backoff) and are all delivered, once each, when it comes back on
// the same address. Runs on both engines, the server in its own process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testOwnerUrl, testServerUrl } from '../helpers/database.ts';
import { freshDatabase } from '../../bench/lib/database.ts';
import { benchToken, createBenchTenant, submissionPath } from '../../bench/lib/setup.ts';
import { freePort, startServerProcess, type ServerProcess } from '../../bench/lib/server-process.ts';
import { guestSubmission } from '../../bench/fixtures/form20.ts';
import { submitOnce } from './submitter.ts';
import { startSmtp, perRecipient, type Smtp } from './smtp.ts';
import { waitFor } from './checks.ts';

const DOSSIERS = 3;
/** submitted, en_instruction, accepte. */
const MAILS_PER_DOSSIER = 3;

test('SMTP down during submissions and state changes: every notification is delivered once it returns', { timeout: 120_000 }, async () => {
  const engine = testServerUrl() ? 'postgresql' : 'pglite';
  const bench = await freshDatabase(engine, testServerUrl() ?? '', { ownerUrl: testOwnerUrl() ?? undefined });
  let server: ServerProcess | null = null;
  let smtp: Smtp | null = null;
  try {
    const setup = await bench.open();
    const tenant = await createBenchTenant(setup);
    const token = await benchToken(setup, tenant.tenantId, 'agent');
    await setup.release();

    const smtpPort = await freePort();
    server = await startServerProcess({ env: { ...bench.env, SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } });
    const base = server.baseUrl;
    const api = async (path: string, body: unknown) => {
      const res = await fetch(`${base}/api/v1/${tenant.slug}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.text() };
    };

    for (let n = 0; n < DOSSIERS; n++) {
      const filed = await submitOnce(`${base}${submissionPath(tenant)}`, `smtp-${n}-${randomUUID()}`, n);
      assert.equal(filed.status, 201, filed.error);
      for (const to of ['en_instruction', 'accepte']) {
        const moved = await api(`/dossiers/${filed.number}/transitions`, { to });
        assert.equal(moved.status, 200, moved.body);
      }
    }
    const s = server;
    // The runner logs each failed attempt as one JSON line: wait for one of a mail job.
    const mailFailed = () =>
      s
        .output()
        .split('\n')
        .some((line) => line.includes('"kind":"core.mail.send"') && line.includes('job failed'));
    await waitFor(mailFailed, 30_000, 'a failed mail attempt while SMTP is down');

    smtp = await startSmtp(smtpPort);
    const expected = Array.from({ length: DOSSIERS }, (_, n) => guestSubmission(n).email);
    const box = smtp;
    await waitFor(() => box.received.length >= DOSSIERS * MAILS_PER_DOSSIER, 60_000, 'the notifications after SMTP came back');
    // Any duplicate would come from a job still running: stop the server (it finishes running jobs) first.
    await server.stop();
    server = null;
    const counts = perRecipient(smtp.received);
    assert.deepEqual(
      expected.map((to) => counts.get(to) ?? 0),
      expected.map(() => MAILS_PER_DOSSIER),
    );
    assert.equal(smtp.received.length, DOSSIERS * MAILS_PER_DOSSIER);
  } finally {
    await server?.kill();
    await smtp?.close();
    await bench.drop();
  }
});
