import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { LogsQueryClient, type LogsQueryClientOptions } from '@azure/monitor-query-logs';
import { AZURE_CLOUDS, cloudOfLogsEndpoint } from '../model/azureClouds';

export interface LogsQueryClientExtras {
  /** Trust for a private endpoint or a test stand-in: `{ ca }`. */
  tlsOptions?: LogsQueryClientOptions['tlsOptions'];
  /** Token scope; default: Settings.logsAudience, else derived from LOGS_ENDPOINT (see logsTokenScope). */
  scope?: string;
}

/**
 * The Log Analytics query client the scan uses: LOGS_ENDPOINT verbatim (it includes `/v1`), the app's
 * DefaultAzureCredential (managed identity on Azure, `az login` locally), and no retries of its own —
 * queryAuditRows owns retrying, so waits are bounded, logged and honour Retry-After once, not twice.
 */
export function createLogsQueryClient(
  settings: { logsEndpoint: string; logsAudience?: string },
  credential: TokenCredential = new DefaultAzureCredential(),
  extras: LogsQueryClientExtras = {},
): LogsQueryClient {
  return new LogsQueryClient(credential, {
    endpoint: settings.logsEndpoint,
    credentials: { scopes: [extras.scope ?? (settings.logsAudience ? `${settings.logsAudience}/.default` : logsTokenScope(settings.logsEndpoint))] },
    retryOptions: { maxRetries: 0 },
    ...(extras.tlsOptions ? { tlsOptions: extras.tlsOptions } : {}),
  });
}

/**
 * The token scope for an endpoint when no audience is configured. The SDK always asks for the public
 * cloud's, so sovereign clouds' hosts get their own; any other host (a private link, a local stand-in)
 * the public one — Settings.logsAudience takes AZURE_CLOUD into account for those.
 */
export function logsTokenScope(endpoint: string): string {
  return `${(cloudOfLogsEndpoint(endpoint) ?? AZURE_CLOUDS.AzurePublicCloud).logsAudience}/.default`;
}
