// The collectivité's rule library (rules are written once: their duration and final action never change,
// because units computed their effective rules from them; label and sharing may) and legal holds on units.
import type { Database } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { conflict, notFound, unprocessable } from '../../../core/base/errors.ts';
import { requireArchivist, type Principal } from '../archives.policy.ts';
import { findUnit, visibleLibrary } from '../archives.repository.ts';
import { isRuleCategory, SHIPPED_LIBRARY } from '../rules.ts';

export interface RuleInput {
  code: string;
  category: string;
  label: string;
  duration_years: string;
  final_action: string;
  legal_ground: string;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export async function addRule(db: Database, p: Principal, input: RuleInput): Promise<void> {
  requireArchivist(p);
  const errors: Record<string, string[]> = {};
  const add = (k: string, m: string) => (errors[k] ??= []).push(m);
  const code = input.code.trim();
  if (!CODE.test(code)) add('code', p.t('archives.error.code'));
  else if (SHIPPED_LIBRARY.some((r) => r.code === code)) add('code', p.t('archives.error.code_taken'));
  if (!isRuleCategory(input.category)) add('category', p.t('archives.error.choice'));
  const label = input.label.trim();
  if (!label) add('label', p.t('archives.error.required'));
  else if (label.length > 300) add('label', p.t('archives.error.too_long', { max: 300 }));
  const d = input.duration_years.trim();
  if (d && !/^\d{1,3}$/.test(d)) add('duration_years', p.t('archives.error.duration'));
  const final = input.final_action || null;
  if (input.category === 'appraisal' && final !== 'keep' && final !== 'destroy') add('final_action', p.t('archives.error.final_appraisal'));
  else if (input.category === 'storage' && final && !['restrict_access', 'transfer', 'copy'].includes(final)) add('final_action', p.t('archives.error.choice'));
  else if (!['appraisal', 'storage'].includes(input.category) && final) add('final_action', p.t('archives.error.final_none'));
  if (input.legal_ground.length > 1000) add('legal_ground', p.t('archives.error.too_long', { max: 1000 }));
  if (Object.keys(errors).length) throw unprocessable(errors);
  await db.transaction(p.tenantId, async (tx) => {
    if ((await visibleLibrary(tx)).has(code) && (await tx.one('select 1 from archives_rules where code = $1', [code])))
      throw unprocessable({ code: [p.t('archives.error.code_taken')] });
    await tx.query(
      `insert into archives_rules (tenant_id, code, category, label, duration_years, final_action, legal_ground) values (app_tenant(), $1, $2, $3, $4, $5, $6)`,
      [code, input.category, label, d ? Number(d) : null, final, input.legal_ground.trim()],
    );
    await journal(tx, { actor: p.actor, action: 'archives.rule.add', subjectType: 'archive_rule', subjectId: code, data: { ...input, code, label } });
  });
}

/** A host (a collectivité that hosts others, or an EPCI with member communes) shares a rule of its library. */
export async function shareRule(db: Database, p: Principal, code: string, shared: boolean): Promise<void> {
  requireArchivist(p);
  await db.transaction(p.tenantId, async (tx) => {
    const n = await tx.execute('update archives_rules set shared = $2 where code = $1', [code, shared]);
    if (!n) throw notFound();
    await journal(tx, { actor: p.actor, action: shared ? 'archives.rule.share' : 'archives.rule.unshare', subjectType: 'archive_rule', subjectId: code });
  });
}

export async function placeHold(db: Database, p: Principal, unitId: string, code: string, note: string): Promise<void> {
  requireArchivist(p);
  await db.transaction(p.tenantId, async (tx) => {
    const unit = await findUnit(tx, unitId);
    if (!unit || unit.eliminated_at) throw notFound();
    const rule = (await visibleLibrary(tx)).get(code);
    if (!rule || rule.category !== 'hold') throw unprocessable({ rule: [p.t('archives.error.rule_unknown', { code: code.slice(0, 64) })] });
    const n = await tx.execute(
      `insert into archives_unit_rules (tenant_id, unit_id, category, rule_code, start_date, note) values (app_tenant(), $1, 'hold', $2, current_date, $3) on conflict do nothing`,
      [unit.id, code, note.slice(0, 1000)],
    );
    if (!n) throw conflict(p.t('archives.hold.already'));
    await journal(tx, {
      actor: p.actor,
      action: 'archives.hold.place',
      subjectType: 'archive_unit',
      subjectId: unit.id,
      data: { rule: code, note: note.slice(0, 1000) },
    });
  });
}

export async function liftHold(db: Database, p: Principal, unitId: string, code: string): Promise<void> {
  requireArchivist(p);
  await db.transaction(p.tenantId, async (tx) => {
    const unit = await findUnit(tx, unitId);
    if (!unit) throw notFound();
    const n = await tx.execute(`delete from archives_unit_rules where unit_id = $1 and category = 'hold' and rule_code = $2`, [unit.id, code]);
    if (!n) throw notFound();
    await journal(tx, { actor: p.actor, action: 'archives.hold.lift', subjectType: 'archive_unit', subjectId: unit.id, data: { rule: code } });
  });
}
