import type { LogsQueryDeps } from '../../logAnalytics/LogsQueryDeps';
import { lookupSessionRows } from '../../logAnalytics/lookupSessionRows';
import { queryAuditRows } from '../../logAnalytics/queryAuditRows';
import { scanRowsToSourceItems } from '../../logAnalytics/scanRowsToSourceItems';
import type { LogSource, SourceBatch } from '../LogSource';
import { itemBatches } from '../itemBatches';

/**
 * Every run re-reads this much before the watermark: `ingestion_time()` is approximate, and a row can
 * become queryable a little after rows ingested later. The ledger drops what was already sent.
 */
export const SCAN_OVERLAP_MS = 10 * 60_000;

/** The window settings (SCAN_*), in milliseconds. */
export interface LogAnalyticsTiming {
  settleDelayMs: number;
  initialLookbackMs: number;
  maxLatenessMs: number;
}

/**
 * The `log-analytics` source: a workspace through LogsQueryClient (see queryAuditRows).
 *
 * Window by arrival: (committed − overlap, now − settle delay], TimeGenerated widened by SCAN_MAX_LATENESS;
 * the first run reads SCAN_INITIAL_LOOKBACK back. The position committed is the window's end, stored with
 * the watermark; rows have no cursor of their own.
 */
export function logAnalyticsSource(deps: LogsQueryDeps, timing: LogAnalyticsTiming): LogSource<never> {
  return {
    name: 'log-analytics',
    description: `Log Analytics workspace ${deps.workspaceId}`,
    scope: logAnalyticsScope(deps.workspaceId, deps.servers),
    async read({ now, committed, log }) {
      const upper = new Date(now.getTime() - timing.settleDelayMs);
      const lower = committed !== null ? new Date(Date.parse(committed) - SCAN_OVERLAP_MS) : new Date(now.getTime() - timing.initialLookbackMs);
      if (lower.getTime() >= upper.getTime()) {
        log.info(`nothing to scan yet: the window up to now − SCAN_SETTLE_DELAY (${upper.toISOString()}) is already done`);
        return { window: null, position: null, ordered: false, batches: none() };
      }
      const window = { ingestedAfter: lower, ingestedBefore: upper, timespanStart: new Date(lower.getTime() - timing.maxLatenessMs) };
      return {
        window: { from: lower.toISOString(), to: upper.toISOString() },
        position: upper.toISOString(),
        ordered: false,
        batches: itemBatches(scanRowsToSourceItems(queryAuditRows(deps, window), deps.workspaceId)),
      };
    },
    // The window's end is stored with the watermark by the pipeline: nothing else to remember.
    commit: async () => {},
    // A partial answer still yields the connection lines it found; sessions it missed stay unknown
    // (their events alert without a user rather than not at all).
    lookupSessions: (server, sessionIds) => scanRowsToSourceItems(lookupSessionRows(deps, server, sessionIds), deps.workspaceId),
  };
}

/** One watermark per workspace and server selection: changing PG_SERVERS starts a fresh window. */
export function logAnalyticsScope(workspaceId: string | null, servers: readonly string[]): string {
  const selection = servers.length > 0 ? [...servers].sort().join(',') : '*';
  return `${workspaceId ?? 'no-workspace'}|${selection}`;
}


async function* none(): AsyncGenerator<SourceBatch<never>> {}
