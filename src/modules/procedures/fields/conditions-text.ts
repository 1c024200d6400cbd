// Conditions said in words. Without JavaScript every conditional field is shown, with a hint telling
// when it applies ("À remplir seulement si « Vous êtes » vaut « Une association »"); the server then
// drops the answers of fields whose condition does not hold.
import type { Translate } from '../../../core/i18n/i18n.ts';
import { optionsOf, type Condition, type FieldDefinition } from './definition.ts';

function findField(fields: FieldDefinition[], key: string): FieldDefinition | undefined {
  for (const f of fields) {
    if (f.key === key) return f;
    const inner = f.fields ? findField(f.fields, key) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

function valueText(t: Translate, field: FieldDefinition | undefined, value: string | number | boolean): string {
  if (typeof value === 'boolean') return t(value ? 'procedures.web.yes' : 'procedures.web.no');
  if (field?.type === 'yes_no' || field?.type === 'checkbox') {
    if (value === 'true') return t('procedures.web.yes');
    if (value === 'false') return t('procedures.web.no');
  }
  const option = field ? optionsOf(field).find((o) => o.value === String(value)) : undefined;
  return option ? option.label : String(value);
}

export function describeCondition(t: Translate, condition: Condition, fields: FieldDefinition[]): string {
  if ('all' in condition) return condition.all.map((c) => wrap(t, c, fields)).join(t('procedures.web.cond.and'));
  if ('any' in condition) return condition.any.map((c) => wrap(t, c, fields)).join(t('procedures.web.cond.or'));
  const field = findField(fields, condition.field);
  const label = field?.label ?? condition.field;
  if (!('value' in condition)) return t(`procedures.web.cond.${condition.op}`, { field: label });
  return t(`procedures.web.cond.${condition.op}`, { field: label, value: valueText(t, field, condition.value) });
}

function wrap(t: Translate, condition: Condition, fields: FieldDefinition[]): string {
  const text = describeCondition(t, condition, fields);
  return 'all' in condition || 'any' in condition ? `(${text})` : text;
}
