// The outbound guard against the requests an attacker would make it send: internal addresses in every
// spelling, names that resolve inside, DNS answers that change between the check and the connection,
// redirects, and the error text it lets out. Real sockets on 127.0.0.1 / 127.0.0.2, exempted where a
// test needs a reachable "allowed" destination.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkOutboundUrl, isForbiddenAddress, outboundFetch, OutboundError, type Resolver } from './outbound.ts';
import { loadConfig, ConfigError } from '../../config.ts';

interface Receiver {
  server: Server;
  port: number;
  hits: string[];
}

async function receiver(
  host: string,
  port = 0,
  answer: (path: string) => { status: number; headers?: Record<string, string>; body?: string } = () => ({ status: 200, body: 'ok' }),
): Promise<Receiver> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const a = answer(req.url ?? '');
    res.writeHead(a.status, a.headers);
    res.end(a.body ?? '');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port, hits };
}

let a: Receiver;
before(async () => {
  a = await receiver('127.0.0.1');
});
after(async () => {
  a.server.closeAllConnections();
  await new Promise((r) => a.server.close(r));
});

const refused = async (url: string, policy = {}) => {
  await assert.rejects(checkOutboundUrl(url, policy), (e: unknown) => e instanceof OutboundError && e.code === 'address_not_allowed', url);
};

test('loopback, private, link-local, CGNAT, metadata, multicast and reserved addresses are forbidden, in IPv4 and IPv6 forms', () => {
  for (const ip of [
    '127.0.0.1',
    '127.5.6.7',
    '0.0.0.0',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '100.64.0.1',
    '100.127.255.254',
    '169.254.169.254',
    '169.254.0.1',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '240.0.0.1',
    '198.18.0.1',
    '192.0.2.10',
    '::',
    '::1',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::127.0.0.1',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::1',
    '2002:a9fe:a9fe::',
    '2001:db8::1',
    'not an address',
  ]) {
    assert.equal(isForbiddenAddress(ip), true, ip);
  }
  for (const ip of [
    '93.184.216.34',
    '1.1.1.1',
    '100.63.255.255',
    '100.128.0.1',
    '172.32.0.1',
    '2606:4700:4700::1111',
    '2a01:e0a::1',
    '::ffff:93.184.216.34',
    '2002:5db8:d822::1',
  ]) {
    assert.equal(isForbiddenAddress(ip), false, ip);
  }
});

test('internal destinations are refused before any connection, whatever their spelling', async () => {
  for (const url of [
    'http://127.0.0.1/',
    'http://[::1]:8080/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://100.64.0.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://0/',
    'https://[fd00:ec2::254]/',
    `http://127.0.0.1:${a.port}/`,
  ]) {
    await refused(url);
  }
  // A name that resolves inside (the system resolver: localhost is loopback everywhere).
  await refused(`http://localhost:${a.port}/`);
  assert.deepEqual(a.hits, [], 'nothing reached the local server');
  for (const url of ['ftp://example.org/', 'file:///etc/passwd', 'http://user:pw@example.org/', 'gopher://example.org/', 'not a url']) {
    await assert.rejects(checkOutboundUrl(url), (e: unknown) => e instanceof OutboundError && e.code === 'invalid_url', url);
  }
});

