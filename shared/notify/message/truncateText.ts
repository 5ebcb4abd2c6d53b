export interface Truncated {
  text: string;
  /** Characters of the original left out (0 when it fit). */
  omitted: number;
}

/**
 * The longest prefix of `text` whose escaped form fits in `max` characters, escaped. Cuts between
 * characters only (never inside an escape sequence or a surrogate pair), so it never fails and never
 * produces broken markup; the caller shows `omitted` to the reader.
 */
export function truncateEscaped(text: string, max: number, escape: (s: string) => string = (s) => s): Truncated {
  const whole = escape(text);
  if (whole.length <= max) return { text: whole, omitted: 0 };
  let out = '';
  let used = 0;
  for (const ch of text) {
    const piece = escape(ch);
    if (out.length + piece.length > max) break;
    out += piece;
    used += ch.length;
  }
  return { text: out, omitted: text.length - used };
}

/** A short visible note: ` … [truncated: 12,345 more characters]`. */
export function truncationNote(omitted: number): string {
  return `… [truncated: ${omitted.toLocaleString('en-US')} more characters]`;
}
