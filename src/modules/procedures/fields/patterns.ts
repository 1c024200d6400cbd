// Designers' `pattern`s, evaluated by RE2 (re2js, a pure JavaScript port of Google's RE2), never by
// JavaScript's own RegExp. A pattern comes from one collectivité's designer and is run on anonymous
// answers in the process that serves every collectivité: with a backtracking engine, `(a|a)*b` against
// 34 letters froze the whole server for minutes. RE2 matches in time linear in the answer, times the size
// of the compiled pattern — so that size is bounded too (a 500-character pattern of nested counted
// repetitions compiles to 100,000 instructions, and 10,000 characters then take close to a minute):
// at most MAX_PROGRAM instructions, and instructions × answer length at most MAX_COST per answer and
// MAX_FILING_COST per filing. Measured with re2js 2.10 on Node 24: between 0.2 and 10 ns per
// instruction and character, so an answer costs at most about 10 ms and a whole filing about 0.5 s.
import { RE2JS } from 're2js';

/** Characters of a pattern, at most. */
export const MAX_PATTERN_LENGTH = 500;
/** Instructions of a compiled pattern, at most (`[A-Za-z' -]{1,200}` takes about 400). */
export const MAX_PROGRAM = 500;
/** Instructions × characters of one answer, at most (e.g. 100 instructions on a 10,000-character answer). */
export const MAX_COST = 1_000_000;
/** Instructions × characters of all the pattern-checked answers of one filing, at most. */
export const MAX_FILING_COST = 50_000_000;

export type PatternProblem = 'syntax' | 'unsupported' | 'too_long' | 'too_complex';
export type CompiledPattern = { ok: true; re: RE2JS; program: number } | { ok: false; problem: PatternProblem };

// Backreferences and lookarounds: valid for JavaScript, refused by RE2 (they are what makes matching
// exponential). Only used to explain a refusal better.
const JS_ONLY = /\\[1-9]|\\k<|\(\?<?[=!]/;

const cache = new Map<string, CompiledPattern>();
const CACHE_SIZE = 1000;

function compileUncached(pattern: string): CompiledPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) return { ok: false, problem: 'too_long' };
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch {
    return { ok: false, problem: JS_ONLY.test(pattern) ? 'unsupported' : 'syntax' };
  }
  // The program size is read from re2js's compiled program (typed `any` there: only numInst() is read). Should a later
  // version hide it, every pattern is refused rather than run unbounded (patterns.test.ts would fail).
  const program: unknown = (re.re2()?.prog as { numInst?: () => unknown } | undefined)?.numInst?.();
  if (typeof program !== 'number' || !(program <= MAX_PROGRAM)) return { ok: false, problem: 'too_complex' };
  return { ok: true, re, program };
}

/** A pattern compiled by RE2, or why it cannot be used. Compiled patterns are kept (a bounded cache). */
export function compilePattern(pattern: string): CompiledPattern {
  let compiled = cache.get(pattern);
  if (!compiled) {
    compiled = compileUncached(pattern);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** Why a pattern cannot be saved for answers of at most `maxLength` characters, or null when it can. */
export function patternProblem(pattern: string, maxLength: number): PatternProblem | null {
  const compiled = compilePattern(pattern);
  if (!compiled.ok) return compiled.problem;
  return compiled.program * maxLength > MAX_COST ? 'too_complex' : null;
}

/** What is left to spend on patterns in one filing (see MAX_FILING_COST); one per validation. */
export class PatternBudget {
  left = MAX_FILING_COST;
}

/**
 * Whether `value` matches `pattern` entirely (the HTML `pattern` attribute's semantics). `null` when the
 * pattern cannot be evaluated safely: RE2 refuses it (a revision saved before RE2 was used), or matching
 * would cost more than an answer or the filing may spend. Never throws.
 */
export function matchesWhole(pattern: string, value: string, budget?: PatternBudget): boolean | null {
  const compiled = compilePattern(pattern);
  if (!compiled.ok) return null;
  const cost = compiled.program * Math.max(value.length, 1);
  if (cost > MAX_COST || (budget && cost > budget.left)) return null;
  if (budget) budget.left -= cost;
  try {
    return compiled.re.testExact(value);
  } catch {
    return null;
  }
}
