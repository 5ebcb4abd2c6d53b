import type { TokenCredential } from '@azure/identity';
import { createStateStore } from '../dedupe/createStateStore';
import type { Alert } from '../model/Alert';
import { createNotifiers } from '../notify/createNotifiers';
import { renderOptionsFor } from '../notify/renderOptionsFor';
import { createScrubber } from '../redact/createScrubber';
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
  /** Everything runPipeline needs but the source: the state store, rules, notifiers, clock, log and scrubber. */
  depsFor(source: LogSource): PipelineDeps;
}

/**
 * The pipeline wired from app settings (or the CLI's environment), for any source: what the timer (each
 * polled source), `pgaudit-alerts scan` and a pushed trigger (Event Hubs: `runPipeline(p.depsFor(source))`
 * with a source on its batch) share. Settings are validated here, once; an invalid one throws naming it.
 */
export function pipelineFromEnvironment(env: Record<string, string | undefined>, log: Logger, options: EnvironmentPipelineOptions = {}): EnvironmentPipeline {
  const settings = loadSettings(env);
  const credentials = options.credential ? { app: options.credential, storage: options.credential } : createAzureCredentials(settings);
  const rulesFile = options.rulesFile ?? settings.rulesPath;
  const scrub = createScrubber(secretsInEnv(env));
  let store: ReturnType<typeof createStateStore> | null = null;
  return {
    settings,
    credentials,
    depsFor: (source) => ({
      settings,
      // Made on first use: a settings problem about sources is reported before one about the state store.
      store: (store ??= createStateStore(settings, credentials.storage)),
      loadRules: () => loadRules(rulesFile, options.cwd, { lists: options.lists ?? {} }),
      source,
      notifiersFor: (destinations) => createNotifiers(settings, [...destinations], { log, render: renderOptionsFor(settings), emailCredential: credentials.app }),
      now: options.now ?? (() => new Date()),
      log,
      scrub,
      ...(options.dryRun ? { dryRun: options.dryRun } : {}),
    }),
  };
}
