import type { SourceFormat } from './SourceRecord';

// csvlog's first column is the timestamp with its zone (`UTC`, `+05`), then a comma. A stderr line with a `%m`
// prefix also starts with such a timestamp, but a space follows the zone (and the message may hold commas).
const CSVLOG_START = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [A-Za-z0-9+\-:]+,/;

/** Decides an input's format once, from its first non-empty line (never guessed per line). */
export function detectFormat(firstLine: string): SourceFormat {
  const text = firstLine.trimStart();
  if (text.startsWith('{') || text.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return 'pgsql-server-logs'; // a pretty-printed JSON document: the row reader reads it whole
    }
    const row = (Array.isArray(value) ? value[0] : value) as Record<string, unknown> | undefined;
    if (row && typeof row === 'object') {
      if ('error_severity' in row) return 'jsonlog';
      if ('properties' in row) return 'azure-blob';
      const keys = Array.isArray((row as { tables?: unknown }).tables)
        ? ((row as { tables: { columns?: { name: string }[] }[] }).tables[0]?.columns ?? []).map((c) => c.name)
        : Object.keys(row);
      if (keys.some((k) => k === 'Category' || k.endsWith('_s') || k.endsWith('_d'))) return 'azure-diagnostics';
    }
    return 'pgsql-server-logs';
  }
  return CSVLOG_START.test(text) ? 'csvlog' : 'stderr';
}
