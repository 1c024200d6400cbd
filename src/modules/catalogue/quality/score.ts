// The quality score of a dataset, with udata's (data.gouv.fr) criteria, one point each:
//   description          the description is at least 100 characters long (udata's QUALITY_DESCRIPTION_LENGTH);
//   resources_documented every resource has a description (udata: a documentation file or described files);
//   licence              a licence is declared (every licence a steward can choose here is open);
//   update               a frequency is declared and respected: the newest upload is not older than the
//                        frequency's period, one day of grace (udata allows being a day late: its PR #2941);
//   temporal             a temporal coverage is declared (at least its start);
//   spatial              a spatial coverage is declared (at least one COG code);
//   open_format          at least one resource's newest version is in an open format (udata's closed formats
//                        are PDF and the Office ones; ZIP says nothing of its content and does not count);
//   available            there is at least one resource and every one has a file the store holds.
// Bastide adds one when the dataset declares a schema:
//   schema               every CSV resource's newest version was validated and conforms.
// The score is the share of criteria met. Pure: the caller reads the rows and the blob store (load.ts).

export const DESCRIPTION_MIN = 100;
/** Days of grace after the date an update was due (udata: one). */
export const GRACE_DAYS = 1;
const DAY_MS = 86_400_000;

/** Formats open data is published in (the EU's and udata's sense: readable without proprietary software). */
export const OPEN_FORMATS: ReadonlySet<string> = new Set(['CSV', 'JSON', 'GeoJSON', 'ODS', 'TXT']);

/** The period of an EU frequency code in days; null when the frequency sets no schedule (continuous, irregular, never). */
export const FREQUENCY_DAYS: Readonly<Record<string, number | null>> = {
  CONT: null,
  DAILY: 1,
  WEEKLY: 7,
  MONTHLY: 31,
  QUARTERLY: 92,
  BIANNUAL: 183,
  ANNUAL: 366,
  BIENNIAL: 731,
  IRREG: null,
  NEVER: null,
};

export type CriterionId = 'description' | 'resources_documented' | 'licence' | 'update' | 'temporal' | 'spatial' | 'open_format' | 'available' | 'schema';

/** Why a criterion is not met: a code the dictionaries explain, with what the message needs. */
export interface Problem {
  code: string;
  params?: Record<string, string | number>;
}

export interface Criterion {
  id: CriterionId;
  met: boolean;
  /** Unmet only: what is wrong (quality.<code> in the dictionaries says what to fix). */
  problem?: Problem;
}

export interface Quality {
  criteria: Criterion[];
  met: number;
  total: number;
  /** met / total, 0…1. */
  score: number;
}

export interface QualityDataset {
  description: string;
  licence: string;
  frequency: string | null;
  temporal_start: string | null;
  temporal_end: string | null;
  spatial: string[];
  /** A bundled or custom schema is declared. */
  hasSchema: boolean;
}

export interface QualityResource {
  title: string;
  description: string;
  /** The newest version, or null when none was uploaded. */
  latest: {
    format: string;
    uploaded_at: Date;
    /** The blob store holds its bytes. */
    available: boolean;
    validation_state: 'none' | 'pending' | 'done' | 'failed';
    valid: boolean | null;
  } | null;
}

/** When the next update is due after `last`, or null when the frequency sets no schedule or is unknown. */
export function nextUpdateDue(frequency: string | null, last: Date): Date | null {
  const days = frequency ? FREQUENCY_DAYS[frequency] : undefined;
  return days ? new Date(last.getTime() + days * DAY_MS) : null;
}

function check(id: CriterionId, problem: Problem | null): Criterion {
  return problem ? { id, met: false, problem } : { id, met: true };
}

const titles = (rs: QualityResource[]) => rs.map((r) => r.title).join(', ');

export function qualityOf(d: QualityDataset, resources: QualityResource[], now: Date): Quality {
  const criteria: Criterion[] = [];
  const length = d.description.trim().length;
  criteria.push(check('description', length >= DESCRIPTION_MIN ? null : { code: 'description_short', params: { length, min: DESCRIPTION_MIN } }));

  const undocumented = resources.filter((r) => r.description.trim() === '');
  criteria.push(
    check(
      'resources_documented',
      resources.length === 0
        ? { code: 'no_resource' }
        : undocumented.length
          ? { code: 'resources_undescribed', params: { resources: titles(undocumented) } }
          : null,
    ),
  );

  criteria.push(check('licence', d.licence.trim() ? null : { code: 'licence_missing' }));

  const uploads = resources.flatMap((r) => (r.latest ? [r.latest.uploaded_at.getTime()] : []));
  let update: Problem | null = null;
  if (!d.frequency || d.frequency === 'UNKNOWN') update = { code: 'frequency_missing' };
  else if (FREQUENCY_DAYS[d.frequency] === undefined) update = { code: 'frequency_missing' };
  else if (FREQUENCY_DAYS[d.frequency] !== null) {
    if (uploads.length === 0) update = { code: 'never_updated' };
    else {
      const last = new Date(Math.max(...uploads));
      const due = nextUpdateDue(d.frequency, last)!;
      if (now.getTime() > due.getTime() + GRACE_DAYS * DAY_MS) {
        update = { code: 'update_late', params: { due: due.toISOString().slice(0, 10), days: Math.floor((now.getTime() - due.getTime()) / DAY_MS) } };
      }
    }
  }
  criteria.push(check('update', update));

  criteria.push(check('temporal', d.temporal_start || d.temporal_end ? null : { code: 'temporal_missing' }));
  criteria.push(check('spatial', d.spatial.length ? null : { code: 'spatial_missing' }));

  const withFile = resources.filter((r) => r.latest);
  criteria.push(
    check(
      'open_format',
      withFile.some((r) => OPEN_FORMATS.has(r.latest!.format))
        ? null
        : { code: 'no_open_format', params: { formats: [...new Set(withFile.map((r) => r.latest!.format))].join(', ') || '—' } },
    ),
  );

  const missing = resources.filter((r) => !r.latest?.available);
  criteria.push(
    check(
      'available',
      resources.length === 0 ? { code: 'no_resource' } : missing.length ? { code: 'files_missing', params: { resources: titles(missing) } } : null,
    ),
  );

  if (d.hasSchema) {
    const csv = resources.filter((r) => r.latest?.format === 'CSV');
    const pending = csv.filter((r) => r.latest!.validation_state === 'pending' || r.latest!.validation_state === 'none');
    const invalid = csv.filter((r) => r.latest!.validation_state === 'failed' || (r.latest!.validation_state === 'done' && !r.latest!.valid));
    criteria.push(
      check(
        'schema',
        csv.length === 0
          ? { code: 'schema_no_csv' }
          : invalid.length
            ? { code: 'schema_invalid', params: { resources: titles(invalid) } }
            : pending.length
              ? { code: 'schema_pending', params: { resources: titles(pending) } }
              : null,
      ),
    );
  }

  const met = criteria.filter((c) => c.met).length;
  return { criteria, met, total: criteria.length, score: met / criteria.length };
}
