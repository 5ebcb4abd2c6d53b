/**
 * Database text for a terminal or a plain-text email: control characters (ESC sequences could
 * rewrite the terminal, CR could hide a line) become visible `\xNN`; newlines and tabs stay.
 */
export function plainText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
