import type { AzureCloudName } from '../model/azureClouds';

/** Every setting, validated once (loadSettings); code after that trusts these values. */
export interface Settings {
  logsWorkspaceId: string | null;
  /** ARM resource id of the workspace: only for the portal deep link in alerts (the portal needs it, queries do not). */
  logsWorkspaceResourceId: string | null;
  /** LOGS_ENDPOINT, else the cloud's. */
  logsEndpoint: string;
  /** Token audience for LOGS_ENDPOINT: its cloud's when it is a known host, else AZURE_CLOUD's (private links). */
  logsAudience: string;
  /** AZURE_CLOUD: which cloud's endpoints are derived. */
  azureCloud: AzureCloudName;
  /** Entra authority for signing in (az login, service principals), from AZURE_CLOUD. */
  authorityHost: string;
  /** Azure portal of that cloud, for links in alerts. */
  portalUrl: string;
  /** AZURE_CLIENT_ID: the user-assigned managed identity for Log Analytics and email; null = system-assigned. */
  azureClientId: string | null;
  logsTable: 'auto' | 'PGSQLServerLogs' | 'AzureDiagnostics';
  /** Lower-case server names; empty = all servers. */
  pgServers: string[];
  logLinePrefix: string;
  rulesPath: string;
  initialLookbackMs: number;
  maxLatenessMs: number;
  settleDelayMs: number;
  silenceAlertAfterMs: number;
  /** How long a run owns the alerts it is sending; a crashed run's in-flight alerts are retried after this. */
  deliveryLeaseMs: number;
  /** AzureWebJobsStorage connection string, or null when the identity-based account name is used. */
  storageConnectionString: string | null;
  storageAccountName: string | null;
  /**
   * Identity-based state store endpoint, as the Functions host derives it: AzureWebJobsStorage__tableServiceUri,
   * else https://<AzureWebJobsStorage__accountName>.table.<cloud's storage suffix>; null with a connection string.
   */
  storageTableEndpoint: string | null;
  /** AzureWebJobsStorage__credential: 'managedidentity' = ManagedIdentityCredential; null = DefaultAzureCredential. */
  storageCredential: 'managedidentity' | null;
  /** AzureWebJobsStorage__clientId: the user-assigned identity with storageCredential. */
  storageClientId: string | null;
  slackBotToken: string | null;
  slackChannel: string | null;
  slackWebhookUrl: string | null;
  slackApiUrl: string;
  acsConnectionString: string | null;
  acsEndpoint: string | null;
  emailFrom: string | null;
  emailTo: string[];
  digestThreshold: number;
}
