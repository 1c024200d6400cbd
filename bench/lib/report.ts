// What a benchmark prints: progress lines for people on stderr-like stdout, and as the very last line one
// JSON object that scripts read. Higher ratio is always better (latencies are inverted).
import type { Engine } from '../../src/core/db/database.ts';

export interface BenchResult {
  bench: string;
  value: number;
  unit: string;
  limit: number;
  limit_unit: string;
  ratio: number;
  engine: Engine;
}

export function progress(line: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Throughputs: ratio = value / limit. */
export function throughputResult(bench: string, engine: Engine, value: number, limit: number, unit: string): BenchResult {
  return { bench, value: round(value, 1), unit, limit: round(limit, 1), limit_unit: unit, ratio: round(value / limit, 3), engine };
}

/** Latencies: ratio = limit / value, so that higher is better here too. */
export function latencyResult(bench: string, engine: Engine, value: number, limit: number, unit = 'ms p95'): BenchResult {
  return { bench, value: round(value, 2), unit, limit: round(limit, 2), limit_unit: unit, ratio: round(limit / value, 3), engine };
}

export function printResult(result: BenchResult): void {
  console.log(JSON.stringify(result));
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
