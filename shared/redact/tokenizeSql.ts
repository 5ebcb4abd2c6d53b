/**
 * Just enough of PostgreSQL's lexer to know what is code and what is quoted: string constants
 * ('...' with '' doubling, E'...' with backslash escapes, N'/B'/X'/U&' prefixes), dollar-quoted
 * strings ($$...$$, $tag$...$tag$), quoted identifiers, -- and (nested) block comments.
 * Truncated input (Azure cuts long messages) is normal: an unterminated token runs to the end.
 * Concatenating every token's `raw` gives the input back exactly.
 *
 * `backslashQuotes` lexes as a server with `standard_conforming_strings = off` would: backslash
 * escapes in every '...' string, not only in E'...'. The log does not say which setting was in force.
 */
export type SqlToken =
  | { kind: 'code'; raw: string }
  | { kind: 'string'; raw: string; prefix: string; escapes: boolean; body: string; terminated: boolean }
  | { kind: 'dollar'; raw: string; tag: string; body: string; terminated: boolean }
  | { kind: 'identifier'; raw: string; name: string; terminated: boolean }
  | { kind: 'comment'; raw: string; open: string; body: string; close: string };

const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uFFFF]/;
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/y;

export function tokenizeSql(text: string, backslashQuotes = false): SqlToken[] {
  const tokens: SqlToken[] = [];
  let codeStart = 0;
  let i = 0;
  const flushCode = (end: number) => {
    if (end > codeStart) tokens.push({ kind: 'code', raw: text.slice(codeStart, end) });
  };
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "'") {
      const prefix = stringPrefix(text, codeStart, i);
      flushCode(i - prefix.length);
      const escapes = prefix.toUpperCase() === 'E' || (backslashQuotes && prefix.toUpperCase() !== 'U&');
      const { end, terminated } = scanString(text, i + 1, escapes);
      const raw = text.slice(i - prefix.length, end);
      tokens.push({ kind: 'string', raw, prefix, escapes, body: text.slice(i + 1, terminated ? end - 1 : end), terminated });
      i = codeStart = end;
    } else if (c === '"') {
      flushCode(i);
      const { end, terminated } = scanDoubled(text, i + 1, '"');
      const raw = text.slice(i, end);
      tokens.push({ kind: 'identifier', raw, name: text.slice(i + 1, terminated ? end - 1 : end).replace(/""/g, '"'), terminated });
      i = codeStart = end;
    } else if (c === '-' && next === '-') {
      flushCode(i);
      const newline = text.indexOf('\n', i);
      const end = newline < 0 ? text.length : newline;
      tokens.push({ kind: 'comment', raw: text.slice(i, end), open: '--', body: text.slice(i + 2, end), close: '' });
      i = codeStart = end;
    } else if (c === '/' && next === '*') {
      flushCode(i);
      const end = scanBlockComment(text, i + 2);
      const terminated = end - i >= 4 && text.startsWith('*/', end - 2);
      tokens.push({ kind: 'comment', raw: text.slice(i, end), open: '/*', body: text.slice(i + 2, terminated ? end - 2 : end), close: terminated ? '*/' : '' });
      i = codeStart = end;
    } else if (c === '$' && (i === codeStart || !IDENT_CHAR.test(text[i - 1]!))) {
      DOLLAR_TAG.lastIndex = i;
      const m = DOLLAR_TAG.exec(text);
      if (!m) {
        i++;
        continue;
      }
      flushCode(i);
      const tag = m[0];
      const close = text.indexOf(tag, i + tag.length);
      const end = close < 0 ? text.length : close + tag.length;
      tokens.push({ kind: 'dollar', raw: text.slice(i, end), tag, body: text.slice(i + tag.length, close < 0 ? end : close), terminated: close >= 0 });
      i = codeStart = end;
    } else {
      i++;
    }
  }
  flushCode(text.length);
  return tokens;
}

/** E'..', N'..', B'..', X'..', U&'..': the prefix letters belong to the string, unless part of a longer word. */
function stringPrefix(text: string, codeStart: number, quote: number): string {
  for (const p of ['U&', 'E', 'N', 'B', 'X']) {
    const start = quote - p.length;
    if (start < codeStart) continue;
    if (text.slice(start, quote).toUpperCase() !== p) continue;
    if (start > 0 && IDENT_CHAR.test(text[start - 1]!)) continue;
    return text.slice(start, quote);
  }
  return '';
}

function scanString(text: string, from: number, escapes: boolean): { end: number; terminated: boolean } {
  if (!escapes) return scanDoubled(text, from, "'");
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') i += 2;
    else if (c === "'") {
      if (text[i + 1] === "'") i += 2;
      else return { end: i + 1, terminated: true };
    } else i++;
  }
  return { end: text.length, terminated: false };
}

/** A quoted run where the quote is escaped by doubling it. */
function scanDoubled(text: string, from: number, quote: string): { end: number; terminated: boolean } {
  let i = from;
  for (;;) {
    const q = text.indexOf(quote, i);
    if (q < 0) return { end: text.length, terminated: false };
    if (text[q + 1] === quote) i = q + 2;
    else return { end: q + 1, terminated: true };
  }
}

/** PostgreSQL block comments nest. */
function scanBlockComment(text: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}
