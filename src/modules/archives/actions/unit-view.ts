// A unit as its readers see it: the row, its effective rules with where each comes from, and whether it
// is communicable today. Staff who are not archivists get null for a unit not yet communicable (it
// does not exist for them), and for an eliminated one.
import type { Database } from '../../../core/db/database.ts';
import { isArchivist, today, type Principal } from '../archives.policy.ts';
import { findUnit, loadAncestry, visibleLibrary, type UnitRow } from '../archives.repository.ts';
import { communicable, effectiveRules, type EffectiveRule } from '../rules.ts';

export interface UnitView {
  unit: UnitRow;
  rules: Array<EffectiveRule & { origin_title: string; inherited: boolean }>;
  ancestors: Array<{ id: string; title: string }>;
  communicable: boolean;
  held: boolean;
}

export async function loadUnitView(db: Database, p: Principal, id: string): Promise<UnitView | null> {
  return db.transaction(p.tenantId, async (tx) => {
    const unit = await findUnit(tx, id);
    if (!unit) return null;
    const open = communicable(unit.access_end, today());
    if (!isArchivist(p) && (!open || unit.eliminated_at)) return null;
    const chain = (await loadAncestry(tx, unit.id))!;
    const titles = new Map(chain.nodes.map((n) => [n.id, n.title]));
    const rules = effectiveRules(chain.nodes, await visibleLibrary(tx)).map((r) => ({
      ...r,
      origin_title: titles.get(r.origin) ?? '',
      inherited: r.origin !== unit.id,
    }));
    const now = today();
    return {
      unit,
      rules,
      ancestors: chain.nodes.slice(0, -1).map((n) => ({ id: n.id, title: n.title })),
      communicable: open,
      held: rules.some((r) => r.category === 'hold' && (r.end_date === null || r.end_date === 'infinity' || r.end_date > now)),
    };
  });
}
