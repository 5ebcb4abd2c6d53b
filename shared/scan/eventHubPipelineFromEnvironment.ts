import type { TokenCredential } from '@azure/identity';
import { createStateStore } from '../dedupe/createStateStore';
import { UserError } from '../errors/UserError';
import { createLogsQueryClient } from '../logAnalytics/createLogsQueryClient';
import { RuleSet } from '../match/RuleSet';
import { createNotifiers } from '../notify/createNotifiers';
import { renderOptionsFor } from '../notify/renderOptionsFor';
import type { Scrub } from '../redact/createScrubber';
import { loadRules } from '../rules/loadRules';
import { createAzureCredentials } from '../settings/createAzureCredentials';
import { loadSettings } from '../settings/loadSettings';
import { logAnalyticsSource } from '../source/logAnalytics/logAnalyticsSource';
import type { Logger } from '../util/Logger';
import { sleep } from '../util/sleep';
import { SessionWaitMemory } from './awaitInFlightSessions';
import type { EventHubPipeline } from './runEventHubBatch';

export interface EventHubPipelineOptions {
  cwd: string;
  scrub: Scrub;
  /** One credential for everything (tests); default: createAzureCredentials(settings). */
  credential?: TokenCredential;
  now?: () => Date;
}

/**
 * The Event Hubs pipeline configured from app settings: the same settings, rules, state store and
 * notifiers as the timer's scan, built once per instance (rules compiled once, clients reused). Session
 * lookups go to Log Analytics where LOGS_WORKSPACE_ID is set.
 */
export function eventHubPipelineFromEnvironment(env: Record<string, string | undefined>, log: Logger, options: EventHubPipelineOptions): EventHubPipeline {
  const settings = loadSettings(env);
  if (!settings.storageConnectionString && !settings.storageTableEndpoint) {
    throw new UserError('the Event Hubs trigger needs the state store (the alert ledger and the session cache): set AzureWebJobsStorage or AzureWebJobsStorage__accountName', { code: 'MISSING_SETTINGS' });
  }
  const credentials = options.credential ? { app: options.credential, storage: options.credential } : createAzureCredentials(settings);
  let rules: Promise<RuleSet> | null = null;
  const workspace = settings.logsWorkspaceId
    ? logAnalyticsSource({ client: createLogsQueryClient(settings, credentials.app), workspaceId: settings.logsWorkspaceId, table: settings.logsTable, servers: settings.pgServers, log }, settings)
    : null;
  return {
    settings,
    // Compiled on the first batch and kept; a file that failed to load is read again on the next batch.
    // Its warnings (rules that cannot fire yet) are logged here once per instance: the pipeline logs a rule
    // set's warnings on every run, and a busy hub makes a run of every batch.
    ruleSet: () => (rules ??= loadRules(settings.rulesPath, options.cwd).then(
      (loaded) => {
        for (const warning of loaded.warnings) log.warn(warning);
        return new RuleSet([...loaded.rules], [...loaded.destinations]);
      },
      (err: unknown) => {
        rules = null;
        throw err;
      },
    )),
    store: createStateStore(settings, credentials.storage),
    notifiersFor: (destinations) => createNotifiers(settings, [...destinations], { log, render: renderOptionsFor(settings), emailCredential: credentials.app }),
    ...(workspace?.lookupSessions ? { lookupSessions: workspace.lookupSessions } : {}),
    now: options.now ?? (() => new Date()),
    sleep,
    sessionWaits: new SessionWaitMemory(),
    scrub: options.scrub,
  };
}
