/**
 * A rule string as a whole-value pattern: `*` is any run of characters (dots and spaces included), `?`
 * exactly one; everything else is literal. Callers lower-case pattern and value alike.
 *
 * Matched without a regular expression: `a*b*c*d` as `^a[\s\S]*b[\s\S]*c[\s\S]*d$` backtracks in time
 * polynomial in the text (its degree the number of stars), and the text can be a database user's
 * (an identifier in a statement). This greedy matcher, which backs up only to the last star, takes at
 * most (pattern length × text length) steps.
 */
export function compileWildcard(pattern: string): (text: string) => boolean {
  return (text) => {
    let p = 0;
    let t = 0;
    let star = -1; // pattern index of the last `*` seen
    let resume = 0; // text index that star's run would end at next
    while (t < text.length) {
      const c = pattern.charCodeAt(p);
      if (c === 42 /* * */) {
        star = p++;
        resume = t;
      } else if (c === 63 /* ? */) {
        p++;
        t += width(text, t);
      } else if (p < pattern.length && c === text.charCodeAt(t)) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        resume += width(text, resume);
        t = resume;
      } else {
        return false;
      }
    }
    while (pattern.charCodeAt(p) === 42) p++;
    return p === pattern.length;
  };
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Code units of the character at `at`: `?` and `*` step over whole characters, never half a surrogate pair. */
function width(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return c >= 0xd800 && c <= 0xdbff && at + 1 < text.length ? 2 : 1;
}
