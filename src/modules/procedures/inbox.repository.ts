// The agents' inbox as one query: per procedure or across, filtered, searched in French, sorted, paged,
// limited to the dossiers the agent may see. Drafts (brouillon) are the citizen's and never listed.
// Indexes: dossiers_inbox_page (tenant, procedure, state, submitted_at desc, number desc), dossiers_inbox_all_page, GIN on search.
import type { Tx } from '../../core/db/database.ts';
import { scopeSql, type DossierScope } from './procedures.policy.ts';
import type { DossierState } from './dossier-states.ts';

export const INBOX_SORTS = ['submitted_desc', 'submitted_asc', 'updated_desc', 'number_desc', 'number_asc'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];
const ORDER: Record<InboxSort, string> = {
  submitted_desc: 'd.submitted_at desc, d.number desc',
  submitted_asc: 'd.submitted_at asc, d.number asc',
  updated_desc: 'd.updated_at desc, d.number desc',
  number_desc: 'd.number desc',
  number_asc: 'd.number asc',
};

/** Counting stops here: "1000+" is as useful to an agent as the exact figure, and counting 10,001 index
 * entries cost more than the page itself at 1 M dossiers (docs/performance.md §3). */
export const COUNT_CAP = 1_000;

export interface InboxFilter {
  procedureId?: string | null;
  states?: DossierState[];
  groupId?: string | null;
  /** A person id, or 'none' for unassigned dossiers. */
  assignee?: string | null;
  submittedFrom?: string | null;
  submittedTo?: string | null;
  labels?: string[];
  /** French full-text search in the answers (websearch syntax: words, "phrases", -excluded), or a number. */
  q?: string | null;
  sort?: InboxSort;
  page?: number;
  perPage?: number;
}

export interface InboxItem {
  id: string;
  number: number;
  procedure_id: string;
  procedure_title: string;
  state: DossierState;
  group_id: string | null;
  assignee_id: string | null;
  labels: string[];
  applicant_email: string | null;
  submitted_at: Date | null;
  updated_at: Date;
}

export interface InboxPage {
  items: InboxItem[];
  total: number;
  /** True when there are more than total (counting stopped at COUNT_CAP, or just past this page when deeper). */
  totalCapped: boolean;
  page: number;
  perPage: number;
}

function where(scope: DossierScope, f: InboxFilter, params: unknown[], options: { states: boolean }): string {
  const parts = [`d.tenant_id = app_tenant()`, `d.state <> 'brouillon'`, scopeSql(scope, 'd', params)];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(params.length));
  };
  if (f.procedureId) add((n) => `d.procedure_id = $${n}`, f.procedureId);
  // One state as an equality: PostgreSQL (≤ 16) reads an index in order only after equalities, so the page
  // comes straight from dossiers_inbox_page instead of sorting every dossier in that state (bench/inbox.ts).
  if (options.states && f.states?.length === 1) add((n) => `d.state = $${n}`, f.states[0]);
  else if (options.states && f.states?.length) add((n) => `d.state = any($${n}::text[])`, f.states);
  if (f.groupId) add((n) => `d.group_id = $${n}`, f.groupId);
  if (f.assignee === 'none') parts.push('d.assignee_id is null');
  else if (f.assignee) add((n) => `d.assignee_id = $${n}`, f.assignee);
  if (f.submittedFrom) add((n) => `d.submitted_at >= $${n}::date`, f.submittedFrom);
  if (f.submittedTo) add((n) => `d.submitted_at < $${n}::date + 1`, f.submittedTo);
  if (f.labels?.length) add((n) => `d.labels @> $${n}::text[]`, f.labels);
  const q = f.q?.trim();
  if (q) {
    if (/^\d{1,15}$/.test(q)) add((n) => `d.number = $${n}`, Number(q));
    else add((n) => `d.search @@ websearch_to_tsquery('french_unaccent', $${n})`, q.slice(0, 200));
  }
  return parts.join(' and ');
}

export async function listInbox(tx: Tx, scope: DossierScope, f: InboxFilter): Promise<InboxPage> {
  const perPage = Math.min(Math.max(Math.trunc(f.perPage ?? 50) || 50, 1), 200);
  const page = Math.min(Math.max(Math.trunc(f.page ?? 1) || 1, 1), 10_000);
  const params: unknown[] = [];
  const cond = where(scope, f, params, { states: true });
  const offset = (page - 1) * perPage;
  const items = await tx.query<InboxItem>(
    `select d.id, d.number, d.procedure_id, p.title as procedure_title, d.state, d.group_id, d.assignee_id, d.labels,
            d.applicant_email, d.submitted_at, d.updated_at
     from dossiers d join procedures p on p.tenant_id = d.tenant_id and p.id = d.procedure_id
     where ${cond} order by ${ORDER[f.sort ?? 'submitted_desc']} limit ${perPage} offset ${offset}`,
    params,
  );
  // A short page that is not past the end gives the exact total: no second query.
  if (items.length < perPage && (items.length > 0 || page === 1)) return { items, total: offset + items.length, totalCapped: false, page, perPage };
  // Past the cap, count one beyond this page so that the next one is still offered.
  const cap = Math.max(COUNT_CAP, offset + perPage + 1);
  const counted = await tx.one<{ n: number }>(`select count(*)::int as n from (select 1 from dossiers d where ${cond} limit ${cap + 1}) x`, params);
  const n = counted?.n ?? 0;
  return { items, total: Math.min(n, cap), totalCapped: n > cap, page, perPage };
}

/** Dossiers per state for the same filters (the state filter itself aside), each count capped. */
export async function countByState(tx: Tx, scope: DossierScope, f: InboxFilter): Promise<Record<string, number>> {
  const params: unknown[] = [];
  const cond = where(scope, { ...f, states: [] }, params, { states: false });
  const rows = await tx.query<{ state: string; n: number }>(
    `select s.state, (select count(*)::int from (select 1 from dossiers d where ${cond} and d.state = s.state limit ${COUNT_CAP + 1}) x) as n
     from unnest(array['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite']) as s(state)`,
    params,
  );
  return Object.fromEntries(rows.map((r) => [r.state, Math.min(r.n, COUNT_CAP)]));
}

/** The labels offered as filters: those of the dossiers in the scope (at most 100, sorted). */
export async function listInboxLabels(tx: Tx, scope: DossierScope): Promise<string[]> {
  const params: unknown[] = [];
  const rows = await tx.query<{ label: string }>(
    `select distinct unnest(labels) as label from dossiers d where d.tenant_id = app_tenant() and d.state <> 'brouillon' and d.labels <> '{}'
       and ${scopeSql(scope, 'd', params)} order by 1 limit 100`,
    params,
  );
  return rows.map((r) => r.label);
}

/** The labels of the dossiers numbered `numbers` that are in the scope; the others are left out. */
export async function labelsInScope(tx: Tx, scope: DossierScope, numbers: number[]): Promise<Array<{ number: number; labels: string[] }>> {
  const params: unknown[] = [numbers];
  const scoped = scopeSql(scope, 'd', params);
  return tx.query<{ number: number; labels: string[] }>(
    `select number, labels from dossiers d where d.tenant_id = app_tenant() and d.number = any($1::bigint[]) and d.state <> 'brouillon' and ${scoped}`,
    params,
  );
}
