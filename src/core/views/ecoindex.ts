// EcoIndex (ecoindex.fr, GreenIT / CNUMR): a page's footprint from its DOM size, number of requests and
// transferred kilobytes, each placed on a quantile scale of the HTTP Archive (the published tables), then
// weighted 3 : 2 : 1. Score 0–100, grades A (best) to G. Shared by the browser tour (test/e2e/helpers/tour.ts,
// measured in Chromium) and the roadmap's EcoIndex indicator (measured on the server, in-process).

const DOM = [0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603, 674, 753, 843, 949, 1076, 1237, 1459, 1801, 2479, 594601];
const REQUESTS = [0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78, 86, 95, 105, 117, 130, 147, 170, 205, 281, 3920];
const SIZE_KB = [
  0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32, 1648.27, 1876.08, 2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08,
  8037.54, 223212.26,
];

/** Lower bound (exclusive) of each grade's score. */
const GRADES: Array<[string, number]> = [
  ['A', 80],
  ['B', 70],
  ['C', 55],
  ['D', 40],
  ['E', 25],
  ['F', 10],
];

/** Position of a value on a quantile scale: i + the fraction of the way into interval i (0 … 20). */
export function quantilePosition(scale: number[], value: number): number {
  for (let i = 1; i < scale.length; i++) {
    if (value < scale[i]!) return i - 1 + (value - scale[i - 1]!) / (scale[i]! - scale[i - 1]!);
  }
  return scale.length - 1;
}

export function ecoIndexScore(dom: number, requests: number, sizeKb: number): number {
  const weighted = 3 * quantilePosition(DOM, dom) + 2 * quantilePosition(REQUESTS, requests) + quantilePosition(SIZE_KB, sizeKb);
  return Math.round(100 - (5 * weighted) / 6);
}

export function ecoIndexGrade(score: number): string {
  for (const [grade, floor] of GRADES) if (score > floor) return grade;
  return 'G';
}
