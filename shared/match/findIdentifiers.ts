import { normalizeIdentifier } from '../model/normalizeIdentifier';

// One identifier: quoted (with "" escapes), Unicode-escaped, or plain (letters, digits, _, $, any non-ASCII letter).
// A `U&"…"` identifier (with an optional UESCAPE) comes first, so its `U` is not read as a name of its own.
const PART = String.raw`(?:[Uu]&"(?:[^"]|"")+"(?:\s*UESCAPE\s*'[^']')?|"(?:[^"]|"")+"|[A-Za-z_-￿][A-Za-z0-9_$-￿]*)`;
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
