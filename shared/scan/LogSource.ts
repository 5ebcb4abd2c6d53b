import type { ScanWindow } from '../source/ScanWindow';
import type { SourceItem } from '../source/SourceRecord';

/**
 * Where a scan's rows come from (Log Analytics in production). Rows stream in batches, so a window of a
 * million rows is never held at once. Any failure throws: the scan then leaves its watermark alone.
 */
export interface LogSource {
  /** For messages: `Log Analytics workspace 1234…`. */
  readonly description: string;
  scanRows(window: ScanWindow): AsyncIterable<SourceItem[]>;
  /** The `connection received/authorized` lines of these `%c` sessions of one server (targeted lookup). */
  lookupSessions(server: string, sessionIds: string[]): AsyncIterable<SourceItem[]>;
}
