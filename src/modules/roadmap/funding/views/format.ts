// Small formatting helpers of the funding pages: euros, dates, the programme's facts in one line.
import type { RequestContext } from '../../../../core/base/context.ts';
import { formatDate, formatDateTime, numberFormatter } from '../../../../core/i18n/i18n.ts';
import type { ProgrammeRow } from '../programmes.repository.ts';

const euroFormat = numberFormatter({ style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

export function euros(ctx: Pick<RequestContext, 'locale'>, n: number): string {
  return euroFormat(ctx.locale).format(n);
}

export function day(ctx: RequestContext, value: string | null): string {
  return value ? formatDate(ctx.locale, value) : ctx.t('roadmap.funding.no_date');
}

/** A moment (the programmes' trail), as people read it. */
export function when(ctx: RequestContext, value: Date): string {
  return formatDateTime(ctx.locale, value);
}

/** "Subvention · jusqu'à 80 % · jusqu'à 500 000 € · annuelle" */
export function programmeFacts(ctx: RequestContext, p: ProgrammeRow): string {
  const t = ctx.t;
  const facts = [t(`roadmap.funding.nature.${p.nature}`)];
  if (p.max_rate !== null) facts.push(t('roadmap.funding.rate_up_to', { rate: p.max_rate }));
  if (p.max_amount !== null) facts.push(t('roadmap.funding.amount_up_to', { amount: euros(ctx, p.max_amount) }));
  facts.push(t(`roadmap.funding.recurrence.${p.recurrence}`));
  return facts.join(' · ');
}
