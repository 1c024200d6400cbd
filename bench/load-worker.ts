// The load generator, run as its own process so that the client's CPU is never counted inside the server
// process: `node bench/load-worker.ts '<json job>'`. Prints progress, then one JSON line with the result.
//   {"kind":"submit", url, connections, seconds, keyPrefix}   autocannon, valid guest submissions
//   {"kind":"latency", urls, headers, warmup, samples}        sequential GETs, one keep-alive connection
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { guestSubmission } from './fixtures/form20.ts';

interface SubmitJob {
  kind: 'submit';
  url: string;
  connections: number;
  seconds: number;
  keyPrefix: string;
}
interface LatencyJob {
  kind: 'latency';
  urls: string[];
  headers: Record<string, string>;
  warmup: number;
  samples: number;
}
type Job = SubmitJob | LatencyJob;

async function submit(job: SubmitJob) {
  let counter = 0;
  const errors: string[] = [];
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    requests: [
      {
        method: 'POST',
        setupRequest(request: Record<string, unknown>) {
          counter += 1;
          return {
            ...request,
            headers: { 'content-type': 'application/json', 'idempotency-key': `${job.keyPrefix}-${counter}-${randomUUID()}` },
            body: JSON.stringify(guestSubmission(counter)),
          };
        },
        onResponse(status: number, body: string) {
          if (status !== 201 && errors.length < 5) errors.push(`${status} ${body.slice(0, 300)}`);
        },
      },
    ],
  });
  const codes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) codes[code] = Number((stat as { count: number }).count);
  return {
    requests: result.requests.total,
    durationSec: result.duration,
    created: codes['201'] ?? 0,
    codes,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    errorSamples: errors,
  };
}

/**
 * One GET on a kept-alive connection, its body read whole. node:http rather than fetch(): fetch's own
 * work (WHATWG streams and headers) added about a millisecond per request to what was measured, which
 * is the client's cost, not the server's.
 */
function get(agent: http.Agent, url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function latency(job: LatencyJob) {
  const samples: number[] = [];
  let failures = 0;
  let lastFailure = '';
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < job.warmup + job.samples; i++) {
    const url = job.urls[i % job.urls.length]!;
    const t0 = performance.now();
    const res = await get(agent, url, job.headers);
    const ms = performance.now() - t0;
    if (res.status < 200 || res.status >= 300) {
      failures += 1;
      lastFailure = `${res.status} ${res.body.slice(0, 300)}`;
    }
    if (i >= job.warmup) samples.push(ms);
  }
  agent.destroy();
  return { samples, failures, lastFailure };
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const output = job.kind === 'submit' ? await submit(job) : await latency(job);
console.log(JSON.stringify(output));
