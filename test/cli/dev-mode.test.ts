// Development is asked for, never assumed (issue 10, row 16). With NODE_ENV unset, `bastide serve` used to
// run in development: every mail (reset links included) readable by anyone on /_dev/mail, and demo accounts
// with a published password seeded. Now NODE_ENV unset gives production's defaults; `serve --dev` (what
// `npm start` runs) asks for development, says so loudly, and serves /_dev/mail to this machine only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { NODE, MAIN, freshInstallation, type Installation } from './cli.ts';

let inst: Installation;
before(async () => {
  inst = await freshInstallation();
});
after(() => inst.cleanup());

interface Running {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  base: string;
  out(): string;
  stop(): Promise<void>;
}

/** `bastide serve <args>` with the installation's environment minus `unset`, plus `extra`; waits for the listening line. */
async function serve(args: string[], unset: string[], extra: Record<string, string> = {}): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...inst.env, ...extra };
  for (const name of unset) delete env[name];
  const child = spawn(NODE, [MAIN, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /\(http:\/\/(?:127\.0\.0\.1|0\.0\.0\.0|\[::\]):(\d+), base/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the server stopped (exit ${code}): ${out}`)));
  });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    out: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

test('NODE_ENV unset: production defaults (no demo data, no /_dev/mail), and a line that says so', async () => {
  const server = await serve([], ['NODE_ENV', 'BASTIDE_SEED_DEMO', 'BASTIDE_BASE_URL']);
  try {
    assert.match(server.out(), /NODE_ENV n’est pas défini : réglages de production/);
    assert.doesNotMatch(server.out(), /données de démonstration…|Comptes de démonstration|mode développement/);
    assert.equal((await fetch(`${server.base}/_dev/mail`)).status, 404);
    assert.equal((await fetch(`${server.base}/nantes-metropole/`)).status, 404, 'no demo collectivité');
  } finally {
    await server.stop();
  }
  const tenants = await inst.withDb((db) => db.transaction(null, (tx) => tx.query('select slug from tenants')));
  assert.deepEqual(tenants, [], 'nothing seeded');
});

test('serve --dev (npm start): a loud development line, /_dev/mail for this machine only', async () => {
  const server = await serve(['--dev'], ['NODE_ENV'], { HOST: '127.0.0.1' });
  try {
    assert.match(server.out(), /ATTENTION : mode développement \(NODE_ENV=development\), à ne jamais exposer/);
    assert.match(server.out(), /\/_dev\/mail depuis cette machine/);
    assert.equal((await fetch(`${server.base}/_dev/mail`)).status, 200);
    // Relayed by a proxy on this machine: not this machine's developer.
    assert.equal((await fetch(`${server.base}/_dev/mail`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status, 404);
  } finally {
    await server.stop();
  }
});

test('serve --dev listening on every interface (HOST=0.0.0.0) has no /_dev/mail at all', async () => {
  const server = await serve(['--dev'], ['NODE_ENV'], { HOST: '0.0.0.0' });
  try {
    assert.match(server.out(), /\/_dev\/mail fermé : HOST n’est pas une adresse locale/);
    assert.equal((await fetch(`${server.base}/_dev/mail`)).status, 404);
  } finally {
    await server.stop();
  }
});

test('--dev with another NODE_ENV is refused with one line', async () => {
  const res = await inst.run(['serve', '--dev'], { NODE_ENV: 'production', BASTIDE_BASE_URL: 'https://bastide.example.fr' });
  assert.equal(res.code, 1);
  assert.equal(res.stderr, 'bastide: --dev asks for development mode but NODE_ENV=production: leave one of them out\n');
});
