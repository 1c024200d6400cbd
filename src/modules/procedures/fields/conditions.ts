// Conditions over answers (visibleIf / requiredIf, routing rules), evaluated on the server. A JavaScript
// enhancement may mirror them in the browser; the server's answer is the one that counts.
import type { Condition } from './definition.ts';

export type Answers = Record<string, unknown>;

function isFilled(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function asComparable(value: unknown): number | string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value !== '') {
    const n = Number(value.replace(',', '.'));
    return /^-?\d+([.,]\d+)?$/.test(value) && Number.isFinite(n) ? n : value;
  }
  return null;
}

function equals(answer: unknown, expected: unknown): boolean {
  if (Array.isArray(answer)) return answer.some((a) => equals(a, expected));
  if (typeof answer === 'boolean' || typeof expected === 'boolean') return String(answer) === String(expected);
  if (answer === undefined || answer === null) return false;
  if (typeof answer === 'object') return false;
  return String(answer) === String(expected);
}

/** True when the condition holds for these answers. Depth-bounded so a hostile definition cannot recurse forever. */
export function evaluateCondition(condition: Condition, answers: Answers, depth = 0): boolean {
  if (depth > 20 || !condition || typeof condition !== 'object') return false;
  if ('all' in condition) return Array.isArray(condition.all) && condition.all.every((c) => evaluateCondition(c, answers, depth + 1));
  if ('any' in condition) return Array.isArray(condition.any) && condition.any.some((c) => evaluateCondition(c, answers, depth + 1));
  const answer = Object.hasOwn(answers, condition.field) ? answers[condition.field] : undefined;
  switch (condition.op) {
    case 'filled':
      return isFilled(answer);
    case 'empty':
      return !isFilled(answer);
    case 'equals':
      return equals(answer, condition.value);
    case 'not_equals':
      return !equals(answer, condition.value);
    case 'gt':
    case 'lt': {
      const a = asComparable(answer);
      const b = asComparable(condition.value);
      if (a === null || b === null || typeof a !== typeof b) return false;
      return condition.op === 'gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** Keys of the fields a condition reads. */
export function conditionFields(condition: Condition, out: string[] = [], depth = 0): string[] {
  if (depth > 20 || !condition || typeof condition !== 'object') return out;
  if ('all' in condition && Array.isArray(condition.all)) for (const c of condition.all) conditionFields(c, out, depth + 1);
  else if ('any' in condition && Array.isArray(condition.any)) for (const c of condition.any) conditionFields(c, out, depth + 1);
  else if ('field' in condition) out.push(condition.field);
  return out;
}
