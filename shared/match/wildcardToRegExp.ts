/**
 * A rule string as a whole-value pattern (case-insensitive unless `caseless` is false): `*` is any run of
 * characters (dots and spaces included), `?` exactly one; everything else is literal.
 */
export function wildcardToRegExp(pattern: string, caseless = true): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, caseless ? 'iu' : 'u');
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
