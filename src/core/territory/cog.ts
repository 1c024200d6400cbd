// The Code officiel géographique (COG), from @etalab/decoupage-administratif's JSON data files, read
// directly (its index.js resolves paths from the working directory). Loaded lazily: communes.json is 8 MB.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface Commune {
  code: string;
  nom: string;
  departement: string;
  region: string;
  siren?: string;
  codesPostaux?: string[];
  population?: number;
  type: string;
}
export interface EpciMember {
  code: string;
  siren: string;
  nom: string;
}
export interface Epci {
  code: string;
  nom: string;
  type: string;
  membres: EpciMember[];
}
export interface Departement {
  code: string;
  nom: string;
  region: string;
}
export interface Region {
  code: string;
  nom: string;
}

let communes: Map<string, Commune> | null = null;
let epcis: Map<string, Epci> | null = null;
let epciOfCommune: Map<string, string> | null = null;
let departements: Map<string, Departement> | null = null;
let regions: Map<string, Region> | null = null;

// Read and parsed here rather than require()d: require keeps the whole parsed file in its cache for the
// life of the process, former communes included, where only the kept entries are needed.
function load<T extends { code: string }>(file: string, keep: (item: T) => boolean = () => true): Map<string, T> {
  const items = JSON.parse(readFileSync(require.resolve(`@etalab/decoupage-administratif/data/${file}`), 'utf8')) as T[];
  return new Map(items.filter(keep).map((item) => [item.code, item]));
}

export function communesByCode(): Map<string, Commune> {
  communes ??= load<Commune>('communes.json', (c) => c.type === 'commune-actuelle');
  return communes;
}

export function epciBySiren(): Map<string, Epci> {
  epcis ??= load<Epci>('epci.json');
  return epcis;
}

export function findCommune(code: string): Commune | null {
  return communesByCode().get(code) ?? null;
}

export function findEpci(siren: string): Epci | null {
  return epciBySiren().get(siren) ?? null;
}

export function findEpciOfCommune(code: string): Epci | null {
  if (!epciOfCommune) {
    epciOfCommune = new Map();
    for (const epci of epciBySiren().values()) for (const m of epci.membres) epciOfCommune.set(m.code, epci.code);
  }
  const siren = epciOfCommune.get(code);
  return siren ? findEpci(siren) : null;
}

export function findDepartement(code: string): Departement | null {
  departements ??= load<Departement>('departements.json');
  return departements.get(code) ?? null;
}

export function findRegion(code: string): Region | null {
  regions ??= load<Region>('regions.json');
  return regions.get(code) ?? null;
}

export function allDepartements(): Departement[] {
  findDepartement('');
  return [...departements!.values()];
}

/** "Nantes Métropole" → "nantes-metropole". */
export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
}
