// The load generator, run as its own process so that the client's CPU is never counted inside the server
// process: `node bench/load-worker.ts '<json job>'`. Prints progress, then one JSON line with the result.
//   {"kind":"submit", url, connections, seconds, keyPrefix}   autocannon, valid guest submissions
//   {"kind":"latency", urls, headers, warmup, samples}        sequential GETs, one keep-alive connection
import autocannon from 'autocannon';
import { guestSubmission } from './fixtures/form20.ts';

interface SubmitJob { kind: 'submit'; url: string; connections: number; seconds: number; keyPrefix: string }
interface LatencyJob { kind: 'latency'; urls: string[]; headers: Record<string, string>; warmup: number; samples: number }
type Job = SubmitJob | LatencyJob;

async function submit(job: SubmitJob) {
  let counter = 0;
  const errors: string[] = [];
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    requests: [{
      method: 'POST',
      setupRequest(request: Record<string, unknown>) {
        counter += 1;
        return {
          ...request,
          headers: { 'content-type': 'application/json', 'idempotency-key': `${job.keyPrefix}-${counter}` },
          body: JSON.stringify(guestSubmission(counter)),
        };
      },
      onResponse(status: number, body: string) {
        if (status !== 201 && errors.length < 5) errors.push(`${status} ${body.slice(0, 300)}`);
      },
    }],
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

async function latency(job: LatencyJob) {
  const samples: number[] = [];
  let failures = 0;
  let lastFailure = '';
  for (let i = 0; i < job.warmup + job.samples; i++) {
    const url = job.urls[i % job.urls.length]!;
    const t0 = performance.now();
    const res = await fetch(url, { headers: job.headers });
    const body = await res.text();
    const ms = performance.now() - t0;
    if (!res.ok) {
      failures += 1;
      lastFailure = `${res.status} ${body.slice(0, 300)}`;
    }
    if (i >= job.warmup) samples.push(ms);
  }
  return { samples, failures, lastFailure };
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const output = job.kind === 'submit' ? await submit(job) : await latency(job);
console.log(JSON.stringify(output));
