import { normalizeIdentifier } from './normalizeIdentifier';

// One identifier: quoted (with "" escapes) or plain (letters, digits, _, $, any non-ASCII letter).
const PART = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_\u0080-\uFFFF][A-Za-z0-9_$\u0080-\uFFFF]*)`;
const CHAIN = new RegExp(`${PART}(?:\\s*\\.\\s*${PART})*`, 'gu');

/**
 * Every (possibly schema-qualified) identifier chain in SQL text, normalized (see normalizeIdentifier).
 * String literals are deliberately NOT skipped: dynamic SQL in DO blocks and functions
 * (`EXECUTE 'GRANT SELECT ON sales.cards TO x'`) names objects inside strings, and missing an
 * incident is worse than the rare alert on a table name quoted in a literal.
 */
export function findIdentifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(CHAIN)) found.push(normalizeIdentifier(m[0]));
  return found;
}
