/**
 * The endpoints that differ between Azure clouds, for AZURE_CLOUD. Names as the Azure CLI and ARM use
 * them (`az cloud list`); values from each cloud's published endpoints.
 */
export interface AzureCloud {
  name: AzureCloudName;
  /** Log Analytics query API, with the `/v1` the SDK expects. */
  logsEndpoint: string;
  /** Every host of that API in this cloud (the public one has an alias). */
  logsHosts: string[];
  /** Token audience of that API (the SDK asks for the public cloud's unless told). */
  logsAudience: string;
  /** Storage endpoint suffix: `https://<account>.table.<suffix>`. */
  storageSuffix: string;
  /** Microsoft Entra authority, for credentials that sign in (not managed identity, which asks the platform). */
  authorityHost: string;
  /** Azure portal, for the "open in Log Analytics" link. */
  portalUrl: string;
}

export const AZURE_CLOUD_NAMES = ['AzurePublicCloud', 'AzureUSGovernment', 'AzureChinaCloud'] as const;
export type AzureCloudName = (typeof AZURE_CLOUD_NAMES)[number];

export const AZURE_CLOUDS: Record<AzureCloudName, AzureCloud> = {
  AzurePublicCloud: {
    name: 'AzurePublicCloud',
    logsEndpoint: 'https://api.loganalytics.io/v1',
    logsHosts: ['api.loganalytics.io', 'api.loganalytics.azure.com'],
    logsAudience: 'https://api.loganalytics.io',
    storageSuffix: 'core.windows.net',
    authorityHost: 'https://login.microsoftonline.com',
    portalUrl: 'https://portal.azure.com',
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    logsEndpoint: 'https://api.loganalytics.us/v1',
    logsHosts: ['api.loganalytics.us'],
    logsAudience: 'https://api.loganalytics.us',
    storageSuffix: 'core.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us',
    portalUrl: 'https://portal.azure.us',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    logsEndpoint: 'https://api.loganalytics.azure.cn/v1',
    logsHosts: ['api.loganalytics.azure.cn'],
    logsAudience: 'https://api.loganalytics.azure.cn',
    storageSuffix: 'core.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
    portalUrl: 'https://portal.azure.cn',
  },
};

/** The cloud whose Log Analytics host this is, or null for any other host (a private link, a local stand-in). */
export function cloudOfLogsEndpoint(endpoint: string): AzureCloud | null {
  const host = new URL(endpoint).hostname.toLowerCase();
  return Object.values(AZURE_CLOUDS).find((c) => c.logsHosts.includes(host)) ?? null;
}
