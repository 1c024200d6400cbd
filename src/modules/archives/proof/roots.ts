// The two Merkle roots an ingest's journal entry carries (units_root, objects_root): over every unit's
// description and rules, and every object's record, in ascending id order (ids compared as strings), so
// that the order is recovered from the rows alone. Used when ingesting and when issuing a proof.
import { merklePath, merkleRoot, objectLeaf, unitLeaf, type ObjectRecord, type ProofStep, type UnitRecord } from './verify-proof.ts';

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A unit's rules as the leaf holds them: holds left out (placed and lifted later), one per (category, code), sorted. */
export function leafRules(rules: Array<{ category: string; rule_code: string; start_date: string | null }>): UnitRecord['rules'] {
  const seen = new Map<string, [string, string, string | null]>();
  for (const r of rules) {
    const key = `${r.category} ${r.rule_code}`;
    if (r.category !== 'hold' && !seen.has(key)) seen.set(key, [r.category, r.rule_code, r.start_date || null]);
  }
  return [...seen.values()].sort((a, b) => (a[0] + ' ' + a[1] < b[0] + ' ' + b[1] ? -1 : 1));
}

export function ingestRoots(units: UnitRecord[], objects: ObjectRecord[]): { units_root: string; objects_root: string } {
  return { units_root: merkleRoot([...units].sort(byId).map(unitLeaf)), objects_root: merkleRoot([...objects].sort(byId).map(objectLeaf)) };
}

/** Paths from the chosen units' and objects' leaves to the roots. */
export function ingestPaths(units: UnitRecord[], objects: ObjectRecord[], unitId: string): { unit: ProofStep[]; objects: Map<string, ProofStep[]> } {
  const sortedUnits = [...units].sort(byId);
  const sortedObjects = [...objects].sort(byId);
  const unitLeaves = sortedUnits.map(unitLeaf);
  const objectLeaves = sortedObjects.map(objectLeaf);
  const paths = new Map<string, ProofStep[]>();
  sortedObjects.forEach((o, i) => {
    if (o.unit_id === unitId) paths.set(o.id, merklePath(objectLeaves, i));
  });
  return {
    unit: merklePath(
      unitLeaves,
      sortedUnits.findIndex((u) => u.id === unitId),
    ),
    objects: paths,
  };
}
