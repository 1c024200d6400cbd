// Reading a funding application from a form or an API body: amounts in whole euros ordered paid ≤ granted ≤
// asked, dates in order (submitted ≤ decided ≤ paid), a status that fits them; errors per field, fr/en.
import type { Translate } from '../../../core/i18n/i18n.ts';
import { isOneOf } from './vocabulary.ts';

export const APPLICATION_STATUSES = ['planned', 'submitted', 'granted', 'refused', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
const MAX_EUROS = 1_000_000_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The fields of an application a person types, in the order of the table's columns: the one list the reader,
 * the repository's SQL (select, insert, update), the form and its values are made from.
 */
export const APPLICATION_FIELDS = ['status', 'amount_asked', 'amount_granted', 'amount_paid', 'submitted_on', 'decided_on', 'paid_on', 'notes'] as const;
export type ApplicationField = (typeof APPLICATION_FIELDS)[number];

/** As typed in a form (strings) or sent as JSON (numbers, null). */
export type ApplicationInput = { [K in ApplicationField]?: unknown };

/** The fields once read; the same names as APPLICATION_FIELDS (checked where they are built, below). */
export interface ApplicationFields {
  status: ApplicationStatus;
  amount_asked: number;
  amount_granted: number | null;
  amount_paid: number | null;
  submitted_on: string | null;
  decided_on: string | null;
  paid_on: string | null;
  notes: string;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

export function readApplicationInput(
  input: ApplicationInput,
  t: Translate,
): { ok: true; fields: ApplicationFields } | { ok: false; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const fail = (field: string, key: string, params?: Record<string, string | number>) => (errors[field] ??= []).push(t(`roadmap.funding.error.${key}`, params));
  const status = text(input.status) || 'planned';
  if (!isOneOf(APPLICATION_STATUSES, status)) fail('status', 'status_invalid');
  const euros = (field: 'amount_asked' | 'amount_granted' | 'amount_paid', required: boolean): number | null => {
    const raw = input[field];
    const s = text(raw).replace(/[\s\u202f\u00a0]/g, '');
    if (raw === null || raw === undefined || s === '') {
      if (required) fail(field, 'amount_required');
      return null;
    }
    const n = typeof raw === 'number' ? raw : /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isSafeInteger(n) || n < 0 || n > MAX_EUROS) {
      fail(field, 'amount_range', { max: MAX_EUROS });
      return null;
    }
    return n;
  };
  const asked = euros('amount_asked', true);
  const granted = euros('amount_granted', false);
  const paid = euros('amount_paid', false);
  if (granted !== null && asked !== null && granted > asked) fail('amount_granted', 'granted_over_asked');
  if (paid !== null && granted === null) fail('amount_paid', 'paid_without_grant');
  if (paid !== null && granted !== null && paid > granted) fail('amount_paid', 'paid_over_granted');
  if (status === 'granted' && granted === null && !errors.amount_granted) fail('amount_granted', 'granted_required');
  if (status !== 'granted' && granted !== null && isOneOf(APPLICATION_STATUSES, status)) fail('amount_granted', 'granted_needs_status');

  const date = (field: 'submitted_on' | 'decided_on' | 'paid_on'): string | null => {
    const v = text(input[field]);
    if (!v) return null;
    const d = new Date(`${v}T00:00:00Z`);
    if (!DATE.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
      fail(field, 'date_invalid');
      return null;
    }
    return v;
  };
  const submitted_on = date('submitted_on');
  const decided_on = date('decided_on');
  const paid_on = date('paid_on');
  if (submitted_on && decided_on && decided_on < submitted_on) fail('decided_on', 'decided_before_submitted');
  if (decided_on && paid_on && paid_on < decided_on) fail('paid_on', 'paid_before_decided');
  const notes = text(input.notes);
  if (notes.length > 5000) fail('notes', 'too_long', { max: 5000 });
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    fields: {
      status: status as ApplicationStatus,
      amount_asked: asked!,
      amount_granted: granted,
      amount_paid: paid,
      submitted_on,
      decided_on,
      paid_on,
      notes,
    } satisfies Record<ApplicationField, unknown>,
  };
}
