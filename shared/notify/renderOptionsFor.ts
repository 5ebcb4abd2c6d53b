import { logAnalyticsSessionLink } from '../logAnalytics/logAnalyticsSessionLink';
import type { RenderOptions } from './message/RenderOptions';

/** Message options from the settings: the portal link (AZURE_CLOUD's portal) to the session's lines when the workspace's resource id is known. */
export function renderOptionsFor(settings: { logsWorkspaceResourceId: string | null; portalUrl?: string }): RenderOptions {
  const resourceId = settings.logsWorkspaceResourceId;
  return resourceId ? { logsLink: (alert) => logAnalyticsSessionLink(resourceId, alert, settings.portalUrl) } : {};
}
