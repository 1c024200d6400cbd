// Server-side lookup for commune / epci / departement fields. A citizen types what they know — an INSEE
// code, a postal code, a name ("Nantes", "Saint-Denis 93") — and the server resolves it to the official
// code, so the page never ships the 35,000 communes (a <datalist> of them would weigh megabytes).
import { allDepartements, communesByCode, epciBySiren, findCommune, findDepartement, findEpci, type Commune } from '../../../core/territory/cog.ts';

export type TerritoryType = 'commune' | 'epci' | 'departement';

export interface Resolution {
  /** The official code when the text designates exactly one place. */
  code: string | null;
  /** Names of the places that matched when there were several (at most a few, to help choose). */
  candidates: Array<{ code: string; label: string }>;
}

/** Lowercase, without accents, punctuation as spaces, "st"/"ste" spelled out: "St-Étienne" → "saint etienne". */
export function normalizeName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/\bste\b/g, 'sainte')
    .replace(/\bst\b/g, 'saint');
}

let communesByName: Map<string, Commune[]> | null = null;
let communesByPostcode: Map<string, Commune[]> | null = null;

function communeIndexes(): { byName: Map<string, Commune[]>; byPostcode: Map<string, Commune[]> } {
  if (!communesByName || !communesByPostcode) {
    communesByName = new Map();
    communesByPostcode = new Map();
    for (const c of communesByCode().values()) {
      const name = normalizeName(c.nom);
      communesByName.set(name, [...(communesByName.get(name) ?? []), c]);
      for (const pc of c.codesPostaux ?? []) communesByPostcode.set(pc, [...(communesByPostcode.get(pc) ?? []), c]);
    }
  }
  return { byName: communesByName, byPostcode: communesByPostcode };
}

function communeLabel(c: Commune): string {
  const dep = findDepartement(c.departement);
  return `${c.nom} (${dep ? `${dep.nom}, ` : ''}${c.code})`;
}

function fromList(list: Commune[]): Resolution {
  if (list.length === 1) return { code: list[0]!.code, candidates: [] };
  return { code: null, candidates: list.slice(0, 8).map((c) => ({ code: c.code, label: communeLabel(c) })) };
}

function resolveCommune(text: string): Resolution {
  const trimmed = text.trim();
  // "Nantes (44109)" — the label the page shows back — resolves to its code.
  const inParens = /\((?:[^)]*,\s*)?([0-9AB]{5})\)\s*$/i.exec(trimmed);
  const bare = inParens ? inParens[1]!.toUpperCase() : trimmed.toUpperCase();
  if (/^[0-9][0-9AB][0-9]{3}$/.test(bare) && findCommune(bare)) return { code: bare, candidates: [] };
  const { byName, byPostcode } = communeIndexes();
  if (/^[0-9]{5}$/.test(bare)) return fromList(byPostcode.get(bare) ?? []);
  // A name, optionally followed by a département code or a postal code: "Saint-Denis 93".
  const withPlace = /^(.*?)[\s,(]+([0-9]{5}|[0-9]{2,3}|2[AB])\)?$/i.exec(trimmed);
  if (withPlace) {
    const list = byName.get(normalizeName(withPlace[1]!)) ?? [];
    const place = withPlace[2]!.toUpperCase();
    const narrowed = list.filter((c) => c.departement === place || (c.codesPostaux ?? []).includes(place));
    if (narrowed.length) return fromList(narrowed);
  }
  return fromList(byName.get(normalizeName(trimmed)) ?? []);
}

function resolveEpci(text: string): Resolution {
  const trimmed = text.trim();
  const inParens = /\(([0-9]{9})\)\s*$/.exec(trimmed);
  const code = inParens ? inParens[1]! : trimmed.replace(/\s+/g, '');
  if (/^[0-9]{9}$/.test(code)) return findEpci(code) ? { code, candidates: [] } : { code: null, candidates: [] };
  const wanted = normalizeName(trimmed);
  if (!wanted) return { code: null, candidates: [] };
  const exact = [...epciBySiren().values()].filter((e) => normalizeName(e.nom) === wanted);
  const list = exact.length ? exact : [...epciBySiren().values()].filter((e) => normalizeName(e.nom).includes(wanted));
  if (list.length === 1) return { code: list[0]!.code, candidates: [] };
  return { code: null, candidates: list.slice(0, 8).map((e) => ({ code: e.code, label: `${e.nom} (${e.code})` })) };
}

function resolveDepartement(text: string): Resolution {
  const trimmed = text.trim();
  const inParens = /\(([0-9]{2,3}|2[AB])\)\s*$/i.exec(trimmed);
  const code = (inParens ? inParens[1]! : trimmed).toUpperCase();
  if (findDepartement(code)) return { code, candidates: [] };
  if (/^[0-9]$/.test(code) && findDepartement(`0${code}`)) return { code: `0${code}`, candidates: [] };
  const wanted = normalizeName(trimmed);
  const list = allDepartements().filter((d) => normalizeName(d.nom) === wanted);
  return list.length === 1 ? { code: list[0]!.code, candidates: [] } : { code: null, candidates: [] };
}

export function resolveTerritory(type: TerritoryType, text: string): Resolution {
  if (!text.trim()) return { code: null, candidates: [] };
  if (type === 'commune') return resolveCommune(text);
  if (type === 'epci') return resolveEpci(text);
  return resolveDepartement(text);
}

/** The readable name of an official code, shown back beside the field ("Nantes (Loire-Atlantique, 44109)"). */
export function territoryLabel(type: TerritoryType, code: string): string | null {
  if (type === 'commune') {
    const c = findCommune(code);
    return c ? communeLabel(c) : null;
  }
  if (type === 'epci') {
    const e = findEpci(code);
    return e ? `${e.nom} (${e.code})` : null;
  }
  const d = findDepartement(code);
  return d ? `${d.nom} (${d.code})` : null;
}
