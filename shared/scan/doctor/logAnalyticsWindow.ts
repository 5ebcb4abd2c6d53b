import { UserError } from '../../errors/UserError';
import { createLogsQueryClient } from '../../logAnalytics/createLogsQueryClient';
import type { LogsQueryDeps } from '../../logAnalytics/LogsQueryDeps';
import { mergeAuditRecords, type AuditEventStream } from '../../merge/mergeAuditRecords';
import type { SessionInfo } from '../../merge/SessionTracker';
import { createAzureCredentials } from '../../settings/createAzureCredentials';
import type { Settings } from '../../settings/Settings';
import type { Logger } from '../../util/Logger';
import { logAnalyticsSource } from '../logAnalyticsSource';

/**
 * The rows a scan reads from Log Analytics, for the last `since` up to `now` (by arrival and by
 * TimeGenerated), merged into events as the scan merges them. Needs only LOGS_WORKSPACE_ID: doctor
 * reads, it keeps no state.
 */
export function logAnalyticsWindow(
  settings: Settings,
  window: { since: Date; now: Date },
  onSessionContext: (server: string | null, session: SessionInfo) => void,
  log: Logger,
  /** Default: the scan's client, signed in with the app's credential. */
  client: LogsQueryDeps['client'] = createLogsQueryClient(settings, createAzureCredentials(settings).app),
): { stream: AuditEventStream; description: string } {
  if (!settings.logsWorkspaceId) {
    throw new UserError('doctor --source log-analytics needs the setting LOGS_WORKSPACE_ID (the Log Analytics workspace id); to check a file instead, use --input FILE', { code: 'MISSING_SETTINGS' });
  }
  const source = logAnalyticsSource({ client, workspaceId: settings.logsWorkspaceId, table: settings.logsTable, servers: settings.pgServers, log });
  const rows = source.scanRows({ ingestedAfter: window.since, ingestedBefore: window.now, timespanStart: window.since });
  const stream = mergeAuditRecords(rows, { prefix: settings.logLinePrefix, logTimezone: settings.logTimezone, onSessionContext });
  return { stream, description: source.description };
}
