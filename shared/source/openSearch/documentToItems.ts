import { MAX_RECORD_CHARS } from '../sourceLimits';
import type { SourceItem, SourceRecord } from '../SourceRecord';
import { type DocumentFields, fieldValue } from './DocumentFields';
import { splitDocumentMessage } from './splitDocumentMessage';

/**
 * One OpenSearch document (`_source`) → its source records: the record PostgreSQL wrote, with the
 * CONTEXT written with it as its `rowContext` (which makes a RAISE'd look-alike forged, see TrustGate),
 * and the STATEMENT/DETAIL lines of the same write as records of their own (an error's STATEMENT that
 * looks like an AUDIT record is itself a forgery). A document without text in the message field is a
 * problem, counted with its location; never a failed run.
 */
export function documentToItems(doc: unknown, fields: DocumentFields, location: string, out: SourceItem[]): void {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    out.push({ problem: { location, message: 'document is not a JSON object' } });
    return;
  }
  const source = doc as Record<string, unknown>;
  const value = fieldValue(source, fields.message);
  if (typeof value !== 'string') {
    out.push({ problem: { location, message: `document has no text in its message field ${JSON.stringify(fields.message)} (set OPENSEARCH_MESSAGE_FIELD)` } });
    return;
  }
  const oversized = value.length > MAX_RECORD_CHARS;
  const text = oversized ? value.slice(0, MAX_RECORD_CHARS) : value;
  const server = fields.server === null ? null : serverName(fieldValue(source, fields.server));
  const rowTime = timeOf(fieldValue(source, fields.time));
  const written = splitDocumentMessage(text);
  const record: SourceRecord = { location, server, line: written.record, rowTime, rowPid: null };
  if (written.context !== null) record.rowContext = written.context;
  if (oversized) record.oversized = true;
  out.push({ record });
  written.others.forEach((line, i) => out.push({ record: { location: `${location} (line ${i + 2})`, server, line, rowTime, rowPid: null } }));
}

function serverName(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : null;
}

/** ISO text as written, or epoch milliseconds (a `date` field's raw number) as ISO. */
function timeOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  return typeof value === 'string' && value !== '' ? value : null;
}
