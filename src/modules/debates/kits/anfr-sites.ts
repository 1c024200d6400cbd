// The radio sites of a collectivité's communes, read from the ANFR open-data table SUP_SUPPORT
// ("Données sur les installations radioélectriques de plus de 5 watts", data.gouv.fr): ';'-separated,
// Latin-1 (UTF-8 accepted), coordinates in degrees/minutes/seconds, heights with a decimal comma.
// Columns are found by name, so a file with extra or reordered columns still reads. Bounded: the
// national file has about 100,000 supports; we take at most MAX_ANFR_BYTES and keep only the communes asked.
export const MAX_ANFR_BYTES = 32 * 1024 * 1024;
export const MAX_SITES = 20_000;

const REQUIRED = [
  'SUP_ID',
  'STA_NM_ANFR',
  'NAT_ID',
  'COR_NB_DG_LAT',
  'COR_NB_MN_LAT',
  'COR_NB_SC_LAT',
  'COR_CD_NS_LAT',
  'COR_NB_DG_LON',
  'COR_NB_MN_LON',
  'COR_NB_SC_LON',
  'COR_CD_EW_LON',
  'SUP_NM_HAUT',
  'ADR_LB_LIEU',
  'ADR_LB_ADD1',
  'ADR_NM_CP',
  'COM_CD_INSEE',
] as const;

export interface RadioSite {
  supportId: string;
  station: string;
  natureId: string;
  inseeCode: string;
  postcode: string;
  place: string;
  address: string;
  heightM: number | null;
  latitude: number;
  longitude: number;
}

/** What is wrong with one line: its number (the header is line 1) and the first thing that does not read. */
export interface AnfrLineProblem {
  line: number;
  reason: 'columns' | 'latitude' | 'longitude' | 'insee' | 'height';
  /** For `columns`: how many cells the line has, and how many the header names. */
  found?: number;
  expected?: number;
}
/** Lines reported at most: past them the file is plainly in another layout. */
export const MAX_LINE_PROBLEMS = 20;

export type AnfrProblem =
  { code: 'too_big' } | { code: 'missing_columns'; columns: string[] } | { code: 'bad_lines'; lines: AnfrLineProblem[]; more: boolean } | { code: 'too_many' };
export type AnfrResult = { ok: true; sites: RadioSite[]; skipped: number } | { ok: false; problem: AnfrProblem };

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

function dms(deg: string, min: string, sec: string, hemi: string, negative: string, max: number): number | null {
  const [d, m, s] = [deg, min, sec].map((v) => Number(v.replace(',', '.')));
  if (![d, m, s].every((v) => Number.isFinite(v) && v >= 0) || d! > max || m! >= 60 || s! >= 60) return null;
  const value = d! + m! / 60 + s! / 3600;
  return Math.round((hemi.toUpperCase() === negative ? -value : value) * 1e6) / 1e6;
}

const clean = (v: string | undefined) => (v ?? '').trim().slice(0, 200);

/** Reads SUP_SUPPORT rows of the communes `inseeCodes` (all rows when empty). */
export function readAnfrSupports(bytes: Uint8Array, inseeCodes: ReadonlySet<string>): AnfrResult {
  if (bytes.byteLength > MAX_ANFR_BYTES) return { ok: false, problem: { code: 'too_big' } };
  const lines = decode(bytes)
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const header = (lines[0] ?? '').split(';').map((h) => h.trim().toUpperCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) return { ok: false, problem: { code: 'missing_columns', columns: missing } };
  const at = Object.fromEntries(REQUIRED.map((c) => [c, header.indexOf(c)])) as Record<(typeof REQUIRED)[number], number>;
  const sites: RadioSite[] = [];
  const problems: AnfrLineProblem[] = [];
  let more = false;
  const refuse = (problem: AnfrLineProblem) => {
    if (problems.length < MAX_LINE_PROBLEMS) problems.push(problem);
    else more = true;
  };
  let skipped = 0;
  for (let i = 1; i < lines.length && !more; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const cells = line.split(';');
    if (cells.length !== header.length) {
      refuse({ line: i + 1, reason: 'columns', found: cells.length, expected: header.length });
      continue;
    }
    const get = (c: (typeof REQUIRED)[number]) => cells[at[c]] ?? '';
    const insee = clean(get('COM_CD_INSEE'));
    if (inseeCodes.size && !inseeCodes.has(insee)) {
      skipped++;
      continue;
    }
    const latitude = dms(get('COR_NB_DG_LAT'), get('COR_NB_MN_LAT'), get('COR_NB_SC_LAT'), get('COR_CD_NS_LAT').trim(), 'S', 90);
    const longitude = dms(get('COR_NB_DG_LON'), get('COR_NB_MN_LON'), get('COR_NB_SC_LON'), get('COR_CD_EW_LON').trim(), 'W', 180);
    const height = get('SUP_NM_HAUT').trim() ? Number(get('SUP_NM_HAUT').trim().replace(',', '.')) : null;
    const reason =
      latitude === null
        ? 'latitude'
        : longitude === null
          ? 'longitude'
          : !/^[0-9AB]{5}$/.test(insee)
            ? 'insee'
            : height !== null && !Number.isFinite(height)
              ? 'height'
              : null;
    if (reason || latitude === null || longitude === null) {
      refuse({ line: i + 1, reason: reason ?? 'latitude' });
      continue;
    }
    if (problems.length) continue;
    if (sites.length >= MAX_SITES) return { ok: false, problem: { code: 'too_many' } };
    sites.push({
      supportId: clean(get('SUP_ID')),
      station: clean(get('STA_NM_ANFR')),
      natureId: clean(get('NAT_ID')),
      inseeCode: insee,
      postcode: clean(get('ADR_NM_CP')),
      place: clean(get('ADR_LB_LIEU')),
      address: clean(get('ADR_LB_ADD1')),
      heightM: height,
      latitude,
      longitude,
    });
  }
  if (problems.length) return { ok: false, problem: { code: 'bad_lines', lines: problems, more } };
  return { ok: true, sites, skipped };
}
