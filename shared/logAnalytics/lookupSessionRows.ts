import { LogsQueryResultStatus } from '@azure/monitor-query-logs';
import { sessionStartTime } from '../model/sessionId';
import { buildSessionLookupKql, SESSION_LOOKUP_MAX_IDS, sessionLookupTimespan } from './buildSessionLookupKql';
import type { LogsQueryDeps } from './LogsQueryDeps';
import type { ScanRowBatch } from './queryAuditRows';
import { runLogsQuery } from './runLogsQuery';
import { byLogOrder, toScanRows } from './toScanRows';

/**
 * The connection lines of `%c` sessions of one server whose start fell outside the scanned window, in
 * queries of at most SESSION_LOOKUP_MAX_IDS ids (ids that are not `%c` ids are skipped). A partial
 * answer is used for what it holds — a session it missed stays without a user, which the alert shows —
 * and logged; a failed query throws LogAnalyticsQueryError. A batch's bounds are the TimeGenerated range searched.
 */
export async function* lookupSessionRows(deps: LogsQueryDeps, server: string, sessionIds: string[]): AsyncGenerator<ScanRowBatch> {
  const ids = [...new Set(sessionIds)].filter((id) => sessionStartTime(id) !== null);
  for (let i = 0; i < ids.length; i += SESSION_LOOKUP_MAX_IDS) {
    const chunk = ids.slice(i, i + SESSION_LOOKUP_MAX_IDS);
    const timespan = sessionLookupTimespan(chunk);
    const result = await runLogsQuery(deps, buildSessionLookupKql({ table: deps.table, server, sessionIds: chunk }), timespan, null);
    let table = result.status === LogsQueryResultStatus.Success ? result.tables[0] : result.partialTables[0];
    if (result.status !== LogsQueryResultStatus.Success) {
      deps.log.warn(`Log Analytics workspace ${deps.workspaceId}: session lookup for ${server} answered partially ` +
        `(${result.partialError.code ?? 'PartialError'}: ${result.partialError.message ?? ''}); using the ${table?.rows.length ?? 0} rows it returned`);
    }
    const rows = toScanRows(table).sort(byLogOrder);
    table = undefined;
    yield { rows, ingestedAfter: timespan.startTime, ingestedBefore: timespan.endTime };
  }
}
