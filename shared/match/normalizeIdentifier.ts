/**
 * An object name as rules compare it: identifier quotes removed (`""` inside quotes is one `"`),
 * whitespace around dots dropped, lower-cased. So `sales."Kundenüberblick"`, `SALES.kundenüberblick`
 * and `sales . "Kundenüberblick"` compare equal; a quoted name that itself contains a dot keeps it
 * (rare enough that treating it as a separator would be the bigger mistake).
 */
export function normalizeIdentifier(name: string): string {
  // Split and trimmed, not /\s*\.\s*/g: that regex takes time quadratic in a run of spaces without a dot.
  if (!name.includes('"')) return name.includes('.') ? name.split('.').map(trimAroundDot).join('.').toLowerCase() : name.toLowerCase();
  let out = '';
  let i = 0;
  while (i < name.length) {
    const ch = name[i]!;
    if (ch === '"') {
      i++;
      while (i < name.length) {
        if (name[i] === '"') {
          if (name[i + 1] === '"') {
            out += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        out += name[i];
        i++;
      }
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    out += ch;
    i++;
  }
  return out.toLowerCase();
}

function trimAroundDot(part: string, i: number, parts: string[]): string {
  if (i === 0) return part.trimEnd();
  return i === parts.length - 1 ? part.trimStart() : part.trim();
}
