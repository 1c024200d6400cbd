// The one way the server makes an HTTP request to an address a tenant chose (webhooks, OpenID Connect
// issuers and the endpoints their discovery documents name). Without it, a collectivité's administrator
// could make the server call 127.0.0.1, the cloud metadata service or the host's private network, and read
// the outcome back (a port scanner, or worse). The guard:
// - accepts http(s) URLs without user:password only;
// - resolves the host once (all its addresses) and refuses if ANY of them is loopback, unspecified,
//   link-local, private, CGNAT, multicast, broadcast, reserved, or an IPv6 form embedding one of these;
// - connects to the address it checked (the connection never resolves the name again, so a DNS answer
//   that changes between the check and the connection — "DNS rebinding" — cannot redirect it), while the
//   Host header, TLS SNI and certificate check keep the name;
// - follows no redirect, bounds the time and the size of the answer, and reports failures in a few coarse
//   categories (never the network's own error text, which would describe the inside of the host's network).
// The host operator can exempt named destinations (BASTIDE_OUTBOUND_ALLOW, config.outboundAllow).
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface ResolvedAddress {
  address: string;
  family: number;
}
/** Resolves a host name to all its addresses (injectable: tests simulate DNS answers, rebinding included). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface OutboundPolicy {
  /** `host:port` entries trusted by the host operator (config.outboundAllow). */
  allow?: readonly string[];
  resolve?: Resolver;
}

/** Coarse outcomes, safe to show to a tenant: they say what went wrong, not what the network looks like. */
export type OutboundFailure = 'invalid_url' | 'address_not_allowed' | 'unreachable' | 'connection_refused' | 'timeout' | 'tls' | 'too_large';

export class OutboundError extends Error {
  readonly code: OutboundFailure;
  constructor(code: OutboundFailure) {
    // No `cause`: the raw error (addresses, ports, resolver messages) must not travel with it.
    super(`outbound request failed: ${code.replace(/_/g, ' ')}`);
    this.name = 'OutboundError';
    this.code = code;
  }
}

// Special-purpose ranges (IANA IPv4/IPv6 special-purpose address registries) that no tenant-chosen
// destination may reach. Public unicast is what remains.
const V4_DENIED: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the host itself on Linux
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16], // private
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24], // protocol assignments, documentation
  ['192.88.99.0', 24],
  ['198.18.0.0', 15], // 6to4 relay, benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];
const V6_DENIED: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128], // unspecified, loopback
  ['100::', 64], // discard-only
  ['64:ff9b:1::', 48], // local-use NAT64
  ['2001::', 23], // IETF protocol assignments, Teredo (2001::/32) included
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (fd00:ec2::254, the EC2 metadata service, included)
  ['fe80::', 10],
  ['fec0::', 10], // link-local, deprecated site-local
  ['ff00::', 8], // multicast
];
const denied = new BlockList();
for (const [net, bits] of V4_DENIED) denied.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of V6_DENIED) denied.addSubnet(net, bits, 'ipv6');

