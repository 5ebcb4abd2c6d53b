// The escapes of PostgreSQL's U&"…" identifiers and U&'…' strings, decoded the same way wherever names are read.
/** `\0061` → `a`, `\+000061` → `a`, `\\` → `\` (with the given escape character). Invalid escapes stay as written. */
export function decodeUnicodeEscapes(text: string, esc: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== esc) {
      out += text[i];
      continue;
    }
    if (text[i + 1] === esc) {
      out += esc;
      i++;
      continue;
    }
    const long = text[i + 1] === '+' ? /^[0-9A-Fa-f]{6}/.exec(text.slice(i + 2)) : null;
    const hex = long ?? /^[0-9A-Fa-f]{4}/.exec(text.slice(i + 1));
    const code = hex ? parseInt(hex[0], 16) : NaN;
    if (!hex || code > 0x10ffff) {
      out += text[i];
      continue;
    }
    out += String.fromCodePoint(code);
    i += hex[0].length + (long ? 1 : 0);
  }
  return out;
}
