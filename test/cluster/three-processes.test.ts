// Issue 14, "N processes, proven": nginx (Debian package) in front of three `bastide serve` processes on
// one PostgreSQL database, sharing one data folder, as docs/deployment.md §4 describes. Guests file
// through nginx with an Idempotency-Key, retrying the same key after a cut connection or a 5xx; an agent
// reads the acknowledged dossiers through nginx; one process is killed with SIGKILL in the middle and
// restarted. Then: every acknowledged dossier is in the database exactly once and whole, every retry
// answered the first dossier, every job is done and none ran twice (except a job the killed process held,
// taken over once; a notification it held queues its mail once all the same: core/jobs/effects.ts), a session opened on one process is valid on all, and `bastide audit verify` passes.
// Run by `npm run test:cluster` (.ci/run); skips without PostgreSQL or nginx. No timing assertions.
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { testOwnerUrl, testServerUrl } from '../helpers/database.ts';
import { createPerson } from '../helpers/app.ts';
import { freshDatabase } from '../../bench/lib/database.ts';
import { benchToken, createBenchTenant, submissionPath } from '../../bench/lib/setup.ts';
import { freePort, startServerProcess, type ServerProcess } from '../../bench/lib/server-process.ts';
import { FORM20, guestSubmission } from '../../bench/fixtures/form20.ts';
import { submitOnce, type Attempt } from '../fault/submitter.ts';
import { dossiersOf, incomplete, orphanSubmissionEntries, waitFor } from '../fault/checks.ts';
import { startSmtp, perRecipient } from '../fault/smtp.ts';
import { nginxBinary, startNginx, type Nginx } from './nginx.ts';
import { pgbouncerBinary, startPgBouncer, type PgBouncer } from './pgbouncer.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONCURRENCY = 6;
/** Acknowledged filings before the kill, while one process is down, and after its restart. */
const BEFORE_KILL = 40;
const WHILE_DOWN = 40;
const AFTER_RESTART = 40;

interface Filing {
  key: string;
  n: number;
  /** Every answer, in order: null status = cut connection. */
  tries: Attempt[];
  final: Attempt | null;
}

