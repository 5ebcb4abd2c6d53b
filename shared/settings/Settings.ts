import type { LogsTableSetting } from '../logAnalytics/scanSources';

/** Every setting, validated once (loadSettings); code after that trusts these values. */
export interface Settings {
  logsWorkspaceId: string | null;
  /** ARM resource id of the workspace: only for the portal deep link in alerts (the portal needs it, queries do not). */
  logsWorkspaceResourceId: string | null;
  logsEndpoint: string;
  logsTable: LogsTableSetting;
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
