import { azureRowToRecord } from './azureRowToRecord';
import type { SourceItem } from './SourceRecord';

/**
 * Azure rows as NDJSON (one row object per line, streamed in constant memory), or as one JSON document:
 * a Log Analytics query response `{"tables":[{"columns":[...],"rows":[...]}]}` or an array of rows
 * (the portal's export). A document is necessarily read whole.
 */
export async function* readAzureRows(batches: AsyncIterable<string[]>, name: string, server: string | null): AsyncGenerator<SourceItem[]> {
  let lineNo = 0;
  let mode: 'start' | 'ndjson' | 'document' = 'start';
  let document = '';
  let documentStart = 0;
  for await (const batch of batches) {
    const out: SourceItem[] = [];
    for (const line of batch) {
      lineNo++;
      if (mode === 'document') {
        document += '\n' + line;
        continue;
      }
      if (line.trim() === '') continue;
      const row = tryParse(line);
      if (mode === 'start') {
        if (row === undefined || Array.isArray(row) || isQueryResponse(row)) {
          // A JSON document (possibly pretty-printed over many lines): read it whole.
          mode = 'document';
          document = line;
          documentStart = lineNo;
          continue;
        }
        mode = 'ndjson';
      }
      ndjsonRow(row, `${name}:${lineNo}`, server, out);
    }
    if (out.length > 0) yield out;
  }
  if (mode !== 'document') return;
  const doc = tryParse(document);
  if (doc !== undefined) {
    yield documentRows(doc, name, server);
    return;
  }
  // Not one document after all (NDJSON whose first row is broken): read it row by row, losing only bad rows.
  const out: SourceItem[] = [];
  document.split('\n').forEach((line, i) => {
    if (line.trim() !== '') ndjsonRow(tryParse(line), `${name}:${documentStart + i}`, server, out);
  });
  yield out;
}

/** One NDJSON line of Azure rows (as in the Storage archive) → its item, or a problem naming `location`. */
export function azureNdjsonLine(line: string, location: string, server: string | null, out: SourceItem[]): void {
  if (line.trim() !== '') ndjsonRow(tryParse(line), location, server, out);
}

function ndjsonRow(row: unknown, location: string, server: string | null, out: SourceItem[]): void {
  if (row === undefined) out.push({ problem: { location, message: 'not a JSON row' } });
  else rowItem(row, location, server, out);
}

function documentRows(doc: unknown, name: string, server: string | null): SourceItem[] {
  const out: SourceItem[] = [];
  if (Array.isArray(doc)) {
    doc.forEach((row, i) => rowItem(row, `${name}[${i}]`, server, out));
  } else if (isQueryResponse(doc)) {
    doc.tables.forEach((table, t) => {
      const columns = (table.columns ?? []).map((c) => c.name);
      (table.rows ?? []).forEach((values, r) => {
        const row: Record<string, unknown> = {};
        columns.forEach((column, i) => (row[column] = Array.isArray(values) ? values[i] : undefined));
        rowItem(row, `${name}: tables[${t}].rows[${r}]`, server, out);
      });
    });
  } else {
    out.push({ problem: { location: name, message: 'a JSON document that is neither an array of rows nor a Log Analytics query response' } });
  }
  return out;
}

function rowItem(row: unknown, location: string, server: string | null, out: SourceItem[]): void {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    out.push({ problem: { location, message: 'row is not a JSON object' } });
    return;
  }
  const item = azureRowToRecord(row as Record<string, unknown>, location, server);
  if (item !== null) out.push(item);
}

interface QueryResponse {
  tables: { columns?: { name: string }[]; rows?: unknown[][] }[];
}

function isQueryResponse(value: unknown): value is QueryResponse {
  return typeof value === 'object' && value !== null && Array.isArray((value as { tables?: unknown }).tables);
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
