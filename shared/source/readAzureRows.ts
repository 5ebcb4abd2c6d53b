import { azureRowToRecord } from './azureRowToRecord';
import { decodeJsonRow } from './decodeJsonRow';
import { exceedsJsonDepth } from './exceedsJsonDepth';
import { parseJsonPrefix } from './parseJsonPrefix';
import type { LineBatch } from './readLines';
import { MAX_DOCUMENT_CHARS, MAX_JSON_DEPTH } from './sourceLimits';
import type { SourceItem } from './SourceRecord';

/**
 * Azure rows as NDJSON (one row object per line, streamed in constant memory), or as one JSON document:
 * a Log Analytics query response `{"tables":[{"columns":[...],"rows":[...]}]}` or an array of rows
 * (the portal's export). A document is necessarily read whole, up to MAX_DOCUMENT_CHARS.
 */
export async function* readAzureRows(batches: AsyncIterable<LineBatch>, name: string, server: string | null): AsyncGenerator<SourceItem[]> {
  let lineNo = 0;
  let mode: 'start' | 'ndjson' | 'document' | 'too-large' = 'start';
  let document: string[] = [];
  let documentChars = 0;
  for await (const { lines, cut } of batches) {
    const out: SourceItem[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      lineNo++;
      if (mode === 'document') {
        documentChars += line.length + 1;
        if (documentChars > MAX_DOCUMENT_CHARS || cut?.has(i)) {
          mode = 'too-large';
          document = [];
        } else {
          document.push(line);
        }
        continue;
      }
      if (mode === 'too-large' || line.trim() === '') continue;
      const location = `${name}:${lineNo}`;
      if (mode === 'start') {
        mode = startsDocument(line) ? 'document' : 'ndjson';
        if (mode === 'document') {
          // A JSON document (possibly pretty-printed over many lines): read it whole.
          document = [line];
          documentChars = line.length;
          if (cut?.has(i)) mode = 'too-large';
          continue;
        }
      }
      const decoded = decodeJsonRow(line, cut?.has(i) === true);
      if ('problem' in decoded) out.push({ problem: { location, message: decoded.problem } });
      else azureRowItem(decoded.value, location, server, out, cut?.has(i) === true);
    }
    if (out.length > 0) yield out;
  }
  if (mode === 'too-large') {
    yield [{ problem: { location: name, message: `a JSON document larger than ${MAX_DOCUMENT_CHARS >> 20} MiB is not read; export the rows as NDJSON (one JSON row per line)` } }];
    return;
  }
  if (mode !== 'document') return;
  const text = document.join('\n');
  document = [];
  if (exceedsJsonDepth(text, MAX_JSON_DEPTH)) {
    yield [{ problem: { location: name, message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` } }];
    return;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // A document cut short (an export interrupted): its rows up to the cut are still rows.
    doc = parseJsonPrefix(text, MAX_JSON_DEPTH);
    const rows = doc === undefined ? [] : documentRows(doc, name, server);
    rows.push({ problem: { location: name, message: 'not a whole JSON document (cut short?): read up to where it ends' } });
    yield rows;
    return;
  }
  yield documentRows(doc, name, server);
}

/**
 * Whether the first line opens a JSON document rather than being the first NDJSON row: an array, a
 * query response, or a lone `{` of a pretty-printed one. A first row that is merely broken (`{"Time…`
 * cut short) is an NDJSON row: it is counted as malformed and the rows after it are read.
 */
function startsDocument(line: string): boolean {
  const text = line.trim();
  if (text.startsWith('[')) return true;
  if (text === '{') return true;
  return /^\{\s*"tables"\s*:/.test(text);
}

function documentRows(doc: unknown, name: string, server: string | null): SourceItem[] {
  const out: SourceItem[] = [];
  if (Array.isArray(doc)) {
    doc.forEach((row, i) => azureRowItem(row, `${name}[${i}]`, server, out, false));
  } else if (isQueryResponse(doc)) {
    doc.tables.forEach((table, t) => {
      const columns = (table.columns ?? []).map((c) => c.name);
      (table.rows ?? []).forEach((values, r) => {
        const row: Record<string, unknown> = {};
        columns.forEach((column, i) => (row[column] = Array.isArray(values) ? values[i] : undefined));
        azureRowItem(row, `${name}: tables[${t}].rows[${r}]`, server, out, false);
      });
    });
  } else if (typeof doc === 'object' && doc !== null) {
    // A pretty-printed single row.
    azureRowItem(doc, `${name}:1`, server, out, false);
  } else {
    out.push({ problem: { location: name, message: 'a JSON document that is neither an array of rows nor a Log Analytics query response' } });
  }
  return out;
}

/**
 * One NDJSON line of Azure rows (the Storage archive's) → its item, or a problem naming `location`; exactly
 * what readAzureRows does for each NDJSON line. `cut`: the line was longer than MAX_RECORD_CHARS and cut.
 */
export function azureNdjsonLine(line: string, location: string, server: string | null, out: SourceItem[], cut = false): void {
  if (line.trim() === '') return;
  const decoded = decodeJsonRow(line, cut);
  if ('problem' in decoded) out.push({ problem: { location, message: decoded.problem } });
  else azureRowItem(decoded.value, location, server, out, cut);
}

/** One decoded Azure row (any shape azureRowToRecord reads) → its item, or a problem naming `location`. */
export function azureRowItem(row: unknown, location: string, server: string | null, out: SourceItem[], oversized: boolean): void {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    out.push({ problem: { location, message: 'row is not a JSON object' } });
    return;
  }
  const item = azureRowToRecord(row as Record<string, unknown>, location, server);
  if (item === null) return;
  if (oversized && 'record' in item) item.record.oversized = true;
  out.push(item);
}

interface QueryResponse {
  tables: { columns?: { name: string }[]; rows?: unknown[][] }[];
}

function isQueryResponse(value: unknown): value is QueryResponse {
  return typeof value === 'object' && value !== null && Array.isArray((value as { tables?: unknown }).tables);
}
