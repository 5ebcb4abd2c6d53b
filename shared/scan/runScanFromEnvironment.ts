import type { TokenCredential } from '@azure/identity';
import { createStateStore } from '../dedupe/createStateStore';
import { createLogsQueryClient } from '../logAnalytics/createLogsQueryClient';
import type { Alert } from '../model/Alert';
import { createNotifiers } from '../notify/createNotifiers';
import { renderOptionsFor } from '../notify/renderOptionsFor';
import { createScrubber } from '../redact/createScrubber';
import { loadRules } from '../rules/loadRules';
import { createAzureCredentials } from '../settings/createAzureCredentials';
import { loadSettings, requireScanSettings } from '../settings/loadSettings';
import { secretsInEnv } from '../settings/secretSettings';
import { logAnalyticsSource } from './logAnalyticsSource';
import { runScan } from './runScan';
import type { Logger } from '../util/Logger';
import type { ScanReport } from './ScanReport';

export interface EnvironmentScanOptions {
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

/**
 * A Log Analytics scan configured from app settings (or the CLI's environment): the one code path
 * shared by the timer function and `pgaudit-alerts scan`. Settings are validated first and a missing
 * or invalid one fails fast, naming it.
 */
export async function runScanFromEnvironment(
  env: Record<string, string | undefined>,
  log: Logger,
  options: EnvironmentScanOptions = {},
): Promise<ScanReport> {
  const settings = loadSettings(env);
  requireScanSettings(settings);
  const credentials = options.credential ? { app: options.credential, storage: options.credential } : createAzureCredentials(settings);
  const client = createLogsQueryClient(settings, credentials.app);
  const store = createStateStore(settings, credentials.storage);
  const rulesFile = options.rulesFile ?? settings.rulesPath;
  return runScan({
    settings,
    loadRules: () => loadRules(rulesFile, options.cwd, { lists: options.lists ?? {} }),
    source: logAnalyticsSource({
      client,
      workspaceId: settings.logsWorkspaceId!,
      table: settings.logsTable,
      servers: settings.pgServers,
      log,
    }),
    store,
    notifiersFor: (destinations) => createNotifiers(settings, [...destinations], { log, render: renderOptionsFor(settings), emailCredential: credentials.app }),
    now: options.now ?? (() => new Date()),
    log,
    scrub: createScrubber(secretsInEnv(env)),
    ...(options.dryRun ? { dryRun: options.dryRun } : {}),
  });
}
