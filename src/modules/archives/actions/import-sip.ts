// Import of a SEDA 2.3 ArchiveTransfer package (issue 13, Ingest): the SEDA library reads and checks the
// zip (XSDs, paths, zip bomb caps, every object's size and digest) into a scratch directory, the neutral
// structure becomes ingestUnits' tree, and ingestUnits stores everything in one transaction with its journal
// entry. Refused packages leave nothing: the library cleans its directory on failure, this action removes it
// on success once the objects are in the store, and ingestUnits takes back what it stored if it fails.
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Database } from '../../../core/db/database.ts';
import type { FilesConfig } from '../../../core/files/store.ts';
import type { Principal } from '../archives.policy.ts';
import { requireArchivist } from '../archives.policy.ts';
import type { RuleCategory, UnitRule } from '../rules.ts';
import { ingestUnits, LEVELS, USAGES, type IngestObjectInput, type IngestResult, type IngestUnitInput } from './ingest.ts';
import {
  readSip,
  SedaError,
  type ExtractedObject,
  type SedaArchiveTransfer,
  type SedaManagement,
  type SedaRuleBlock,
  type SedaUnit,
  type SipLimits,
} from '../seda/index.ts';

/** SEDA DateType (a date, a dateTime, a year…) as the ISO date a unit keeps; the end of a year for an end date. */
function isoDate(value: string | undefined, end: boolean): string | null {
  if (!value) return null;
  const full = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  if (full) return full[1]!;
  if (/^\d{4}$/.test(value)) return end ? `${value}-12-31` : `${value}-01-01`;
  return null;
}

const CATEGORIES: Array<[keyof SedaManagement, RuleCategory]> = [
  ['appraisal', 'appraisal'],
  ['access', 'access'],
  ['dissemination', 'dissemination'],
  ['reuse', 'reuse'],
  ['storage', 'storage'],
  ['classification', 'classification'],
  ['hold', 'hold'],
];

function rulesOf(m: SedaManagement | undefined): Pick<IngestUnitInput, 'rules' | 'prevent_inheritance' | 'ref_non_rule_ids'> {
  const rules: UnitRule[] = [];
  const prevent: RuleCategory[] = [];
  const refNon: Partial<Record<RuleCategory, string[]>> = {};
  for (const [key, category] of CATEGORIES) {
    const block = m?.[key] as SedaRuleBlock | undefined;
    if (!block) continue;
    for (const r of block.rules) rules.push({ category, rule_code: r.rule, start_date: r.startDate ?? null });
    if (block.preventInheritance) prevent.push(category);
    if (block.refNonRuleIds?.length) refNon[category] = block.refNonRuleIds;
  }
  return { rules, prevent_inheritance: prevent, ref_non_rule_ids: refNon };
}

function usageOf(version: string | undefined): IngestObjectInput['usage'] {
  const base = version?.replace(/_\d+$/, '');
  return (USAGES as readonly string[]).includes(base ?? '') ? (base as IngestObjectInput['usage']) : undefined;
}

/**
 * The neutral structure as ingestUnits' tree. Objects go to the first unit referring to them (directly or by
 * their group); an object no unit refers to would be kept without a description, so it is refused.
 */
export function ingestTreeOf(transfer: SedaArchiveTransfer, extracted: ExtractedObject[]): { units: IngestUnitInput[]; unreferenced: string[] } {
  const byObject = new Map(extracted.map((e) => [e.object.id, e]));
  const attached = new Set<string>();
  const objectsFor = (u: SedaUnit): IngestObjectInput[] => {
    const ids = u.objectRefs.flatMap((r) => ('groupId' in r ? transfer.objects.filter((o) => o.groupId === r.groupId).map((o) => o.id) : [r.objectId]));
    const out: IngestObjectInput[] = [];
    for (const id of ids) {
      const e = byObject.get(id);
      if (!e || attached.has(id)) continue;
      attached.add(id);
      out.push({
        filename: e.object.fileInfo?.filename || basename(e.object.uri ?? id),
        source: e.path,
        expected: { sha512: e.sha512, sha256: e.sha256, size: e.size },
        usage: usageOf(e.object.version),
      });
    }
    return out;
  };
  const unit = (u: SedaUnit): IngestUnitInput => ({
    title: u.content.title,
    description: u.content.description ?? '',
    level: (LEVELS as readonly string[]).includes(u.content.descriptionLevel ?? '') ? u.content.descriptionLevel : undefined,
    start_date: isoDate(u.content.startDate, false),
    end_date: isoDate(u.content.endDate, true),
    originating_agency: u.content.originatingAgency ?? transfer.originatingAgencyIdentifier ?? '',
    submission_agency: u.content.submissionAgency ?? transfer.submissionAgencyIdentifier ?? '',
    archival_agency: transfer.archivalAgency,
    transferring_agency: transfer.transferringAgency,
    keywords: (u.content.keywords ?? []).map((k) => k.content),
    ...rulesOf(u.management),
    objects: objectsFor(u),
    children: u.children.map(unit),
  });
  const units = transfer.units.map(unit);
  const unreferenced = extracted.filter((e) => !attached.has(e.object.id)).map((e) => e.object.id);
  return { units, unreferenced };
}

/**
 * Imports a SIP from a zip file on disk. Throws SedaError (the package's issues) or ingestUnits' errors
 * (422 for unknown rules or metadata the archives refuse).
 */
export async function importSip(
  deps: { db: Database; config: FilesConfig },
  p: Principal,
  zipPath: string,
  options: { limits?: Partial<SipLimits> } = {},
): Promise<IngestResult> {
  requireArchivist(p);
  const workDir = join(deps.config.dataDir, 'tmp', 'sips');
  await mkdir(workDir, { recursive: true });
  const sip = await readSip(zipPath, { workDir, ...(options.limits ? { limits: options.limits } : {}) });
  try {
    const { units, unreferenced } = ingestTreeOf(sip.transfer, sip.objects);
    if (unreferenced.length) throw new SedaError(unreferenced.map((id) => ({ key: 'archives.seda.object.unreferenced', params: { id } })));
    return await ingestUnits(deps, p, { kind: 'seda', source_ref: sip.transfer.messageIdentifier, units });
  } finally {
    await rm(sip.dir, { recursive: true, force: true });
  }
}
