// The controlled vocabularies of a dataset's metadata (DCAT-AP): EU data themes, EU update frequencies,
// licences, and the shape of a COG code. Labels are in the dictionaries (catalogue.theme.<code>…).

/** EU data-theme vocabulary (http://publications.europa.eu/resource/authority/data-theme). */
export const THEMES = ['AGRI', 'ECON', 'EDUC', 'ENER', 'ENVI', 'GOVE', 'HEAL', 'INTR', 'JUST', 'REGI', 'SOCI', 'TECH', 'TRAN'] as const;

/** EU frequency vocabulary (http://publications.europa.eu/resource/authority/frequency), the codes stewards use. */
export const FREQUENCIES = ['CONT', 'DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'BIANNUAL', 'ANNUAL', 'BIENNIAL', 'IRREG', 'NEVER', 'UNKNOWN'] as const;

/** Licences a collectivité may open data under (SPDX-like identifiers); Licence Ouverte 2.0 first, by default. */
export const LICENCES = ['etalab-2.0', 'odbl-1.0', 'cc-by-4.0', 'cc-by-sa-4.0', 'cc0-1.0'] as const;
export const DEFAULT_LICENCE = 'etalab-2.0';

export function isTheme(v: string): boolean {
  return (THEMES as readonly string[]).includes(v);
}
export function isFrequency(v: string): boolean {
  return (FREQUENCIES as readonly string[]).includes(v);
}
export function isLicence(v: string): boolean {
  return (LICENCES as readonly string[]).includes(v);
}

/**
 * A COG code as written: a région (2 digits), a département (2 digits, 2A/2B, or 3 for overseas), a
 * commune (5, Corsica with A/B), an EPCI (its 9-digit SIREN), or FR for the whole country.
 */
export function isCogCode(v: string): boolean {
  return /^(FR|\d{2}|2[AB]|97\d|\d[\dAB]\d{3}|\d{9})$/.test(v);
}

/** The list of a comma-or-newline separated field, trimmed, without empties or duplicates. */
export function splitList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[,\n;]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** The format shown for a stored file, from its stored type and then its name. */
export function formatOf(contentType: string, filename: string): string {
  const ext = /\.([a-z0-9]{1,8})$/i.exec(filename)?.[1]?.toLowerCase();
  if (contentType === 'text/csv') return 'CSV';
  if (contentType === 'application/pdf') return 'PDF';
  if (contentType === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') return 'XLSX';
  if (contentType === 'application/vnd.oasis.opendocument.spreadsheet') return 'ODS';
  if (contentType === 'application/zip') return 'ZIP';
  if (ext === 'geojson') return 'GeoJSON';
  if (ext === 'json') return 'JSON';
  return 'TXT';
}