test('a name with one public and one internal address is refused (every address is checked)', async () => {
  const resolve: Resolver = async () => [
    { address: '93.184.216.34', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ];
  await refused('https://mixed.example.test/', { resolve });
  const v6: Resolver = async () => [
    { address: '2606:4700:4700::1111', family: 6 },
    { address: '::ffff:169.254.169.254', family: 6 },
  ];
  await refused('https://mixed6.example.test/', { resolve: v6 });
  const ok = await checkOutboundUrl('https://public.example.test/', { resolve: async () => [{ address: '93.184.216.34', family: 4 }] });
  assert.equal(ok.address, '93.184.216.34');
});

test('the host operator exempts a destination by host:port, for that port only', async () => {
  const config = loadConfig({ NODE_ENV: 'test', BASTIDE_OUTBOUND_ALLOW: ` 127.0.0.1:${a.port}, SIEM.interne:443 ,[::1]:8443` });
  assert.deepEqual(config.outboundAllow, [`127.0.0.1:${a.port}`, 'siem.interne:443', '[::1]:8443']);
  const policy = { allow: config.outboundAllow };
  assert.equal((await checkOutboundUrl(`http://127.0.0.1:${a.port}/x`, policy)).address, '127.0.0.1');
  await refused(`http://127.0.0.1:${a.port + 1}/x`, policy);
  await refused('http://10.0.0.1:443/', policy);
  const internal: Resolver = async () => [{ address: '10.1.2.3', family: 4 }];
  assert.equal((await checkOutboundUrl('https://siem.interne/', { ...policy, resolve: internal })).address, '10.1.2.3');
  await refused('https://other.interne/', { ...policy, resolve: internal });
  assert.equal((await checkOutboundUrl('http://[::1]:8443/', policy)).address, '::1');
  for (const bad of ['127.0.0.1', 'host:0', 'host:70000', 'http://host:80', 'a b:80']) {
    assert.throws(() => loadConfig({ NODE_ENV: 'test', BASTIDE_OUTBOUND_ALLOW: bad }), ConfigError, bad);
  }
});

test('DNS rebinding: the connection goes to the address that was checked, the name is not resolved again', async () => {
  // Two servers on the same port: 127.0.0.1 stands for the public address (exempt, so "allowed"),
  // 127.0.0.2 for the internal one a rebinding DNS returns from the second question on.
  const inside = await receiver('127.0.0.2', a.port);
  try {
    let questions = 0;
    const rebinding: Resolver = async () => [{ address: questions++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    const res = await outboundFetch(
      `http://rebind.example.test:${a.port}/pinned`,
      { method: 'POST', body: 'x' },
      { timeoutMs: 5000, maxBytes: 1000 },
      { allow: [`127.0.0.1:${a.port}`], resolve: rebinding },
    );
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ok');
    assert.equal(questions, 1, 'one DNS question per request');
    assert.deepEqual(
      a.hits.filter((h) => h === '/pinned'),
      ['/pinned'],
    );
    assert.deepEqual(inside.hits, [], 'the rebinding answer was never used');
  } finally {
    inside.server.closeAllConnections();
    await new Promise((r) => inside.server.close(r));
  }
});

test('redirects are not followed; failures come out as coarse categories without the network error text', async () => {
  const policy = { allow: [`127.0.0.1:${a.port}`] };
  const limits = { timeoutMs: 5000, maxBytes: 1000 };
  const redirecting = await receiver('127.0.0.1', 0, () => ({ status: 302, headers: { location: `http://127.0.0.1:${a.port}/followed` } }));
  const silent = createServer(() => {
    /* never answers */
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const big = await receiver('127.0.0.1', 0, () => ({ status: 200, body: 'x'.repeat(5000) }));
  const closed = await receiver('127.0.0.1');
  const closedPort = closed.port;
  await new Promise((r) => closed.server.close(r));
  const allow = [
    ...policy.allow,
    `127.0.0.1:${redirecting.port}`,
    `127.0.0.1:${(silent.address() as AddressInfo).port}`,
    `127.0.0.1:${big.port}`,
    `127.0.0.1:${closedPort}`,
  ];
  try {
    const res = await outboundFetch(`http://127.0.0.1:${redirecting.port}/`, {}, limits, { allow });
    assert.equal(res.status, 302);
    assert.ok(!a.hits.includes('/followed'));
    const failure = async (url: string, code: string, l = limits) => {
      await assert.rejects(outboundFetch(url, {}, l, { allow }), (e: unknown) => {
        assert.ok(e instanceof OutboundError, String(e));
        assert.equal(e.code, code);
        assert.doesNotMatch(e.message, /127\.0\.0\.1|ECONN|\d{4,}/, 'no address, port or system error in the message');
        assert.equal((e as Error).cause, undefined);
        return true;
      });
    };
    await failure(`http://127.0.0.1:${closedPort}/`, 'connection_refused');
    await failure(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, 'timeout', { timeoutMs: 200, maxBytes: 1000 });
    await failure(`http://127.0.0.1:${big.port}/`, 'too_large');
    await failure('http://10.0.0.1/', 'address_not_allowed');
    await failure('http://does-not-exist.invalid/', 'unreachable');
  } finally {
    for (const s of [redirecting.server, silent, big.server]) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  }
});
