import type { AzureCloudName } from '../model/azureClouds';
import type { StateStoreSettings } from '../dedupe/createStateStore';
import type { LogsTableSetting } from '../logAnalytics/scanSources';
import type { NotifySettings } from '../notify/createNotifiers';
import type { OpenSearchSettings } from '../source/openSearch/OpenSearchSettings';

/**
 * Every setting, validated once (loadSettings); code after that trusts these values. The settings of
 * the state store and the notifiers are declared where they are used (lower layers take them as
 * arguments), and gathered here.
 */
export interface Settings extends StateStoreSettings, NotifySettings, OpenSearchSettings {
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
  logsTable: LogsTableSetting;
  /** Lower-case server names; empty = all servers. */
  pgServers: string[];
  logLinePrefix: string;
  /** The servers' log_timezone (IANA name), for timestamps whose zone abbreviation is ambiguous (IST, CST); null = unset. */
  logTimezone: string | null;
  rulesPath: string;
  initialLookbackMs: number;
  maxLatenessMs: number;
  settleDelayMs: number;
  silenceAlertAfterMs: number;
  /** How long a run owns the alerts it is sending; a crashed run's in-flight alerts are retried after this. */
  deliveryLeaseMs: number;
  storageAccountName: string | null;
  /** ARCHIVE_STORAGE_ACCOUNT: the Storage archive's account, read with the app's identity (Storage Blob Data Reader). */
  archiveStorageAccount: string | null;
  /** ARCHIVE_STORAGE_CONNECTION: a connection string for the archive instead (`UseDevelopmentStorage=true` = Azurite). */
  archiveStorageConnection: string | null;
  /** ARCHIVE_CONTAINER, default `insights-logs-postgresqllogs`. */
  archiveContainer: string;
  /** ARCHIVE_MAX_LATENESS: how far back each run lists the archive's hour folders (blobs written late). */
  archiveMaxLatenessMs: number;
  /** Blob endpoint suffix of AZURE_CLOUD (`core.windows.net`). */
  storageSuffix: string;
  /** AzureWebJobsStorage__credential: 'managedidentity' = ManagedIdentityCredential; null = DefaultAzureCredential. */
  storageCredential: 'managedidentity' | null;
  /** AzureWebJobsStorage__clientId: the user-assigned identity with storageCredential. */
  storageClientId: string | null;
  /** EVENTHUB_NAME: the hub the diagnostic setting streams to; null = no Event Hubs trigger. */
  eventHubName: string | null;
  eventHubConsumerGroup: string;
  /** EVENTHUB_SESSION_WAIT: how long a batch waits for a fresh session's connection line read on another partition. */
  eventHubSessionWaitMs: number;
  /** PGAUDIT_EVENTHUB: a connection string (read by the Functions host; here only to be scrubbed). */
  eventHubConnectionString: string | null;
  /** PGAUDIT_EVENTHUB__fullyQualifiedNamespace: the identity-based connection (read by the Functions host). */
  eventHubNamespace: string | null;
}
