/**
 * Whether JSON text nests deeper than `limit` (arrays and objects), found without building anything.
 * Text with fewer than `limit` brackets in all cannot, which settles almost every row with a few
 * indexOf calls; only the rest are scanned character by character (skipping strings).
 */
export function exceedsJsonDepth(text: string, limit: number): boolean {
  if (countBrackets(text, limit + 1) <= limit) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 92 /* \ */) i++;
        else if (s === 34) break;
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    }
  }
  return false;
}

/** `{` and `[` in the text, counting no further than `enough`. */
function countBrackets(text: string, enough: number): number {
  let n = 0;
  for (let i = text.indexOf('{'); i !== -1 && n < enough; i = text.indexOf('{', i + 1)) n++;
  for (let i = text.indexOf('['); i !== -1 && n < enough; i = text.indexOf('[', i + 1)) n++;
  return n;
}
