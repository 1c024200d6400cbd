// The funding plan of a project or of a whole roadmap: what is hoped for (applications planned or under
// review, at the amount asked), obtained (granted) and paid, by programme and by funder. Pure.
import type { ApplicationRow } from './applications.repository.ts';

export interface PlanLine {
  key: string;
  label: string;
  planned: number;
  obtained: number;
  paid: number;
}

export interface FundingPlan {
  planned: number;
  obtained: number;
  paid: number;
  byProgramme: PlanLine[];
  byFunder: PlanLine[];
}

type PlanInput = Pick<ApplicationRow, 'status' | 'amount_asked' | 'amount_granted' | 'amount_paid' | 'programme_slug' | 'programme_name' | 'funder'>;

function add(lines: Map<string, PlanLine>, key: string, label: string, a: PlanInput): void {
  const line = lines.get(key) ?? { key, label, planned: 0, obtained: 0, paid: 0 };
  if (a.status === 'planned' || a.status === 'submitted') line.planned += a.amount_asked;
  if (a.status === 'granted') {
    line.obtained += a.amount_granted ?? 0;
    line.paid += a.amount_paid ?? 0;
  }
  lines.set(key, line);
}

export function fundingPlan(applications: readonly PlanInput[]): FundingPlan {
  const programmes = new Map<string, PlanLine>();
  const funders = new Map<string, PlanLine>();
  for (const a of applications) {
    if (a.status === 'refused' || a.status === 'withdrawn') continue;
    add(programmes, a.programme_slug, a.programme_name, a);
    add(funders, a.funder, a.funder, a);
  }
  const sum = (k: 'planned' | 'obtained' | 'paid') => [...programmes.values()].reduce((s, l) => s + l[k], 0);
  const order = (lines: Map<string, PlanLine>) =>
    [...lines.values()].sort((x, y) => y.obtained + y.planned - (x.obtained + x.planned) || x.label.localeCompare(y.label));
  return { planned: sum('planned'), obtained: sum('obtained'), paid: sum('paid'), byProgramme: order(programmes), byFunder: order(funders) };
}
