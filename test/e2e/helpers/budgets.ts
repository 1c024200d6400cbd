// The page budgets of shared/design/budgets.md ("Pages"), and the check that turns a measured page into
// messages naming the page, the figure and the limit.

export type PageKind = 'citizen' | 'staff';

export interface Budget {
  kilobytes: number;
  requests: number;
  dom: number;
  ecoIndex: number;
}

export const BUDGETS: Record<PageKind, Budget> = {
  citizen: { kilobytes: 60, requests: 8, dom: 600, ecoIndex: 75 },
  staff: { kilobytes: 150, requests: 15, dom: 1500, ecoIndex: 60 },
};

export interface PageFigures {
  bytes: number;
  requests: number;
  dom: number;
  ecoIndex: number;
}

export function overBudget(label: string, kind: PageKind, f: PageFigures): string[] {
  const b = BUDGETS[kind];
  const problems: string[] = [];
  const kb = f.bytes / 1024;
  if (kb > b.kilobytes) problems.push(`${label}: ${kb.toFixed(1)} KB transferred, limit ${b.kilobytes} KB (${kind} page)`);
  if (f.requests > b.requests) problems.push(`${label}: ${f.requests} requests, limit ${b.requests} (${kind} page)`);
  if (f.dom > b.dom) problems.push(`${label}: ${f.dom} DOM elements, limit ${b.dom} (${kind} page)`);
  if (f.ecoIndex < b.ecoIndex) problems.push(`${label}: EcoIndex ${f.ecoIndex}, minimum ${b.ecoIndex} (${kind} page)`);
  return problems;
}
