import { RE2JS } from 're2js';

/** A rule's `{ regex: ... }`, compiled for the linear-time engine. */
export interface RuleRegex {
  /** Case-insensitive, found anywhere in the text. */
  test(text: string): boolean;
}

/**
 * Constructs that need backtracking, which RE2 refuses: named here so the message says what to change
 * (RE2's own message for them is about a "named capture" or an "escape sequence").
 */
const UNSUPPORTED: [RegExp, string][] = [
  [/\(\?<=/, 'a lookbehind `(?<=…)`'],
  [/\(\?<!/, 'a negative lookbehind `(?<!…)`'],
  [/\(\?=/, 'a lookahead `(?=…)`'],
  [/\(\?!/, 'a negative lookahead `(?!…)`'],
  [/\\[1-9]/, 'a backreference (`\\1`…`\\9`)'],
  [/\\k</, 'a named backreference `\\k<…>`'],
  [/\(\?>/, 'an atomic group `(?>…)`'],
];

/**
 * Compiles a rule regex with RE2 (re2js, a pure-JavaScript port): matching time is linear in the text
 * whatever the pattern, so no statement a database user writes can stall a scan (`^(a+)+$` against
 * `aaaa…b` is a hang for JavaScript's backtracking engine). The syntax is JavaScript's without
 * backreferences and lookarounds; a pattern using them is refused with the construct named.
 */
export function compileRuleRegex(source: string): RuleRegex | { problem: string } {
  const plain = withoutEscapedBackslashes(source);
  for (const [construct, name] of UNSUPPORTED) {
    if (construct.test(plain)) {
      return { problem: `uses ${name}, which the linear-time regex engine (RE2) cannot run; rewrite the pattern without it` };
    }
  }
  try {
    const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    return { test: (text) => re.test(text) };
  } catch (err) {
    return { problem: `invalid regular expression: ${(err as Error).message} (RE2 syntax)` };
  }
}

/** `\\` replaced by two inert characters, so `\\1` (a backslash, then 1) is not read as a backreference. */
function withoutEscapedBackslashes(source: string): string {
  return source.replace(/\\\\/g, '__');
}
