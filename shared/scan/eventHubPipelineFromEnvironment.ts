import { UserError } from '../errors/UserError';
import type { Logger } from '../util/Logger';
import { sleep } from '../util/sleep';
import { SessionWaitMemory } from './awaitInFlightSessions';
import { pipelineFromEnvironment, type EnvironmentPipelineOptions } from './pipelineFromEnvironment';
import { POLLED_SOURCES } from './polledSources';
import type { EventHubPipeline } from './runEventHubBatch';

/**
 * The Event Hubs pipeline configured from app settings: pipelineFromEnvironment's dependencies (the same
 * settings, rules, state store and notifiers as the timer's scan), built once per instance, so the rules are
 * compiled once and the clients reused, plus what only pushed batches need. Session lookups go to Log
 * Analytics where LOGS_WORKSPACE_ID is set.
 */
export function eventHubPipelineFromEnvironment(env: Record<string, string | undefined>, log: Logger, options: EnvironmentPipelineOptions = {}): EventHubPipeline {
  const pipeline = pipelineFromEnvironment(env, log, options);
  const { settings, credentials } = pipeline;
  if (!settings.storageConnectionString && !settings.storageTableEndpoint) {
    throw new UserError('the Event Hubs trigger needs the state store (the alert ledger and the session cache): set AzureWebJobsStorage or AzureWebJobsStorage__accountName', { code: 'MISSING_SETTINGS' });
  }
  const logAnalytics = POLLED_SOURCES['log-analytics'];
  const workspace = logAnalytics.configured(settings)
    ? logAnalytics.create({ settings, credential: credentials.app, storageCredential: credentials.storage, log })
    : null;
  return {
    settings,
    depsFor: pipeline.depsFor,
    ...(workspace?.lookupSessions ? { lookupSessions: workspace.lookupSessions } : {}),
    sleep,
    sessionWaits: new SessionWaitMemory(),
  };
}