/** Files once, retrying the same key after a cut connection or a 5xx (what a careful client does). */
async function file(url: string, key: string, n: number): Promise<Filing> {
  const filing: Filing = { key, n, tries: [], final: null };
  for (let i = 0; i < 60; i++) {
    const a = await submitOnce(url, key, n);
    filing.tries.push(a);
    if (a.status !== null && a.status < 500) {
      filing.final = a;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return filing;
}

test('nginx + three processes on PostgreSQL, one killed: nothing lost, nothing twice, sessions everywhere, journal intact', { timeout: 300_000 }, async (t) => {
  const serverUrl = testServerUrl();
  const nginx = nginxBinary();
  if (!serverUrl || !nginx) {
    t.skip(serverUrl ? 'needs nginx (apt-get install nginx-light)' : 'needs PostgreSQL');
    return;
  }
  const started = Date.now();
  const smtp = await startSmtp();
  const bench = await freshDatabase('postgresql', serverUrl, { ownerUrl: testOwnerUrl() ?? undefined });
  const client = new pg.Client({ connectionString: bench.databaseUrl! });
  client.on('error', () => {});
  const phase = (what: string) => t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
  const servers: ServerProcess[] = [];
  let proxy: Nginx | null = null;
  let bouncer: PgBouncer | null = null;
  try {
    const setup = await bench.open();
    const tenant = await createBenchTenant(setup);
    const token = await benchToken(setup, tenant.tenantId, 'agent');
    const person = await createPerson(setup);
    await setup.release();
    await client.connect();

    const ports = [await freePort(), await freePort(), await freePort()];
    const proxyPort = await freePort();
    // PgBouncer in transaction mode between the processes and the database when it is installed (.ci/run
    // installs it): the processes then share its server connections; the test itself connects directly.
    const pgbouncer = pgbouncerBinary();
    if (pgbouncer) {
      bouncer = await startPgBouncer(pgbouncer, new URL(bench.databaseUrl!), [new URL(bench.databaseUrl!).username]);
      phase(`PgBouncer (transaction mode) on port ${bouncer.port}`);
    }
    const env = {
      ...bench.env,
      DATABASE_URL: bouncer ? bouncer.via(bench.databaseUrl!) : bench.databaseUrl!,
      SMTP_URL: smtp.url,
      BASTIDE_TRUSTED_PROXIES: 'loopback',
      BASTIDE_BASE_URL: `http://127.0.0.1:${proxyPort}`,
    };
    const start = async (port: number) => {
      const s = await startServerProcess({ env, port });
      await waitFor(async () => (await fetch(`${s.baseUrl}/readyz`).catch(() => null))?.status === 200, 30_000, `/readyz on ${port}`);
      return s;
    };
    // All three start together: migrations at start are serialised by an advisory lock.
    servers.push(...(await Promise.all(ports.map(start))));
    proxy = await startNginx(nginx, ports, proxyPort);
    phase('three processes and nginx ready');
    const front = proxy.baseUrl;
    const url = `${front}${submissionPath(tenant)}`;

    // A session opened on process 1 (the one that will be killed), through a sign-in form shown by process 0.
    const form = await fetch(`${servers[0]!.baseUrl}/auth/sign-in`);
    const csrfCookie = /bastide_csrf=([^;]+)/.exec(form.headers.getSetCookie().join('\n'))?.[1];
    const csrfField = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
    assert.ok(csrfCookie && csrfField, 'the sign-in form carries a CSRF cookie and field');
    const signIn = await fetch(`${servers[1]!.baseUrl}/auth/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `bastide_csrf=${csrfCookie}` },
      body: new URLSearchParams({ _csrf: csrfField, email: person.email, password: person.password, next: '/account' }).toString(),
    });
    assert.equal(signIn.status, 303, 'signed in on another process than the one that showed the form');
    const session = /bastide_session=([^;]+)/.exec(signIn.headers.getSetCookie().join('\n'))?.[1];
    assert.ok(session);
    const sessionCookie = `bastide_csrf=${csrfCookie}; bastide_session=${session}`;

    // The load: guest filings through nginx, and an agent reading each acknowledged dossier back.
    const filings: Filing[] = [];
    const reads: Array<{ number: number; status: number | null }> = [];
    let next = 0;
    let stopped = false;
    const acknowledged = () => filings.filter((f) => f.final?.status === 201).length;
    const loops = Array.from({ length: CONCURRENCY }, async (_, loop) => {
      while (!stopped) {
        const n = next++;
        const f = await file(url, `cluster-${n}-${crypto.randomUUID()}`, n);
        filings.push(f);
        if (loop % 2 === 0 && f.final?.number) {
          // A GET is idempotent: nginx itself moves it to another process when one is gone.
          const r = await fetch(`${front}/api/v1/${tenant.slug}/dossiers/${f.final.number}`, { headers: { authorization: `Bearer ${token}` } }).catch(
            () => null,
          );
          const body = r ? ((await r.json().catch(() => null)) as { number?: unknown } | null) : null;
          reads.push({ number: f.final.number, status: r && Number(body?.number) === f.final.number ? r.status : null });
        }
      }
    });
    const killedPort = ports[1]!;
    let killedPid = 0;
    let heldByKilled: number[] = [];
    try {
      await waitFor(() => acknowledged() >= BEFORE_KILL, 60_000, `${BEFORE_KILL} acknowledged filings`);
      killedPid = servers[1]!.child.pid!;
      await servers[1]!.kill();
      phase(`process ${killedPid} killed after ${acknowledged()} acknowledged filings`);
      // The jobs the killed process held: their lease (5 minutes) is cut short below so that the test
      // need not wait for it; another process must then take each over once.
      heldByKilled = (
        await client.query<{ id: number }>(`select id from jobs where state = 'running' and split_part(locked_by, ':', 2) = $1`, [String(killedPid)])
      ).rows.map((r) => Number(r.id));
      const atKill = acknowledged();
      await waitFor(() => acknowledged() >= atKill + WHILE_DOWN, 60_000, `${WHILE_DOWN} filings with one process down`);
      servers[1] = await start(killedPort);
      phase(`restarted after ${acknowledged()} acknowledged filings`);
      const atRestart = acknowledged();
      await waitFor(() => acknowledged() >= atRestart + AFTER_RESTART, 60_000, `${AFTER_RESTART} filings after the restart`);
    } finally {
      stopped = true;
      await Promise.all(loops);
    }

    phase(`load stopped: ${filings.length} filings`);
    // Every filing ended with an answer below 500; every answer was a 201 or (a retry) a 200.
    assert.deepEqual(
      filings.filter((f) => f.final === null || (f.final.status !== 201 && f.final.status !== 200)).map((f) => `${f.key} ${f.final?.status} ${f.final?.error}`),
      [],
      'every filing acknowledged in the end',
    );
    const retried = filings.filter((f) => f.tries.length > 1);
    const cut = filings.filter((f) => f.tries.some((a) => a.status === null || a.status >= 500));

    // Every client retries every filing once more with its key: the same dossier comes back (its first
    // answer replayed), nothing new.
    const again: Attempt[] = new Array<Attempt>(filings.length);
    let cursor = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = cursor++; i < filings.length; i = cursor++) again[i] = await submitOnce(url, filings[i]!.key, filings[i]!.n);
      }),
    );
    assert.deepEqual(
      again.filter((a, i) => (a.status !== 200 && a.status !== 201) || a.number !== filings[i]!.final!.number).map((a) => `${a.key} ${a.status} ${a.number}`),
      [],
      'a retry with the same key answers the dossier acknowledged first',
    );

    // The database: one dossier per key, each acknowledged number present once, each dossier whole.
    const inspect = await bench.open({ max: 2 });
    const rows = await dossiersOf(inspect, tenant.tenantId);
    const orphans = await orphanSubmissionEntries(inspect, tenant.tenantId);
    await inspect.release();
    assert.equal(rows.length, filings.length, 'exactly one dossier per filing');
    assert.equal(new Set(rows.map((r) => r.key)).size, rows.length, 'no idempotency key twice');
    const present = new Set(rows.map((r) => r.number));
    assert.deepEqual(
      filings.filter((f) => !present.has(f.final!.number!)).map((f) => f.key),
      [],
      'no acknowledged dossier lost',
    );
    assert.equal(new Set(filings.map((f) => f.final!.number)).size, filings.length, 'no two filings answered with one dossier');
    assert.deepEqual(incomplete(rows, FORM20.fields.length), [], 'no dossier half-written');
    assert.equal(orphans, 0, 'no journal entry without its dossier');

    // Agent reads through nginx: every one answered the dossier asked for.
    assert.deepEqual(
      reads.filter((r) => r.status !== 200),
      [],
      'every agent read through nginx answered',
    );

    // Jobs: cut the dead process's lease short, then every job is done, each by one claim; only a job
    // the killed process held ran a second time (delivery is at least once: runner.ts).
    await client.query(`update jobs set locked_until = now() where state = 'running' and split_part(locked_by, ':', 2) = $1`, [String(killedPid)]);
    await waitFor(
      async () => (await client.query(`select count(*)::int as n from jobs where tenant_id = $1 and state <> 'done'`, [tenant.tenantId])).rows[0].n === 0,
      90_000,
      'every job done',
    );
    phase('every job done');
    const jobs = (
      await client.query<{ id: number; kind: string; attempts: number; locked_by: string; payload: Record<string, unknown> }>(
        `select id, kind, attempts, locked_by, payload from jobs where tenant_id = $1`,
        [tenant.tenantId],
      )
    ).rows;
    const held = new Set(heldByKilled);
    assert.equal(jobs.filter((j) => j.kind === 'procedures.dossier.notify').length, rows.length, 'one notification job per dossier');
    assert.deepEqual(
      jobs.filter((j) => (held.has(Number(j.id)) ? j.attempts !== 2 : j.attempts !== 1)).map((j) => `${j.id} ${j.kind} ${j.attempts}`),
      [],
      'each job claimed once (twice when the killed process held it: another process took it over once)',
    );
    assert.deepEqual(
      jobs.filter((j) => held.has(Number(j.id)) && j.locked_by.split(':')[1] === String(killedPid)),
      [],
      'a job the killed process held was finished by another',
    );
    // A notification job the killed process held may have queued its mail (committed) before it died:
    // taken over, it finds its effect recorded in that same transaction and is marked done without
    // queuing the mail again (core/jobs/effects.ts). So: exactly one mail job per dossier.
    const mailJobsTo = new Map<string, number>();
    for (const j of jobs.filter((j) => j.kind === 'core.mail.send')) mailJobsTo.set(String(j.payload.to), (mailJobsTo.get(String(j.payload.to)) ?? 0) + 1);
    const emails = filings.map((f) => guestSubmission(f.n).email);
    assert.deepEqual(
      emails.filter((to) => mailJobsTo.get(to) !== 1),
      [],
      'one mail job per dossier, a notification the killed process held included',
    );
    const heldNotifications = jobs.filter((j) => j.kind === 'procedures.dossier.notify' && held.has(Number(j.id))).length;
    const pids = new Set(jobs.map((j) => j.locked_by.split(':')[1]));
    t.diagnostic(`jobs run by ${pids.size} processes`);
    await waitFor(() => smtp.received.length >= jobs.filter((j) => j.kind === 'core.mail.send').length, 30_000, 'every mail received');
    const counts = perRecipient(smtp.received);
    assert.deepEqual(
      emails.filter((to) => !counts.get(to)),
      [],
      'every filer got a mail',
    );
    const heldMails = jobs.filter((j) => j.kind === 'core.mail.send' && held.has(Number(j.id))).length;
    // A mail job the killed process held may have been handed to the SMTP server before the kill: sending
    // is outside any transaction, so that one mail (and only it) may arrive twice.
    assert.ok(smtp.received.length <= rows.length + heldMails, 'no mail twice except a mail job the killed process held');

    // The session opened on the killed process is valid on each process (the restarted one too) and through nginx.
    for (const base of [...servers.map((s) => s.baseUrl), front]) {
      const account = await fetch(`${base}/account`, { headers: { cookie: sessionCookie }, redirect: 'manual' });
      assert.equal(account.status, 200, `session valid on ${base}`);
      assert.match(await account.text(), new RegExp(person.email.replace(/[.]/g, '\\.')));
    }

    phase('sessions checked');
    await proxy.stop();
    proxy = null;
    await Promise.all(servers.map((s) => s.stop()));
    servers.length = 0;
    const verify = spawnSync(process.execPath, ['src/main.ts', 'audit', 'verify'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
    });
    assert.equal(verify.status, 0, `audit verify: ${verify.stdout}${verify.stderr}`);
    assert.match(verify.stdout, /journal intact/);

    t.diagnostic(
      `${bouncer ? 'through PgBouncer' : 'no PgBouncer'}: ${filings.length} filings (${BEFORE_KILL}+ before the kill), 1 SIGKILL + restart, ${cut.length} filings cut (502/connection) ` +
        `and retried (${retried.length} with more than one try, ${filings.reduce((s, f) => s + f.tries.length - 1, 0)} retries), ` +
        `${reads.length} agent reads, ${jobs.length} jobs (${heldByKilled.length} held by the killed process, ${heldNotifications} of them notifications), no mail queued twice, ` +
        `${smtp.received.length} mails, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await proxy?.stop();
    await Promise.all(servers.map((s) => s.kill()));
    await bouncer?.stop();
    await client.end().catch(() => {});
    await smtp.close();
    await bench.drop();
  }
});
