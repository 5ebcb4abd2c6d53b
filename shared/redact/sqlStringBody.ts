/**
 * The value of a string constant's body and back. Used only when redaction changed a string:
 * unchanged strings keep their original spelling.
 */
export function decodeStringBody(body: string, escapes: boolean): string {
  if (!escapes) return body.replace(/''/g, "'");
  return body.replace(/''|\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([\s\S]))?/g, (m, oct, hex, u4, u8, other) => {
    if (m === "''") return "'";
    if (oct) return String.fromCharCode(parseInt(oct, 8) & 0xff);
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    const code = u4 ?? u8;
    if (code) {
      const n = parseInt(code, 16);
      return n <= 0x10ffff ? String.fromCodePoint(n) : '';
    }
    if (other === undefined) return '';
    return ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[other] ?? other;
  });
}

/**
 * Only `'` and `\\` need escaping; control characters stay as they are (valid inside any string),
 * so a value encodes the same whether its string reads backslashes or not, unless it holds one.
 */
export function encodeStringBody(value: string, escapes: boolean): string {
  if (!escapes) return value.replace(/'/g, "''");
  return value.replace(/[\\']/g, (c) => (c === '\\' ? '\\\\' : "''"));
}

/** The value of a U&'...' body: `\XXXX`, `\+XXXXXX` and `\\` decoded (the default escape character). */
export function decodeUnicodeBody(body: string): string {
  return body.replace(/''|\\(?:\\|([0-9A-Fa-f]{4})|\+([0-9A-Fa-f]{6}))?/g, (m, u4?: string, u6?: string) => {
    if (m === "''") return "'";
    if (m === '\\\\') return '\\';
    const code = u4 ?? u6;
    if (!code) return m;
    const n = parseInt(code, 16);
    return n <= 0x10ffff ? String.fromCodePoint(n) : '';
  });
}

export function encodeUnicodeBody(value: string): string {
  return value.replace(/[\\']/g, (c) => (c === '\\' ? '\\\\' : "''"));
}
