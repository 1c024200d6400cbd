// Schema `pattern`s run on RE2 (re2js), never on JavaScript's backtracking RegExp: a schema may come from
// anyone who uploads one, and `(a|a)*b` on a long cell would freeze the process for every collectivité
// (the reasoning of src/modules/procedures/fields/patterns.ts, which this mirrors for whole files).
// Table Schema patterns are XML Schema / Python regular expressions matched against the whole value;
// Python's `\uXXXX` escapes (used by SCDL schemas) are rewritten to RE2's `\x{XXXX}`.
import { RE2JS } from 're2js';

/** Characters of a pattern, at most. */
export const MAX_PATTERN_LENGTH = 2000;
/** Instructions of a compiled pattern, at most. */
export const MAX_PROGRAM = 2000;
/** Instructions × characters of one cell, at most (beyond it the cell is not pattern-checked: a warning). */
export const MAX_COST = 20_000_000;

const MEMO_SIZE = 4096;
const MEMO_VALUE_LENGTH = 64;

export class PatternError extends Error {}

export interface Pattern {
  source: string;
  program: number;
  /** Whether the whole value matches; null when the cell is too long to check at a bounded cost. */
  test(value: string): boolean | null;
}

export function compileTableSchemaPattern(source: string): Pattern {
  if (source.length > MAX_PATTERN_LENGTH) throw new PatternError(`pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  const translated = source.replace(/(\\+)u([0-9a-fA-F]{4})/g, (all, slashes: string, hex: string) =>
    slashes.length % 2 === 1 ? `${slashes.slice(1)}\\x{${hex}}` : all,
  );
  let re: RE2JS;
  try {
    re = RE2JS.compile(translated);
  } catch (error) {
    const why = (error as Error).message.replace(/^error parsing regexp: /, '');
    throw new PatternError(
      /\\[1-9]|\\k<|\(\?<?[=!]/.test(source)
        ? `pattern "${source}" uses a back-reference or a look-around, which RE2 refuses (${why})`
        : `pattern "${source}" is not a valid regular expression (${why})`,
    );
  }
  // re2js types its compiled program as `any`; only numInst() is read.
  const program: unknown = (re.re2()?.prog as { numInst?: () => unknown } | undefined)?.numInst?.();
  if (typeof program !== 'number' || !(program <= MAX_PROGRAM))
    throw new PatternError(`pattern "${source}" is too complex (more than ${MAX_PROGRAM} RE2 instructions)`);
  // Real columns repeat their values (a SIRET per collectivité, dates, codes): short values' verdicts are
  // remembered, in a map emptied when it reaches MEMO_SIZE entries, so memory stays bounded.
  const memo = new Map<string, boolean>();
  return {
    source,
    program,
    test(value) {
      if (value.length <= MEMO_VALUE_LENGTH) {
        const known = memo.get(value);
        if (known !== undefined) return known;
      }
      if (program * Math.max(value.length, 1) > MAX_COST) return null;
      const result = re.testExact(value);
      if (value.length <= MEMO_VALUE_LENGTH) {
        if (memo.size >= MEMO_SIZE) memo.clear();
        memo.set(value, result);
      }
      return result;
    },
  };
}
