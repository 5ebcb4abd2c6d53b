import type { TokenCredential } from '@azure/identity';
import { createStateStore } from '../dedupe/createStateStore';
import { UserError } from '../errors/UserError';
import { createLogsQueryClient } from '../logAnalytics/createLogsQueryClient';
import { createNotifiers } from '../notify/createNotifiers';
import { renderOptionsFor } from '../notify/renderOptionsFor';
import { loadRules } from '../rules/loadRules';
import { createAzureCredentials } from '../settings/createAzureCredentials';
import { loadSettings } from '../settings/loadSettings';
import type { Logger } from '../util/Logger';
import { sleep } from '../util/sleep';
import { SessionWaitMemory } from './awaitInFlightSessions';
import type { LogSource } from './LogSource';
import { logAnalyticsSource } from './logAnalyticsSource';
import type { EventHubBatchDeps } from './runEventHubBatch';

export interface EventHubPipelineOptions {
  cwd: string;
  /** One credential for everything (tests); default: createAzureCredentials(settings). */
  credential?: TokenCredential;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** Everything a batch needs except the logger: built once per instance (rules compiled once, clients reused). */
export type EventHubPipeline = Omit<EventHubBatchDeps, 'log'>;

/**
 * The Event Hubs pipeline configured from app settings: the same settings, rules, state store and
 * notifiers as the timer's scan. Session lookups go to Log Analytics where LOGS_WORKSPACE_ID is set.
 */
export async function eventHubPipelineFromEnvironment(env: Record<string, string | undefined>, log: Logger, options: EventHubPipelineOptions): Promise<EventHubPipeline> {
  const settings = loadSettings(env);
  if (!settings.storageConnectionString && !settings.storageTableEndpoint) {
    throw new UserError('the Event Hubs trigger needs the state store (the alert ledger and the session cache): set AzureWebJobsStorage or AzureWebJobsStorage__accountName', { code: 'MISSING_SETTINGS' });
  }
  const credentials = options.credential ? { app: options.credential, storage: options.credential } : createAzureCredentials(settings);
  const ruleSet = await loadRules(settings.rulesPath, options.cwd);
  for (const warning of ruleSet.warnings) log.warn(warning);
  const sessionLookup: LogSource = settings.logsWorkspaceId
    ? logAnalyticsSource({ client: createLogsQueryClient(settings, credentials.app), workspaceId: settings.logsWorkspaceId, table: settings.logsTable, servers: settings.pgServers, log })
    : NO_LOOKUP;
  return {
    settings,
    ruleSet,
    store: createStateStore(settings, credentials.storage),
    notifiers: createNotifiers(settings, [...ruleSet.destinations], { log, render: renderOptionsFor(settings), emailCredential: credentials.app }),
    sessionLookup,
    now: options.now ?? (() => new Date()),
    sleep: options.sleep ?? sleep,
    sessionWaitMs: settings.eventHubSessionWaitMs,
    sessionWaits: new SessionWaitMemory(),
  };
}

/** Without a workspace there is nowhere else to look: such sessions stay unknown (and are counted). */
const NO_LOOKUP: LogSource = {
  description: 'no Log Analytics workspace',
  scanRows: async function* () {},
  lookupSessions: async function* () {},
};
