import { LogsQueryResultStatus } from '@azure/monitor-query-logs';
import { buildSessionLookupKql, sessionLookupTimespan } from '../logAnalytics/buildSessionLookupKql';
import { LogAnalyticsQueryError } from '../logAnalytics/LogAnalyticsQueryError';
import type { LogsQueryDeps } from '../logAnalytics/LogsQueryDeps';
import { queryAuditRows, type ScanRowBatch } from '../logAnalytics/queryAuditRows';
import { runLogsQuery } from '../logAnalytics/runLogsQuery';
import { scanRowsToSourceItems } from '../logAnalytics/scanRowsToSourceItems';
import { byLogOrder, toScanRows } from '../logAnalytics/toScanRows';
import type { LogSource } from './LogSource';

/** The production LogSource: a Log Analytics workspace through LogsQueryClient (see queryAuditRows). */
export function logAnalyticsSource(deps: LogsQueryDeps): LogSource {
  return {
    description: `Log Analytics workspace ${deps.workspaceId}`,
    scanRows: (window) => scanRowsToSourceItems(queryAuditRows(deps, window), deps.workspaceId),
    async *lookupSessions(server, sessionIds) {
      const query = buildSessionLookupKql({ table: deps.table, server, sessionIds });
      const result = await runLogsQuery(deps, query, sessionLookupTimespan(sessionIds), null);
      // A partial answer still holds whatever connection lines it found; sessions it missed stay unknown
      // (their events alert without a user rather than not at all).
      const table = result.status === LogsQueryResultStatus.Success ? result.tables[0] : result.partialTables[0];
      if (result.status !== LogsQueryResultStatus.Success && !table) {
        throw new LogAnalyticsQueryError(deps.workspaceId, null, `session lookup failed: ${result.partialError.message ?? 'partial failure'}`);
      }
      const batch: ScanRowBatch = { rows: toScanRows(table).sort(byLogOrder), ingestedAfter: new Date(0), ingestedBefore: new Date(0) };
      yield* scanRowsToSourceItems(once(batch), deps.workspaceId);
    },
  };
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}
