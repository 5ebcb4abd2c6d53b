import type { Alert } from '../model/Alert';
import { kqlDateTime, kqlString } from './kqlLiteral';
import { LOGS_TABLES } from './scanSources';

/**
 * A link that opens the Azure portal's Logs blade on the workspace with a query for the alert's
 * session (all its lines, one hour either side of the event). The portal addresses a workspace by
 * its ARM resource id (`/subscriptions/.../workspaces/NAME`), not by the workspace GUID that queries
 * use, so without the resource id there is no link.
 */
export function logAnalyticsSessionLink(workspaceResourceId: string, alert: Alert, portalUrl = 'https://portal.azure.com'): string | null {
  const { sessionId, time } = alert.event;
  if (!sessionId || !time) return null;
  const at = Date.parse(time);
  if (Number.isNaN(at)) return null;
  const from = new Date(at - 3600_000);
  const to = new Date(at + 3600_000);
  const kql = [
    `union isfuzzy=true ${LOGS_TABLES.join(', ')}`,
    `| where TimeGenerated between (${kqlDateTime(from)} .. ${kqlDateTime(to)})`,
    // The session id (%c) is distinctive enough on its own and is in both tables' Message column.
    `| where Message has ${kqlString(sessionId)}`,
    '| order by TimeGenerated asc',
  ].join('\n');
  return (
    `${portalUrl}/#blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/resourceId/${encodeURIComponent(workspaceResourceId)}` +
    `/source/LogsBlade.AnalyticsShareLinkToQuery/query/${encodeURIComponent(kql)}/timespan/${encodeURIComponent(`${from.toISOString()}/${to.toISOString()}`)}`
  );
}
