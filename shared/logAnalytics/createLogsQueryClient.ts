import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { LogsQueryClient, type LogsQueryClientOptions } from '@azure/monitor-query-logs';

export interface LogsQueryClientExtras {
  /** Trust for a private endpoint or a test stand-in: `{ ca }`. */
  tlsOptions?: LogsQueryClientOptions['tlsOptions'];
  /** Token scope; default derived from LOGS_ENDPOINT (see logsTokenScope). */
  scope?: string;
}

/**
 * The Log Analytics query client the scan uses: LOGS_ENDPOINT verbatim (it includes `/v1`), the app's
 * DefaultAzureCredential (managed identity on Azure, `az login` locally), and no retries of its own —
 * queryAuditRows owns retrying, so waits are bounded, logged and honour Retry-After once, not twice.
 */
export function createLogsQueryClient(
  settings: { logsEndpoint: string },
  credential: TokenCredential = new DefaultAzureCredential(),
  extras: LogsQueryClientExtras = {},
): LogsQueryClient {
  return new LogsQueryClient(credential, {
    endpoint: settings.logsEndpoint,
    credentials: { scopes: [extras.scope ?? logsTokenScope(settings.logsEndpoint)] },
    retryOptions: { maxRetries: 0 },
    ...(extras.tlsOptions ? { tlsOptions: extras.tlsOptions } : {}),
  });
}

/**
 * The token audience for an endpoint. The SDK always asks for the public cloud's, so sovereign clouds'
 * endpoints (China, US Government) get their own; any other host (the public cloud's aliases, a private
 * link, a local stand-in) uses the public one.
 */
export function logsTokenScope(endpoint: string): string {
  const host = new URL(endpoint).hostname.toLowerCase();
  if (host.endsWith('.azure.cn')) return 'https://api.loganalytics.azure.cn/.default';
  if (host === 'api.loganalytics.us') return 'https://api.loganalytics.us/.default';
  return 'https://api.loganalytics.io/.default';
}
