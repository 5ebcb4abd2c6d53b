import { decodeUnicodeEscapes } from './decodeUnicodeEscapes';
/**
 * A (possibly qualified) object name as PostgreSQL resolves it, for comparing names in rules and events:
 * unquoted identifiers are folded to lower case (ASCII letters only, as PostgreSQL does in UTF-8), quoted
 * ones are kept exactly (`""` inside is one `"`), `U&"…"` identifiers are decoded (`\XXXX`, `\+XXXXXX`,
 * `UESCAPE 'c'`), and whitespace around the dots is dropped. So `Sales.Cards`, `sales."cards"` and
 * `U&"s\0061les".cards` are all `sales.cards`, while `sales."Cards"` stays `sales.Cards` (another table).
 * A quoted name that itself contains a dot keeps it. Rule wildcards (`*`, `?`) pass through unchanged.
 */
export function normalizeIdentifier(name: string): string {
  let out = '';
  let i = 0;
  const n = name.length;
  while (i < n) {
    const ch = name[i]!;
    const unicode = (ch === 'U' || ch === 'u') && name[i + 1] === '&' && name[i + 2] === '"';
    if (ch === '"' || unicode) {
      i += unicode ? 3 : 1;
      let raw = '';
      while (i < n) {
        if (name[i] === '"') {
          if (name[i + 1] === '"') {
            raw += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        raw += name[i];
        i++;
      }
      if (unicode) {
        const escape = /^\s*UESCAPE\s*'(.)'/i.exec(name.slice(i));
        if (escape) i += escape[0].length;
        raw = decodeUnicodeEscapes(raw, escape ? escape[1]! : '\\');
      }
      out += raw;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    out += ch >= 'A' && ch <= 'Z' ? ch.toLowerCase() : ch;
    i++;
  }
  return out;
}
