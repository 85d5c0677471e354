import { RE2JS } from 're2js';

/**
 * Regular expressions written by users (an import template's MATCHES filter, an org's mobile
 * pattern) run on RE2 (re2js), whose matching time is linear in the input: a pattern like
 * `^(a+)+$` that backtracks for ever in JavaScript's RegExp costs no more than any other. RE2
 * has no backreferences and no lookaround; a pattern that needs them is refused when it is
 * saved, never run on a backtracking engine instead.
 */

/** Longest pattern accepted: RE2's program (and its memory) grows with the pattern. */
export const MAX_PATTERN_CHARS = 500;

/** A compiled user pattern: `test` answers like `RegExp.prototype.test` (a match anywhere). */
export interface UserPattern {
  readonly source: string;
  test(value: string): boolean;
}

export interface PatternSyntax {
  /**
   * Read the pattern as JavaScript reads it with the `u` flag (code points, strict escapes), as
   * import row filters are read; otherwise as JavaScript reads it without flags.
   */
  readonly unicode: boolean;
}

export type PatternVerdict =
  | { readonly ok: true; readonly pattern: UserPattern }
  | { readonly ok: false; readonly problem: 'TOO_LONG' | 'INVALID' | 'UNSUPPORTED'; readonly reason: string };

/** What JavaScript's `\s` matches (RE2's is ASCII only), as the inside of a character class. */
const JS_WHITESPACE = '\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
/** What JavaScript's `.` matches (RE2's stops only at `\n`). */
const JS_DOT = '[^\\n\\r\\x{2028}\\x{2029}]';
const PROPERTY_PREFIX = /^(?:Script|sc|General_Category|gc)=([A-Za-z_]+)$/;

/**
 * Spells what RE2 reads differently in RE2's way, so a pattern means what it meant to RegExp:
 * `.`, `\s` and `\S` (JavaScript's line ends and whitespace are Unicode's) and, with the `u` flag,
 * `\p{Script=Greek}` / `\p{gc=Lu}` (RE2 writes `\p{Greek}`, `\p{Lu}`). Only `\S` inside a
 * class keeps RE2's ASCII reading (a class cannot hold the negation of another).
 */
function toRe2Spelling(source: string, syntax: PatternSyntax): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const ch = source[i];
    if (ch === '\\' && i + 1 < source.length) {
      const next = source[i + 1];
      i += 1;
      // translateRegExp would read `\k<name>`, `\8` and `\9` as plain letters and digits: a backreference must be refused, not changed.
      if (!inClass && (next === 'k' || (next >= '1' && next <= '9'))) throw new Error(`backreference \\${next}`);
      if (next === 's') {
        out += inClass ? JS_WHITESPACE : `[${JS_WHITESPACE}]`;
      } else if (next === 'S' && !inClass) {
        out += `[^${JS_WHITESPACE}]`;
      } else if (syntax.unicode && (next === 'p' || next === 'P') && source[i + 1] === '{') {
        const close = source.indexOf('}', i + 2);
        const property = close > 0 ? PROPERTY_PREFIX.exec(source.slice(i + 2, close)) : null;
        out += property ? `\\${next}{${property[1]}}` : `\\${next}`;
        if (property) i = close;
      } else {
        out += `\\${next}`;
      }
      continue;
    }
    // With or without `u`, JavaScript classes do not nest: `[` inside one is a plain character.
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    out += ch === '.' && !inClass ? JS_DOT : ch;
  }
  return out;
}

/** Compiles a user's pattern for the linear-time engine, or says why it cannot be. */
export function compileUserPattern(source: string, syntax: PatternSyntax): PatternVerdict {
  if (source.length > MAX_PATTERN_CHARS) return { ok: false, problem: 'TOO_LONG', reason: `A pattern is at most ${MAX_PATTERN_CHARS} characters.` };
  try {
    // Only the syntax is checked here: compiling is linear, matching is what backtracks, and
    // this RegExp never matches anything. Users write JavaScript syntax, so JavaScript decides
    // what is well-formed and RE2 what can run.
    new RegExp(source, syntax.unicode ? 'u' : '');
  } catch (error) {
    return { ok: false, problem: 'INVALID', reason: (error as Error).message };
  }
  try {
    // translateRegExp turns JavaScript-only spellings (\uXXXX, \u{…}, \cX, [^], (?<name>…)) into RE2's.
    const engine = RE2JS.compile(RE2JS.translateRegExp(toRe2Spelling(source, syntax)));
    return { ok: true, pattern: { source, test: (value) => engine.test(value) } };
  } catch (error) {
    return {
      ok: false,
      problem: 'UNSUPPORTED',
      reason: `the linear-time engine (RE2) cannot run it: it has no backreferences, lookahead or lookbehind, and names Unicode classes briefly, like \\p{L} or \\p{Greek} (${(error as Error).message})`,
    };
  }
}

/** Thrown when a stored pattern, saved without these checks, cannot run on the linear-time engine. */
export class UnsupportedPatternError extends Error {
  override readonly name = 'UnsupportedPatternError';
}

/** Compiles a stored pattern (checked when it was saved); throws rather than fall back to a backtracking engine. */
export function storedUserPattern(source: string, syntax: PatternSyntax, what: string): UserPattern {
  const verdict = compileUserPattern(source, syntax);
  if (!verdict.ok) throw new UnsupportedPatternError(`The ${what} "${source}" cannot be used: ${verdict.reason}. Change it and try again.`);
  return verdict.pattern;
}
