import type { Settings } from '../settings/Settings';
import { logAnalyticsSessionLink } from './render/logAnalyticsSessionLink';
import type { RenderOptions } from './render/RenderOptions';

/** Message options from the settings: the portal link to the session's lines when the workspace's resource id is known. */
export function renderOptionsFor(settings: Settings): RenderOptions {
  const resourceId = settings.logsWorkspaceResourceId;
  return resourceId ? { logsLink: (alert) => logAnalyticsSessionLink(resourceId, alert, settings.portalUrl) } : {};
}
