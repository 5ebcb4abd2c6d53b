import type { StateStoreSettings } from '../dedupe/createStateStore';
import type { LogsTableSetting } from '../logAnalytics/scanSources';
import type { NotifySettings } from '../notify/createNotifiers';

/**
 * Every setting, validated once (loadSettings); code after that trusts these values. The settings of
 * the state store and the notifiers are declared where they are used (lower layers take them as
 * arguments), and gathered here.
 */
export interface Settings extends StateStoreSettings, NotifySettings {
  logsWorkspaceId: string | null;
  /** ARM resource id of the workspace: only for the portal deep link in alerts (the portal needs it, queries do not). */
  logsWorkspaceResourceId: string | null;
  logsEndpoint: string;
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
}
