import { azureRowItem } from '../readAzureRows';
import { decodeJsonRow } from '../decodeJsonRow';
import { MAX_DOCUMENT_CHARS } from '../sourceLimits';
import type { SourceItem } from '../SourceRecord';
import { type EventHubBatch, eventLocation } from './EventHubBatch';

export interface DecodedEventHubBatch {
  /** Every record of every event, in order, as the Storage archive's rows read (azureRowItem), and a problem per bad event or record. */
  items: SourceItem[];
  /** Events that were not a diagnostic-setting payload at all (not JSON, no `records` array). */
  malformedEvents: number;
}

/**
 * A diagnostic setting streams `{"records":[…]}` per event, each record shaped like a line of the Storage
 * archive (`time`, `resourceId`, `category`, `properties.message`, …), so each record is read by the same
 * azureRowItem as the archive's. A bad event or record becomes a problem naming its partition, sequence
 * number and index; the rest of the batch is read.
 */
export function decodeEventHubBatch(batch: EventHubBatch): DecodedEventHubBatch {
  const items: SourceItem[] = [];
  let malformedEvents = 0;
  batch.events.forEach((event, i) => {
    const location = eventLocation(batch, i);
    const payload = decodeBody(event.body);
    if ('problem' in payload) {
      malformedEvents++;
      items.push({ problem: { location, message: payload.problem } });
      return;
    }
    payload.records.forEach((record, r) => azureRowItem(record, `${location} records[${r}]`, null, items, false));
  });
  return { items, malformedEvents };
}

function decodeBody(body: unknown): { records: unknown[] } | { problem: string } {
  let value: unknown = body;
  // dataType binary gives Buffers; a host or test that sends strings, or already-parsed JSON, is read too.
  if (Buffer.isBuffer(body)) value = body.toString('utf8');
  if (typeof value === 'string') {
    if (value.length > MAX_DOCUMENT_CHARS) return { problem: `event body larger than ${MAX_DOCUMENT_CHARS >> 20} MiB is not read` };
    const decoded = decodeJsonRow(value, false);
    if ('problem' in decoded) return { problem: `event body: ${decoded.problem === 'not a JSON row' ? 'not JSON' : decoded.problem}` };
    value = decoded.value;
  }
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { records?: unknown }).records)) {
    return { problem: 'event body is not a diagnostic setting payload ({"records":[…]})' };
  }
  return { records: (value as { records: unknown[] }).records };
}
