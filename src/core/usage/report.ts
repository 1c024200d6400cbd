// "Sharing the bill" (issue 14): what each collectivité a host serves uses, month by month, so that a
// syndicat or an EPCI can share the cost of the installation among its members. Core counts what it owns
// (stored bytes, active staff accounts); each module contributes its own figures through its manifest's
// `usage` (dossiers, datasets, archive volume), run inside the collectivité's own transaction, so row-level
// security keeps a contributor to that one collectivité's rows.
import type { Database, Tx } from '../db/database.ts';
import { listHostedTenants, type Tenant } from '../tenancy/tenants.ts';

/** A calendar month, UTC: `start` inclusive, `end` exclusive. */
export interface UsageMonth {
  label: string;
  start: Date;
  end: Date;
}

/** One figure of one collectivité for one month. `key` starts with the module's name. */
export interface UsageFigure {
  key: string;
  unit: 'count' | 'bytes';
  value: number;
  /** The column's heading, in both languages (a module keeps its texts beside its query). */
  label: { fr: string; en: string };
}

/** A module's figures for the collectivité of `tx` (its transaction: RLS applies) and the month. */
export type UsageContributor = (tx: Tx, month: UsageMonth) => Promise<UsageFigure[]>;

export interface UsageRow {
  tenant: Pick<Tenant, 'id' | 'slug' | 'name' | 'kind' | 'official_code'>;
  figures: UsageFigure[];
}

export interface UsageReport {
  month: string;
  /** The collectivité that asked (the host), then the ones it hosts, by name. */
  rows: UsageRow[];
  /** Every key once, in the order of the first row that has it (core's, then the modules'). */
  columns: Array<Pick<UsageFigure, 'key' | 'unit' | 'label'>>;
  totals: Record<string, number>;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `YYYY-MM` between 2000 and 2100, or null (the caller answers with a localised error). */
export function parseMonth(text: string): UsageMonth | null {
  const match = MONTH.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (year < 2000 || year > 2100) return null;
  return { label: text, start: new Date(Date.UTC(year, month - 1, 1)), end: new Date(Date.UTC(year, month, 1)) };
}

export function currentMonth(now = new Date()): UsageMonth {
  return parseMonth(`${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`)!;
}

/**
 * Core's own figures. Stored bytes: the files kept today that were stored before the month's end (the
 * blob store keeps no history of removed files). Active staff: people holding a staff role who wrote at
 * least one journal entry of the collectivité during the month (the journal keeps every month; sessions
 * do not). The journal's ids are UUIDv7 (time first): the id range lets the primary key find the month.
 */
export const coreUsage: UsageContributor = async (tx, month) => {
  const dayMs = 86_400_000;
  const row = await tx.one<{ bytes: string; files: number; staff: number }>(
    `select (select coalesce(sum(size), 0) from blobs where created_at < $1)::text as bytes,
            (select count(*)::int from blobs where created_at < $1) as files,
            (select count(distinct j.actor)::int from journal_entries j
              where j.tenant_id = app_tenant() and j.id >= $3::uuid and j.id < $4::uuid and j.at >= $2 and j.at < $1
                and j.actor like 'person:%'
                and exists (select 1 from memberships m where m.tenant_id = app_tenant() and m.person_id::text = substr(j.actor, 8) and m.role <> 'citizen')
            ) as staff`,
    [month.end, month.start, uuidFloor(month.start.getTime() - dayMs), uuidFloor(month.end.getTime() + dayMs)],
  );
  return [
    { key: 'core.storage_bytes', unit: 'bytes', value: Number(row!.bytes), label: { fr: 'Volume des fichiers', en: 'Volume of files' } },
    { key: 'core.files', unit: 'count', value: row!.files, label: { fr: 'Fichiers stockés', en: 'Stored files' } },
    { key: 'core.active_staff', unit: 'count', value: row!.staff, label: { fr: 'Comptes agents actifs', en: 'Active staff accounts' } },
  ];
};

/** The smallest UUIDv7 of a millisecond (time in the first 48 bits, the rest zero but the version). */
function uuidFloor(ms: number): string {
  const hex = Math.max(0, ms).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

/**
 * The report of `hostId`: the host itself, then every collectivité it hosts (tenancy/tenants.ts
 * listHostedTenants: `host_tenant_id`, `member_of`, `hosted_by`). One transaction per collectivité, as
 * that collectivité, for core's figures and every contributor's.
 */
export async function usageReport(db: Database, hostId: string, month: UsageMonth, contributors: UsageContributor[]): Promise<UsageReport> {
  const { host, hosted } = await db.transaction(hostId, async (tx) => ({
    host: await tx.one<Tenant>('select id, slug, name, kind, official_code from tenants where id = $1', [hostId]),
    hosted: await listHostedTenants(tx, hostId),
  }));
  if (!host) throw new Error(`no collectivité ${hostId}`);
  const tenants = [host, ...hosted.filter((t) => t.id !== hostId)];
  const rows: UsageRow[] = [];
  for (const tenant of tenants) {
    const figures = await db.transaction(tenant.id, async (tx) => {
      const all: UsageFigure[] = [];
      for (const contribute of [coreUsage, ...contributors]) all.push(...(await contribute(tx, month)));
      return all;
    });
    rows.push({ tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, kind: tenant.kind, official_code: tenant.official_code }, figures });
  }
  const columns: UsageReport['columns'] = [];
  const totals: Record<string, number> = {};
  for (const row of rows) {
    for (const f of row.figures) {
      if (!(f.key in totals)) {
        columns.push({ key: f.key, unit: f.unit, label: f.label });
        totals[f.key] = 0;
      }
      totals[f.key]! += f.value;
    }
  }
  return { month: month.label, rows, columns, totals };
}

/** The share of each collectivité in a column, in percent with one decimal (0 when the total is 0). */
export function shareOf(report: UsageReport, row: UsageRow, key: string): number {
  const total = report.totals[key] ?? 0;
  const value = row.figures.find((f) => f.key === key)?.value ?? 0;
  return total === 0 ? 0 : Math.round((value / total) * 1000) / 10;
}

function csvCell(value: string | number): string {
  const text = String(value);
  // A leading =, +, - or @ would be read as a formula by a spreadsheet (CSV injection): quoted with a '.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV, one line per collectivité and a total line; column names are the figures' keys. */
export function usageCsv(report: UsageReport): string {
  const head = ['month', 'slug', 'name', 'kind', 'official_code', ...report.columns.map((c) => c.key)];
  const lines = [head.map(csvCell).join(',')];
  for (const row of report.rows) {
    const values = report.columns.map((c) => row.figures.find((f) => f.key === c.key)?.value ?? 0);
    lines.push([report.month, row.tenant.slug, row.tenant.name, row.tenant.kind, row.tenant.official_code ?? '', ...values].map(csvCell).join(','));
  }
  lines.push([report.month, '', 'total', '', '', ...report.columns.map((c) => report.totals[c.key] ?? 0)].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