/** The 16 bytes of an IPv6 address (`::`, embedded IPv4 and zone ids handled). */
function v6Bytes(address: string): number[] | null {
  let a = address.replace(/%.*$/, '').toLowerCase();
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) {
    const p = v4[2]!.split('.').map(Number);
    a = `${v4[1]}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const halves = a.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(Math.max(fill, 0)).fill('0'), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

/** The IPv4 address an IPv6 address stands for, when it embeds one a router or the kernel would use. */
function embeddedV4(bytes: number[]): string | null {
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number) => bytes.slice(at, at + 4).join('.');
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(12); // ::ffff:a.b.c.d (mapped)
  if (zero(0, 12)) return v4(12); // ::a.b.c.d (deprecated "compatible")
  if (zero(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(10, 12)) return v4(12); // ::ffff:0:a.b.c.d (SIIT)
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12)) return v4(12); // 64:ff9b::/96 NAT64
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2); // 2002::/16 6to4
  return null;
}

/** True for every address a tenant-chosen request must not reach. Anything unparsable counts as forbidden. */
export function isForbiddenAddress(address: string): boolean {
  const kind = isIP(address.replace(/%.*$/, ''));
  if (kind === 4) return denied.check(address, 'ipv4');
  if (kind !== 6) return true;
  const bytes = v6Bytes(address);
  if (!bytes) return true;
  const inner = embeddedV4(bytes);
  if (inner !== null && (inner === '0.0.0.0' || denied.check(inner, 'ipv4'))) return true;
  // BlockList compares IPv6 rules on the canonical form; rebuild it from the bytes (zone id dropped).
  const canonical = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16)).join(':');
  return denied.check(canonical, 'ipv6');
}

export interface CheckedTarget {
  url: URL;
  /** The address the connection will use (the first one resolved; every one was checked). */
  address: string;
  family: 4 | 6;
}

const RESOLVE_TIMEOUT_MS = 5000;
const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');
const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/**
 * Parses, resolves and checks a destination. Throws OutboundError `invalid_url`, `address_not_allowed`
 * or `unreachable` (the name does not resolve).
 */
export async function checkOutboundUrl(raw: string | URL, policy: OutboundPolicy = {}): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError('invalid_url');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || !url.hostname) {
    throw new OutboundError('invalid_url');
  }
  const host = bare(url.hostname);
  const port = portOf(url);
  const allow = policy.allow ?? [];
  let addresses: ResolvedAddress[];
  // The WHATWG parser has already turned 0x7f000001, 2130706433, 0177.0.0.1 and 127.1 into 127.0.0.1.
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    // Bounded: a resolver that hangs must not hold a request (or a designer's save) for long.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OutboundError('timeout')), RESOLVE_TIMEOUT_MS);
    });
    try {
      addresses = await Promise.race([(policy.resolve ?? systemResolver)(host), deadline]);
    } catch (error) {
      throw error instanceof OutboundError ? error : new OutboundError('unreachable');
    } finally {
      clearTimeout(timer);
    }
  }
  if (!addresses.length) throw new OutboundError('unreachable');
  // Exempt: the name as written, or each resolved address, is on the host operator's list for this port.
  const spelled = (address: string) => (isIP(address) === 6 ? new URL(`http://[${address.replace(/%.*$/, '')}]/`).hostname : address);
  const exempt = (address: string) => allow.includes(`${url.hostname}:${port}`) || allow.includes(`${spelled(address)}:${port}`);
  for (const { address } of addresses) {
    if (isForbiddenAddress(address) && !exempt(address)) throw new OutboundError('address_not_allowed');
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

export interface OutboundRequest {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit | null;
  signal?: AbortSignal | null;
}

export interface OutboundLimits {
  /** For the whole exchange: connection, request, answer. */
  timeoutMs: number;
  /** Largest answer body read; a larger one fails with `too_large` (or is cut, when `discardBody`). */
  maxBytes: number;
  /** Only the status and headers matter (webhooks): the body is not read. */
  discardBody?: boolean;
}

function failureOf(error: unknown): OutboundFailure {
  if (error instanceof OutboundError) return error.code;
  const code = (error as { code?: unknown })?.code;
  const name = (error as { name?: unknown })?.name;
  if (name === 'AbortError' || name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ABORT_ERR') return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (typeof code === 'string' && (/^ERR_TLS|^ERR_SSL|CERT|^EPROTO$/.test(code) || code.includes('SELF_SIGNED') || code.includes('UNABLE_TO'))) return 'tls';
  return 'unreachable';
}

/** The response's headers as a Fetch API Headers object (repeated headers kept). */
function headersOf(res: IncomingMessage): Headers {
  const h = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    try {
      h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
    } catch {
      /* a header Fetch refuses: dropped */
    }
  }
  return h;
}

/**
 * Sends one request through the guard and returns a Fetch API Response (its body fully read, within
 * limits). Redirects are returned as they are, never followed. Every failure is an OutboundError.
 */
export async function outboundFetch(raw: string | URL, init: OutboundRequest, limits: OutboundLimits, policy: OutboundPolicy = {}): Promise<Response> {
  const target = await checkOutboundUrl(raw, policy);
  // Normalises headers and body as fetch would (a URLSearchParams body gets its content type).
  const prepared = new Request(target.url, { method: init.method ?? 'GET', headers: init.headers, body: init.body ?? null, duplex: 'half' } as RequestInit);
  const body = init.body == null ? null : Buffer.from(await prepared.arrayBuffer());
  const headers: Record<string, string> = {};
  prepared.headers.forEach((value, key) => {
    headers[key] = value;
  });
  headers.host = target.url.host;
  // Bodies are read as they come; nothing here decompresses.
  headers['accept-encoding'] = 'identity';
  if (body) headers['content-length'] = String(body.length);
  const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(limits.timeoutMs)]) : AbortSignal.timeout(limits.timeoutMs);
  // The pinned resolution: whatever Node asks (one address or all), the answer is the checked address.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, [{ address: target.address, family: target.family }]);
    else (callback as (e: null, a: string, f: number) => void)(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  try {
    return await new Promise<Response>((resolve, reject) => {
      const req = send(
        {
          protocol: target.url.protocol,
          host: bare(target.url.hostname),
          port: portOf(target.url),
          path: `${target.url.pathname}${target.url.search}`,
          method: prepared.method,
          headers,
          lookup: pinned,
          // A fresh connection each time: a pooled socket could have been opened for another check.
          agent: false,
          signal,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const respond = (buf: Buffer | null) => {
            try {
              resolve(new Response([204, 205, 304].includes(status) || !buf ? null : new Uint8Array(buf), { status, headers: headersOf(res) }));
            } catch (e) {
              reject(e);
            }
          };
          if (limits.discardBody) {
            res.destroy();
            respond(null);
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > limits.maxBytes) {
              reject(new OutboundError('too_large'));
              res.destroy();
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => respond(Buffer.concat(chunks)));
          res.on('error', reject);
          res.on('aborted', () => reject(new OutboundError('unreachable')));
        },
      );
      req.on('error', reject);
      req.end(body ?? undefined);
    });
  } catch (error) {
    throw new OutboundError(failureOf(error));
  }
}

/** A Fetch-compatible function bound to a policy and limits (openid-client's customFetch, for one). */
export function guardedFetch(
  policy: OutboundPolicy,
  limits: OutboundLimits,
): (url: string, options: { method: string; headers: HeadersInit; body?: unknown; signal?: AbortSignal; redirect?: string }) => Promise<Response> {
  return (url, options) =>
    outboundFetch(
      url,
      { method: options.method, headers: options.headers, body: options.body as BodyInit | null | undefined, signal: options.signal },
      limits,
      policy,
    );
}
