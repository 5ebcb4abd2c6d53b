import { decodeJsonRow } from '../decodeJsonRow';
import type { LineBatch } from '../readLines';
import { MAX_DOCUMENT_CHARS } from '../sourceLimits';
import type { SourceItem } from '../SourceRecord';
import { detectDocumentFields, FIELD_SAMPLE } from './detectDocumentFields';
import { describeFields, type DocumentFields } from './DocumentFields';
import { documentToItems } from './documentToItems';

type Pending = { doc: unknown; location: string } | { problem: string; location: string };

/**
 * An export of OpenSearch documents, for replay (`parse --format opensearch`): NDJSON of `_source`
 * documents or of search hits (`{"_index","_id","_source"}`, streamed), or one search response
 * `{"hits":{"hits":[...]}}` / an array (read whole, up to MAX_DOCUMENT_CHARS). The fields are detected
 * from the first documents and named in the summary; a line or hit that is not a document is counted.
 */
export async function* readOpenSearchExport(batches: AsyncIterable<LineBatch>, name: string, server: string | null): AsyncGenerator<SourceItem[]> {
  let fields: DocumentFields | null = null;
  let pending: Pending[] = [];
  let document: string[] | null = null;
  let documentChars = 0;
  let tooLarge = false;
  let lineNo = 0;
  let first = true;
  const fallbackServer = server === null ? null : server.toLowerCase();

  const convert = (items: Pending[], out: SourceItem[]): void => {
    const from = out.length;
    if (fields === null) {
      const sample = items.flatMap((p) => ('doc' in p && isObject(p.doc) ? [p.doc] : []));
      fields = detectDocumentFields(sample, { message: null, time: null, server: null });
    }
    for (const p of items) {
      if ('problem' in p) out.push({ problem: { location: p.location, message: p.problem } });
      else documentToItems(p.doc, fields, p.location, out);
    }
    for (let i = from; i < out.length; i++) {
      const item = out[i]!;
      if (!('record' in item)) continue;
      if (item.record.server === null) item.record.server = fallbackServer;
      if (noted) continue;
      noted = true;
      item.record.note = `${name}: OpenSearch document fields ${describeFields(fields)}`;
    }
  };
  let noted = false;

  for await (const { lines, cut } of batches) {
    const out: SourceItem[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      lineNo++;
      if (document !== null) {
        documentChars += line.length + 1;
        if (documentChars > MAX_DOCUMENT_CHARS || cut?.has(i)) tooLarge = true;
        else document.push(line);
        continue;
      }
      if (line.trim() === '') continue;
      if (first && startsDocument(line)) {
        document = [line];
        documentChars = line.length;
        if (cut?.has(i)) tooLarge = true;
        continue;
      }
      first = false;
      const decoded = decodeJsonRow(line, cut?.has(i) === true);
      const location = `${name}:${lineNo}`;
      pending.push('problem' in decoded ? { problem: decoded.problem, location } : hitOrDocument(decoded.value, location));
      if (fields !== null || pending.length >= FIELD_SAMPLE) {
        convert(pending, out);
        pending = [];
      }
    }
    if (out.length > 0) yield out;
  }
  const out: SourceItem[] = [];
  if (document !== null) {
    if (tooLarge) {
      yield [{ problem: { location: name, message: `a JSON document larger than ${MAX_DOCUMENT_CHARS >> 20} MiB is not read; export the documents as NDJSON (one per line)` } }];
      return;
    }
    const decoded = decodeJsonRow(document.join('\n'), false);
    document = null;
    if ('problem' in decoded) {
      yield [{ problem: { location: name, message: `${decoded.problem} (a search response or an array of documents)` } }];
      return;
    }
    const hits = hitsOf(decoded.value);
    if (hits === null) {
      yield [{ problem: { location: name, message: 'neither a search response ({"hits":{"hits":[...]}}) nor an array of documents' } }];
      return;
    }
    pending.push(...hits.map((hit, i) => hitOrDocument(hit, `${name}: hits[${i}]`)));
  }
  if (pending.length > 0) convert(pending, out);
  if (out.length > 0) yield out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A line or array element: a search hit (its `_source`, located by index and id) or a document. */
function hitOrDocument(value: unknown, location: string): Pending {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && '_source' in value) {
    const hit = value as { _index?: unknown; _id?: unknown; _source: unknown };
    const id = typeof hit._index === 'string' && typeof hit._id === 'string' ? ` (${hit._index}/${hit._id})` : '';
    return { doc: hit._source, location: `${location}${id}` };
  }
  return { doc: value, location };
}

function hitsOf(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  const hits = (value as { hits?: { hits?: unknown } } | null)?.hits?.hits;
  return Array.isArray(hits) ? hits : null;
}

/** A first line that opens a JSON document (a search response, an array, a lone `{`) rather than an NDJSON row. */
function startsDocument(line: string): boolean {
  const text = line.trim();
  return text.startsWith('[') || text === '{' || /^\{\s*"(?:took|timed_out|_shards|hits|pit_id)"\s*:/.test(text);
}
