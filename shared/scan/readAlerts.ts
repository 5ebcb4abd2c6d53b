import type { StateStore } from '../dedupe/StateStore';
import type { RuleSet } from '../match/RuleSet';
import { mergeAuditRecords } from '../merge/mergeAuditRecords';
import type { Alert } from '../model/Alert';
import type { AuditEvent } from '../model/AuditEvent';
import type { Settings } from '../settings/Settings';
import type { LogSource, SourceBatch, SourceRead } from '../source/LogSource';
import type { SourceItem } from '../source/SourceRecord';
import { parseWarnings } from './parseWarnings';
import type { ScanReport } from './ScanReport';
import { scanEvents } from './scanEvents';
import { SessionResolver } from './SessionResolver';

export interface ReadAlertsOptions {
  source: LogSource;
  read: SourceRead;
  ruleSet: RuleSet;
  store: StateStore;
  settings: Pick<Settings, 'logLinePrefix' | 'logTimezone'>;
  now: () => Date;
  report: ScanReport;
  /** Last row time per server, updated from the rows read (for the silence alert). */
  lastSeen: Record<string, string>;
  /** Called with each batch's new alerts, in event order. */
  emit: (alerts: Alert[]) => Promise<void> | void;
  /** Cache the sessions learned in the state store (not in a dry run). */
  persistSessions: boolean;
  /** See PipelineDeps.awaitSessions. */
  awaitSessions?: (events: readonly AuditEvent[]) => Promise<number>;
}

/**
 * The pipeline's reading half, for one run of one source: parse → merge lines into statements → who is
 * behind each session (SessionResolver) → match rules → drop repeats within the run. Resolves to the
 * cursors of every batch read, in order, for the source's commit after delivery.
 */
export async function readAlerts(o: ReadAlertsOptions): Promise<unknown[]> {
  const { report } = o;
  const cursors: unknown[] = [];
  const resolver = new SessionResolver(o.store, o.source, o.settings.logLinePrefix, o.now, o.settings.logTimezone);
  const merged = mergeAuditRecords(observeRows(o.read.batches, report, o.lastSeen, cursors), {
    prefix: o.settings.logLinePrefix,
    logTimezone: o.settings.logTimezone,
    ordered: o.read.ordered,
    onSessionContext: resolver.learn,
  });
  let late = 0;
  async function* withSessions() {
    for await (const batch of merged.batches) {
      if (o.awaitSessions) {
        // Ours first, so another instance waiting for these sessions finds them.
        await resolver.persist();
        late += await o.awaitSessions(batch);
      }
      await resolver.fill(batch);
      yield batch;
    }
  }
  await scanEvents(withSessions(), o.ruleSet, report, o.emit);
  const summary = merged.summary();
  report.malformed = summary.malformed + summary.truncated;
  report.warnings.push(...parseWarnings(summary));
  if (late > 0) report.warnings.push(`${late} new sessions' connection lines did not reach the session cache in time (another partition far behind, or log_connections off)`);
  if (resolver.unresolved > 0) {
    const where = o.source.lookupSessions
      ? 'was not found within SCAN_MAX_LATENESS'
      : `is neither in what ${o.source.description} delivered nor in the session cache`;
    report.warnings.push(`${resolver.unresolved} events came from sessions whose connection line ${where}: their user and database are unknown (is log_connections on?)`);
  }
  if (o.persistSessions) await resolver.persist();
  return cursors;
}

/** Counts the rows, notes each server's newest row time and collects the batches' cursors, as they pass. */
async function* observeRows(batches: AsyncIterable<SourceBatch>, report: ScanReport, lastSeen: Record<string, string>, cursors: unknown[]): AsyncGenerator<SourceItem[]> {
  for await (const batch of batches) {
    for (const item of batch.items) {
      report.rowsRead++;
      if (!('record' in item)) continue;
      const { server } = item.record;
      // Row times come as each service writes them (ISO, or the archive's `2026-11-25 12:20:21.772 UTC`): compared as instants.
      const rowTime = item.record.rowTime === null ? NaN : Date.parse(item.record.rowTime);
      if (server === null || Number.isNaN(rowTime)) continue;
      if (lastSeen[server] === undefined || rowTime > Date.parse(lastSeen[server]!)) lastSeen[server] = new Date(rowTime).toISOString();
    }
    if (batch.cursor !== undefined) cursors.push(batch.cursor);
    yield batch.items;
  }
}
