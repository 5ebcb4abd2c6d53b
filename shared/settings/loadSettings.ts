import { z } from 'zod';
import { UserError } from '../errors/UserError';
import { AZURE_DEFAULT_PREFIX } from '../parse/commonPrefixes';
import { checkTimeZone } from '../parse/LogTimestamps';
import { isoDurationProblem, parseIsoDuration } from './parseIsoDuration';
import type { Settings } from './Settings';
import { DEFAULT_RULES_PATH } from '../rules/defaultRulesPath';
import { LOGS_TABLES } from '../logAnalytics/scanSources';

type Env = Record<string, string | undefined>;

/** Empty values count as unset, as in local.settings.json. */
const optional = z.string().optional().transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const duration = (fallback: string) =>
  optional.transform((v, ctx) => {
    const problem = isoDurationProblem(v ?? fallback);
    if (problem !== null) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return parseIsoDuration(v ?? fallback, 'duration');
  });

/** Secrets (webhook URLs) are never echoed: the message says only what is wrong. */
const httpUrl = (fallback?: string) =>
  optional.transform((v, ctx) => {
    const value = v ?? fallback;
    if (value === undefined) return null;
    try {
      if (!/^https?:$/.test(new URL(value).protocol)) throw new Error('scheme');
      return value;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a valid http(s) URL' });
      return z.NEVER;
    }
  });

const list = (separator: RegExp, lower: boolean) =>
  optional.transform((v) => (v ?? '').split(separator).map((s) => (lower ? s.trim().toLowerCase() : s.trim())).filter((s) => s !== ''));

const SettingsSchema = z.object({
  LOGS_WORKSPACE_ID: optional,
  LOGS_ENDPOINT: httpUrl('https://api.loganalytics.io/v1'),
  LOGS_WORKSPACE_RESOURCE_ID: optional.transform((v, ctx) => {
    if (v !== undefined && !/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i.test(v)) {
      ctx.addIssue({ code: 'custom', message: 'expected /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>' });
    }
    return v ?? null;
  }),
  LOGS_TABLE: optional.transform((v, ctx) => {
    const table = (['auto', ...LOGS_TABLES] as const).find((t) => t.toLowerCase() === (v ?? 'auto').toLowerCase());
    if (!table) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not one of auto, PGSQLServerLogs, AzureDiagnostics` });
    return table ?? 'auto';
  }),
  PG_SERVERS: list(/,/, true),
  // Not trimmed: a prefix's trailing space is part of it.
  PG_LOG_LINE_PREFIX: z.string().optional().transform((v) => (v === undefined || v === '' ? AZURE_DEFAULT_PREFIX : v)),
  PG_LOG_TIMEZONE: optional.transform((v, ctx) => {
    if (v === undefined) return null;
    try {
      return checkTimeZone(v, 'PG_LOG_TIMEZONE');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^PG_LOG_TIMEZONE: /, '') });
      return z.NEVER;
    }
  }),
  AUDIT_RULES_PATH: optional.transform((v) => v ?? DEFAULT_RULES_PATH),
  SCAN_INITIAL_LOOKBACK: duration('PT1H'),
  SCAN_MAX_LATENESS: duration('P2D'),
  SCAN_SETTLE_DELAY: duration('PT2M'),
  SILENCE_ALERT_AFTER: duration('PT6H'),
  SCAN_DELIVERY_LEASE: duration('PT1M'),
  AzureWebJobsStorage: optional,
  AzureWebJobsStorage__accountName: optional,
  SLACK_BOT_TOKEN: optional,
  SLACK_CHANNEL: optional,
  SLACK_WEBHOOK_URL: httpUrl(),
  SLACK_API_URL: httpUrl('https://slack.com/api/'),
  ACS_CONNECTION_STRING: optional,
  ACS_ENDPOINT: httpUrl(),
  EMAIL_FROM: optional,
  EMAIL_TO: list(/[,;]/, false),
  ALERT_DIGEST_THRESHOLD: optional.transform((v, ctx) => {
    const n = Number(v ?? '10');
    if (!Number.isInteger(n) || n < 1) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a positive integer` });
    return n;
  }),
});

/** Every app setting the product reads (AUDIT_SCHEDULE is read by the Functions host, not here). */
export const SETTING_NAMES: readonly string[] = Object.keys(SettingsSchema.shape);

/**
 * Reads and validates every setting from the environment (app settings on Azure), once. All problems
 * are reported together, each naming its setting; code after this trusts the values.
 */
export function loadSettings(env: Env): Settings {
  const names = SETTING_NAMES;
  const parsed = SettingsSchema.safeParse(Object.fromEntries(names.map((n) => [n, env[n]])));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${String(i.path[0])}: ${i.message}`);
    throw new UserError(`invalid settings:\n${problems.join('\n')}`, { code: 'INVALID_SETTINGS' });
  }
  const s = parsed.data;
  return {
    logsWorkspaceId: s.LOGS_WORKSPACE_ID ?? null,
    logsWorkspaceResourceId: s.LOGS_WORKSPACE_RESOURCE_ID,
    logsEndpoint: s.LOGS_ENDPOINT!,
    logsTable: s.LOGS_TABLE,
    pgServers: s.PG_SERVERS,
    logLinePrefix: s.PG_LOG_LINE_PREFIX,
    logTimezone: s.PG_LOG_TIMEZONE,
    rulesPath: s.AUDIT_RULES_PATH,
    initialLookbackMs: s.SCAN_INITIAL_LOOKBACK,
    maxLatenessMs: s.SCAN_MAX_LATENESS,
    settleDelayMs: s.SCAN_SETTLE_DELAY,
    silenceAlertAfterMs: s.SILENCE_ALERT_AFTER,
    deliveryLeaseMs: s.SCAN_DELIVERY_LEASE,
    storageConnectionString: s.AzureWebJobsStorage ?? null,
    storageAccountName: s.AzureWebJobsStorage__accountName ?? null,
    slackBotToken: s.SLACK_BOT_TOKEN ?? null,
    slackChannel: s.SLACK_CHANNEL ?? null,
    slackWebhookUrl: s.SLACK_WEBHOOK_URL,
    slackApiUrl: s.SLACK_API_URL!,
    acsConnectionString: s.ACS_CONNECTION_STRING ?? null,
    acsEndpoint: s.ACS_ENDPOINT,
    emailFrom: s.EMAIL_FROM ?? null,
    emailTo: s.EMAIL_TO,
    digestThreshold: s.ALERT_DIGEST_THRESHOLD,
  };
}

/** The settings a Log Analytics scan cannot run without; the message names each missing one. */
export function requireScanSettings(settings: Settings): void {
  const missing: string[] = [];
  if (!settings.logsWorkspaceId) missing.push('LOGS_WORKSPACE_ID (the Log Analytics workspace id)');
  if (!settings.storageConnectionString && !settings.storageAccountName) {
    missing.push('AzureWebJobsStorage (state store; UseDevelopmentStorage=true for Azurite) or AzureWebJobsStorage__accountName');
  }
  if (missing.length > 0) {
    throw new UserError(
      `a Log Analytics scan needs these settings:\n${missing.map((m) => `  - ${m}`).join('\n')}\n(to scan a file instead, use --input FILE)`,
      { code: 'MISSING_SETTINGS' },
    );
  }
}
