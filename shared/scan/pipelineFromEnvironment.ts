import type { TokenCredential } from '@azure/identity';
import { createStateStore } from '../dedupe/createStateStore';
import type { StateStore } from '../dedupe/StateStore';
import { RuleSet } from '../match/RuleSet';
import type { Alert } from '../model/Alert';
import type { Destination } from '../model/Destination';
import type { Notifier } from '../notify/Notifier';
import { createNotifiers } from '../notify/createNotifiers';
import { renderOptionsFor } from '../notify/renderOptionsFor';
import { createScrubber, type Scrub } from '../redact/createScrubber';
import { loadRules } from '../rules/loadRules';
import { createAzureCredentials, type AzureCredentials } from '../settings/createAzureCredentials';
import { loadSettings } from '../settings/loadSettings';
import { secretsInEnv } from '../settings/secretSettings';
import type { Settings } from '../settings/Settings';
import type { LogSource } from '../source/LogSource';
import type { Logger } from '../util/Logger';
import type { PipelineDeps } from './runPipeline';

export interface EnvironmentPipelineOptions {
  /** Where relative paths (AUDIT_RULES_PATH) resolve: the app root on Azure, the shell's cwd for the CLI. */
  cwd?: string;
  /** `scan --rules`: overrides AUDIT_RULES_PATH. */
  rulesFile?: string;
  /** `scan --list NAME=a,b`. */
  lists?: Record<string, string[]>;
  /** `scan --dry-run`: print instead of sending, write no state. */
  dryRun?: (alerts: Alert[]) => Promise<void>;
  /** One credential for everything (tests); default: createAzureCredentials(settings). */
  credential?: TokenCredential;
  now?: () => Date;
}

export interface EnvironmentPipeline {
  settings: Settings;
  credentials: AzureCredentials;
  scrub: Scrub;
  /**
   * The rules, loaded on first use and kept for this pipeline's life (one timer tick, one Event Hubs
   * instance): loading takes a good part of a second. Their warnings (rules that cannot fire yet) are
   * logged once, at load. A load that failed is not kept: the next use reads the file again.
   */
  ruleSet(): Promise<RuleSet>;
  /** The state store, made on first use: a settings problem about sources is reported before one about the store. */
  store(): StateStore;
  notifiersFor(destinations: readonly Destination[], log?: Logger): Notifier[];
  /** Everything runPipeline needs but the source: the state store, rules, notifiers, clock, log and scrubber. */
  sharedDeps(log?: Logger): Omit<PipelineDeps, 'source'>;
  depsFor(source: LogSource, log?: Logger): PipelineDeps;
}

/**
 * The pipeline wired from app settings (or the CLI's environment), for any source: the one place that turns
 * settings into the pipeline's dependencies, shared by the timer (each polled source), `pgaudit-alerts scan`
 * and the Event Hubs trigger (scan/eventHubPipelineFromEnvironment). Settings are validated here, once; an
 * invalid one throws naming it.
 */
export function pipelineFromEnvironment(env: Record<string, string | undefined>, log: Logger, options: EnvironmentPipelineOptions = {}): EnvironmentPipeline {
  const settings = loadSettings(env);
  const credentials = options.credential ? { app: options.credential, storage: options.credential } : createAzureCredentials(settings);
  const rulesFile = options.rulesFile ?? settings.rulesPath;
  const scrub = createScrubber(secretsInEnv(env));
  const now = options.now ?? (() => new Date());
  let store: StateStore | null = null;
  let rules: Promise<RuleSet> | null = null;
  const pipeline: EnvironmentPipeline = {
    settings,
    credentials,
    scrub,
    // Kept without its warnings: the pipeline logs a rule set's warnings on every run, and one pipeline makes
    // a run of every polled source (the timer) or of every batch (Event Hubs).
    ruleSet: () => (rules ??= loadRules(rulesFile, options.cwd, { lists: options.lists ?? {} }).then(
      (loaded) => {
        for (const warning of loaded.warnings) log.warn(warning);
        return new RuleSet([...loaded.rules], [...loaded.destinations]);
      },
      (err: unknown) => {
        rules = null;
        throw err;
      },
    )),
    store: () => (store ??= createStateStore(settings, credentials.storage)),
    notifiersFor: (destinations, runLog = log) =>
      createNotifiers(settings, [...destinations], { log: runLog, render: renderOptionsFor(settings), emailCredential: credentials.app }),
    sharedDeps: (runLog = log) => ({
      settings,
      store: pipeline.store(),
      loadRules: pipeline.ruleSet,
      notifiersFor: (destinations) => pipeline.notifiersFor(destinations, runLog),
      now,
      log: runLog,
      scrub,
      ...(options.dryRun ? { dryRun: options.dryRun } : {}),
    }),
    depsFor: (source, runLog) => ({ ...pipeline.sharedDeps(runLog), source }),
  };
  return pipeline;
}
