/**
 * Characters that rewrite or hide what a reader sees: C0/C1 controls (ESC sequences rewrite a
 * terminal, CR hides a line), bidi embeddings, overrides, isolates and marks (U+202E reverses
 * text), zero-width and other invisible characters, line/paragraph separators, Unicode tag
 * characters and lone surrogates. Shown as visible escapes instead (`\x1b`, `\u202E`).
 */
const INVISIBLE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const INVISIBLE_OR_BREAK = new RegExp(`${INVISIBLE.source}|[\\n\\t]`, 'g');

/** Database text for a terminal, a plain-text email or a code block: newlines and tabs stay. */
export function plainText(text: string): string {
  return text.replace(INVISIBLE, visibleEscape);
}

/** Database text for a one-line field or title: newlines and tabs are escaped too, so no line can be forged. */
export function singleLine(text: string): string {
  return text.replace(INVISIBLE_OR_BREAK, visibleEscape);
}

function visibleEscape(c: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  if (named[c]) return named[c];
  const code = c.codePointAt(0)!;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\\u{${code.toString(16).toUpperCase()}}`;
}

/**
 * JSON text with the invisible characters (those JSON.stringify leaves raw: C1 controls, bidi,
 * zero-width, separators) as `\uXXXX` escapes: the same JSON value, harmless on a terminal.
 */
export function jsonWithVisibleEscapes(json: string): string {
  INVISIBLE.lastIndex = 0;
  if (!INVISIBLE.test(json)) return json;
  return json.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}${c.length > 1 ? `\\u${c.charCodeAt(1).toString(16).padStart(4, '0')}` : ''}`);
}
