/**
 * Splits a pgaudit payload into its fields, implementing exactly pgaudit's `append_valid_csv`:
 * a field is quoted only when it contains `,` `"` `\n` or `\r`, inner quotes are doubled, nothing is
 * trimmed (leading/trailing spaces are significant). An unterminated quote (Azure drops or cuts long
 * messages) keeps what was read and reports `truncated`.
 */
export interface SplitCsv {
  fields: string[];
  truncated: boolean;
}

export function splitAuditCsv(text: string): SplitCsv {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let start = i + 1;
      for (;;) {
        const quote = text.indexOf('"', start);
        if (quote === -1) {
          fields.push(value + text.slice(start));
          return { fields, truncated: true };
        }
        value += text.slice(start, quote);
        if (text.charCodeAt(quote + 1) === 34) {
          value += '"';
          start = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      fields.push(value);
      if (i >= n) return { fields, truncated: false };
      // After a closing quote only a comma may follow; anything else means the text was not pgaudit's.
      if (text.charCodeAt(i) !== 44 /* , */) {
        const comma = text.indexOf(',', i);
        fields[fields.length - 1] += text.slice(i, comma === -1 ? n : comma);
        if (comma === -1) return { fields, truncated: false };
        i = comma;
      }
      i += 1;
    } else {
      const comma = text.indexOf(',', i);
      if (comma === -1) {
        fields.push(text.slice(i));
        return { fields, truncated: false };
      }
      fields.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}
