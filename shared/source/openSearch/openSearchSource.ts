import type { Logger } from '../../util/Logger';
import type { LogSource, SourceBatch } from '../LogSource';
import type { SourceItem } from '../SourceRecord';
import type { OpenSearchLogReader } from './OpenSearchLogReader';

export interface OpenSearchSourceOptions {
  reader: OpenSearchLogReader;
  /** OPENSEARCH_URL and OPENSEARCH_INDEX: with PG_SERVERS, they name the watermark's scope. */
  url: string;
  index: string;
  /** SCAN_INITIAL_LOOKBACK: how far back the first run reads. */
  initialLookbackMs: number;
  /** OPENSEARCH_MAX_LATENESS: each run reads documents this much older than the last run's end. */
  maxLatenessMs: number;
  /**
   * SCAN_SETTLE_DELAY: a run reads documents up to now minus this, so that the documents of one moment
   * (a session's connection line and its first statements) are indexed together before they are read.
   */
  settleDelayMs: number;
  /** Lower-case server names (PG_SERVERS); empty = all. */
  servers: readonly string[];
  log: Logger;
}

/**
 * The `opensearch` source: Aiven's log integration, read by OpenSearchLogReader. A document is searchable
 * about a second after it is indexed but can be indexed late, so each run reads by document time from
 * the last run's end minus OPENSEARCH_MAX_LATENESS up to now − SCAN_SETTLE_DELAY; what was read before is read again and the
 * ledger drops its alerts. The position committed is the run's end (with the watermark, after delivery).
 * PG_SERVERS is applied to the server field of what was read.
 */
export function openSearchSource(o: OpenSearchSourceOptions): LogSource<never> {
  const servers = o.servers.length > 0 ? [...o.servers].sort().join(',') : '*';
  return {
    name: 'opensearch',
    description: o.reader.description,
    scope: `opensearch|${o.url}|${o.index}|${servers}`,
    async read({ now, committed, log }) {
      const upper = new Date(now.getTime() - o.settleDelayMs);
      const end = committed !== null ? new Date(committed) : new Date(now.getTime() - o.initialLookbackMs);
      // Never past the upper end: a committed end ahead of this clock (another host's) must not leave a gap.
      const after = new Date(Math.min(end.getTime(), upper.getTime()));
      const window = { ingestedAfter: after, ingestedBefore: upper, timespanStart: new Date(after.getTime() - o.maxLatenessMs) };
      return {
        window: { from: after.toISOString(), to: upper.toISOString() },
        position: upper.toISOString(),
        ordered: false,
        batches: batchesOf(o, o.reader.scanRows(window), log),
      };
    },
    // The run's end is stored with the watermark by the pipeline: nothing else to remember.
    commit: async () => {},
    lookupSessions: (server, sessionIds) => o.reader.lookupSessions(server, sessionIds),
  };
}

/**
 * The pages as batches, each held until the next arrives, so that what the reader has to say (the fields
 * it chose, a point in time it reopened) rides on the records of the page read after it: the summary
 * (ParseSummary.sourceNotes) reports it. With nothing read, it is logged instead.
 */
async function* batchesOf(o: OpenSearchSourceOptions, pages: AsyncIterable<SourceItem[]>, log: Logger): AsyncGenerator<SourceBatch<never>> {
  let held: SourceItem[] | null = null;
  for await (const page of pages) {
    const items = o.servers.length > 0 ? page.filter((i) => !('record' in i) || i.record.server === null || o.servers.includes(i.record.server)) : page;
    if (held !== null) yield { items: withNotes(held, o.reader.notes()) };
    held = items;
  }
  const notes = o.reader.notes();
  if (held !== null && held.some((i) => 'record' in i)) yield { items: withNotes(held, notes) };
  else {
    for (const note of notes) log.info(note);
    if (held !== null) yield { items: held };
  }
}

/** The notes on the first records without one (the last record takes what is left). */
function withNotes(items: SourceItem[], notes: string[]): SourceItem[] {
  if (notes.length === 0) return items;
  const records = items.filter((i): i is { record: NonNullable<Extract<SourceItem, { record: unknown }>['record']> } => 'record' in i);
  records.forEach((item, i) => {
    if (i >= notes.length) return;
    item.record.note = i === records.length - 1 ? notes.slice(i).join('; ') : notes[i]!;
  });
  return items;
}
