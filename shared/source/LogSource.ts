import type { Logger } from '../util/Logger';
import type { SourceItem } from './SourceRecord';

/**
 * Where a run's log records come from: a log file, a Log Analytics workspace, the Storage archive, an
 * Event Hubs batch, OpenSearch. Every source is read by the one pipeline (scan/runPipeline): parse → merge
 * → sessions → match → dedupe → deliver → commit. A source says what is new since its last commit; the
 * pipeline commits only once every alert of what was read is delivered or recorded in the ledger, so a
 * run that dies in between makes the next run read the same records again (at-least-once; the ledger
 * drops alerts already sent). Any failure throws: nothing is committed.
 *
 * `Cursor` is the source's own position type (a blob's bytes read, a search_after key); the pipeline only
 * hands the cursors of the batches it processed back to `commit`, in order.
 */
export interface LogSource<Cursor = unknown> {
  /** The name users know it by: `log-analytics`, `storage`, `opensearch`, `eventhubs`, `file`. */
  readonly name: string;
  /** For messages: `Log Analytics workspace 1234…`, `Storage archive account/container`. */
  readonly description: string;
  /**
   * The state store scope of this source's watermark (its committed position, last-seen times per server
   * for the silence alert, failure streak). null: the source keeps no run state (a file, an Event Hubs
   * batch whose position the Functions host checkpoints): no silence alert, failures throw.
   */
  readonly scope: string | null;
  /** Opens one run's read, from the committed position (`context.committed`) on. */
  read(context: SourceReadContext): Promise<SourceRead<Cursor>>;
  /** Makes the cursors of processed batches durable (called only after delivery); a no-op for some sources. */
  commit(cursors: Cursor[]): Promise<void>;
  /**
   * The `connection received/authorized` lines of these `%c` sessions of one server (a targeted lookup for
   * sessions that began before anything this source still holds); absent when the source cannot search.
   */
  lookupSessions?(server: string, sessionIds: string[]): AsyncIterable<SourceItem[]>;
}

export interface SourceReadContext {
  now: Date;
  /** The position the last successful run stored (SourceRead.position); null on the first run, or without scope. */
  committed: string | null;
  log: Logger;
}

export interface SourceRead<Cursor = unknown> {
  /** What this run covers, for the report (`window a .. b`); null when not a time window. */
  window: { from: string; to: string } | null;
  /** The position to store once this run's alerts are delivered; null keeps the committed one. */
  position: string | null;
  /**
   * The records are in the order the server wrote them (a stderr log file): a CONTEXT line is the next line.
   * Otherwise (rows of Azure and search services) rows of one second may come in any order (merge/TrustGate).
   */
  ordered: boolean;
  batches: AsyncIterable<SourceBatch<Cursor>>;
}

export interface SourceBatch<Cursor = unknown> {
  /** May be empty (lines of another category): the cursor still moves. */
  items: SourceItem[];
  /** Where the source stands after this batch, handed back to `commit` after delivery. */
  cursor?: Cursor;
}
