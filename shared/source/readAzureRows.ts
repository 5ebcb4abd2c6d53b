import { azureRowToRecord } from './azureRowToRecord';
import type { SourceItem } from './SourceRecord';

/**
 * Azure rows as NDJSON (one row object per line, streamed in constant memory), or as one JSON document:
 * a Log Analytics query response `{"tables":[{"columns":[...],"rows":[...]}]}` or an array of rows
 * (the portal's export). A document is necessarily read whole.
 */
export async function* readAzureRows(lines: AsyncIterable<string>, name: string, server: string | null): AsyncGenerator<SourceItem> {
  const iterator = lines[Symbol.asyncIterator]();
  let lineNo = 0;
  let first: string | undefined;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    lineNo++;
    if (next.value.trim() !== '') {
      first = next.value;
      break;
    }
  }
  const firstLineNo = lineNo;
  const parsedFirst = tryParse(first);
  if (parsedFirst === undefined || Array.isArray(parsedFirst) || isQueryResponse(parsedFirst)) {
    // A JSON document (possibly pretty-printed over many lines): read it whole.
    let text = first;
    if (parsedFirst === undefined) {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) text += '\n' + next.value;
    }
    yield* documentRows(parsedFirst ?? tryParse(text), name, server);
    return;
  }
  yield* rowItem(parsedFirst, `${name}:${firstLineNo}`, server);
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    lineNo++;
    if (next.value.trim() === '') continue;
    const location = `${name}:${lineNo}`;
    const row = tryParse(next.value);
    if (row === undefined) yield { problem: { location, message: 'not a JSON row' } };
    else yield* rowItem(row, location, server);
  }
}

function* documentRows(doc: unknown, name: string, server: string | null): Generator<SourceItem> {
  if (Array.isArray(doc)) {
    for (const [i, row] of doc.entries()) yield* rowItem(row, `${name}[${i}]`, server);
    return;
  }
  if (!isQueryResponse(doc)) {
    yield { problem: { location: name, message: 'not NDJSON rows, a JSON array of rows, or a Log Analytics query response' } };
    return;
  }
  for (const [t, table] of doc.tables.entries()) {
    const columns = (table.columns ?? []).map((c) => c.name);
    for (const [r, values] of (table.rows ?? []).entries()) {
      const row: Record<string, unknown> = {};
      columns.forEach((column, i) => (row[column] = Array.isArray(values) ? values[i] : undefined));
      yield* rowItem(row, `${name}: tables[${t}].rows[${r}]`, server);
    }
  }
}

function* rowItem(row: unknown, location: string, server: string | null): Generator<SourceItem> {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    yield { problem: { location, message: 'row is not a JSON object' } };
    return;
  }
  const item = azureRowToRecord(row as Record<string, unknown>, location, server);
  if (item !== null) yield item;
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
