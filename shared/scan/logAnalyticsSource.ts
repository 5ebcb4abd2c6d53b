import type { LogsQueryDeps } from '../logAnalytics/LogsQueryDeps';
import { lookupSessionRows } from '../logAnalytics/lookupSessionRows';
import { queryAuditRows } from '../logAnalytics/queryAuditRows';
import { scanRowsToSourceItems } from '../logAnalytics/scanRowsToSourceItems';
import type { LogSource } from './LogSource';

/** The production LogSource: a Log Analytics workspace through LogsQueryClient (see queryAuditRows). */
export function logAnalyticsSource(deps: LogsQueryDeps): LogSource {
  return {
    description: `Log Analytics workspace ${deps.workspaceId}`,
    scanRows: (window) => scanRowsToSourceItems(queryAuditRows(deps, window), deps.workspaceId),
    // A partial answer still yields the connection lines it found; sessions it missed stay unknown
    // (their events alert without a user rather than not at all).
    lookupSessions: (server, sessionIds) => scanRowsToSourceItems(lookupSessionRows(deps, server, sessionIds), deps.workspaceId),
  };
}
