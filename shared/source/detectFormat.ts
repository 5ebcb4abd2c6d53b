import { exceedsJsonDepth } from './exceedsJsonDepth';
import { MAX_JSON_DEPTH } from './sourceLimits';
import type { SourceFormat } from './SourceRecord';

// csvlog's first column is the timestamp with its zone (`UTC`, `+05`), then a comma. A stderr line with a `%m`
// prefix also starts with such a timestamp, but a space follows the zone (and the message may hold commas).
const CSVLOG_START = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [A-Za-z0-9+\-:]+,/;

/**
 * Decides an input's format once, from its first non-empty line (never guessed per line). When that
 * line is JSON that does not parse (a broken first row), the next lines already read (`following`)
 * that do parse decide, else the column names the broken line shows.
 */
export function detectFormat(firstLine: string, following: readonly string[] = []): SourceFormat {
  const text = firstLine.trimStart();
  if (text.startsWith('{') || text.startsWith('[')) {
    // A pretty-printed OpenSearch search response (`curl .../_search?pretty`): its first key says so.
    if (/^\{\s*$/.test(text) && /^\s*"(?:took|timed_out|_shards|hits|pit_id)"\s*:/.test(following[0] ?? '')) return 'opensearch';
    let value = parseJson(text);
    if (value === undefined && !/^\[\s*$|^\{\s*$|^\{\s*"tables"/.test(text)) {
      // Not the first line of a pretty-printed document: a broken NDJSON row; the next whole row decides.
      for (const line of following) if ((value = parseJson(line.trim())) !== undefined) break;
    }
    if (value === undefined) return formatFromKeys(text);
    const row = (Array.isArray(value) ? value[0] : value) as Record<string, unknown> | undefined;
    if (row && typeof row === 'object') {
      if ('error_severity' in row) return 'jsonlog';
      if (isOpenSearch(row)) return 'opensearch';
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

/**
 * OpenSearch documents: a search response (`hits`), a hit (`_source`), or a journald-style `_source` as
 * Aiven's log integration writes (`MESSAGE`); no Azure row has these keys.
 */
function isOpenSearch(row: Record<string, unknown>): boolean {
  return '_source' in row || 'MESSAGE' in row || (typeof row.hits === 'object' && row.hits !== null);
}

function parseJson(text: string): unknown {
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return exceedsJsonDepth(text, MAX_JSON_DEPTH) ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/** A first line that is not whole JSON: decided by the column names it shows (a row cut short still has its first ones). */
function formatFromKeys(text: string): SourceFormat {
  if (text.includes('"error_severity"')) return 'jsonlog';
  if (/^\{\s*"(?:took|timed_out|_shards|hits|_index|_source|MESSAGE)"\s*:/.test(text)) return 'opensearch';
  if (/^\{\s*"properties"\s*:/.test(text)) return 'azure-blob';
  if (/"(?:Category|[A-Za-z]+_[sd])"\s*:/.test(text)) return 'azure-diagnostics';
  return 'pgsql-server-logs';
}
