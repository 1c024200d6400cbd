// A collectivité's place in the COG, as the codes a programme's territory may name: 'FR', 'R:<région>',
// 'D:<département>', 'E:<EPCI SIREN>', 'C:<commune>'. A programme applies to a collectivité when their codes
// overlap. Population comes from the COG too (communes' municipal population; an EPCI's is its members').
import { communesByCode, findCommune, findDepartement, findEpci, findEpciOfCommune, findRegion } from '../../../core/territory/cog.ts';

export interface Place {
  codes: string[];
  population: number | null;
}

const TERRITORY_CODE = /^(FR|R:\d{2}|D:(\d{2}|2A|2B|\d{3})|E:\d{9}|C:(\d{5}|2A\d{3}|2B\d{3}))$/;

/** Whether a programme's territory code is well formed and names something of the COG. */
export function knownTerritoryCode(code: string): boolean {
  if (!TERRITORY_CODE.test(code)) return false;
  if (code === 'FR') return true;
  const [level, value] = code.split(':') as [string, string];
  if (level === 'R') return findRegion(value) !== null;
  if (level === 'D') return findDepartement(value) !== null;
  if (level === 'E') return findEpci(value) !== null;
  return findCommune(value) !== null;
}

const places = new Map<string, Place>();

/** The codes and population of a collectivité of this kind and official code (a syndicate: national only). */
export function placeOf(kind: string, officialCode: string | null): Place {
  const key = `${kind}:${officialCode ?? ''}`;
  let place = places.get(key);
  if (!place) {
    place = computePlace(kind, officialCode);
    places.set(key, place);
  }
  return place;
}

function computePlace(kind: string, code: string | null): Place {
  if (!code) return { codes: ['FR'], population: null };
  if (kind === 'commune') {
    const c = findCommune(code);
    if (!c) return { codes: ['FR'], population: null };
    const epci = findEpciOfCommune(code);
    return { codes: ['FR', `R:${c.region}`, `D:${c.departement}`, ...(epci ? [`E:${epci.code}`] : []), `C:${c.code}`], population: c.population ?? null };
  }
  if (kind === 'epci') {
    const e = findEpci(code);
    if (!e) return { codes: ['FR'], population: null };
    const members = e.membres.map((m) => findCommune(m.code)).filter((c) => c !== null);
    const departements = new Set(members.map((c) => c.departement));
    const regions = new Set(members.map((c) => c.region));
    return {
      codes: ['FR', ...[...regions].map((r) => `R:${r}`), ...[...departements].map((d) => `D:${d}`), `E:${e.code}`],
      population: members.reduce((sum, c) => sum + (c.population ?? 0), 0),
    };
  }
  if (kind === 'departement') {
    const d = findDepartement(code);
    if (!d) return { codes: ['FR'], population: null };
    let population = 0;
    for (const c of communesByCode().values()) if (c.departement === code) population += c.population ?? 0;
    return { codes: ['FR', `R:${d.region}`, `D:${d.code}`], population };
  }
  if (kind === 'region') {
    let population = 0;
    for (const c of communesByCode().values()) if (c.region === code) population += c.population ?? 0;
    return { codes: ['FR', `R:${code}`], population };
  }
  return { codes: ['FR'], population: null };
}
