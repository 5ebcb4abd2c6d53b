import { z } from 'zod';
import { UserError } from '../errors/UserError';
import { AZURE_DEFAULT_PREFIX } from '../parse/commonPrefixes';
import { checkTimeZone } from '../parse/LogTimestamps';
import { AZURE_CLOUD_NAMES, AZURE_CLOUDS, cloudOfLogsEndpoint } from '../model/azureClouds';
import { isoDurationProblem, parseIsoDuration } from './parseIsoDuration';
import type { Settings } from './Settings';
import { DEFAULT_RULES_PATH } from '../rules/defaultRulesPath';
import { LOGS_TABLES } from '../logAnalytics/scanSources';
import { DEFAULT_ARCHIVE_CONTAINER } from '../source/storageArchive/archiveBlobNames';

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

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * An https URL; plain http only to this machine (localhost, 127.x, [::1]), for local emulators and
 * stand-ins. Secrets (webhook URLs) are never echoed: the message says only what is wrong.
 */
const secureUrl = () =>
  optional.transform((v, ctx) => {
    if (v === undefined) return null;
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a valid http(s) URL' });
      return z.NEVER;
    }
    if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname))) return v;
    ctx.addIssue({ code: 'custom', message: `must be an https:// URL (http:// only to localhost, for local emulators), not ${url.protocol}//${url.protocol === 'http:' ? url.hostname : ''}` });
    return z.NEVER;
  });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = (what: string) =>
  optional.transform((v, ctx) => {
    if (v !== undefined && !GUID.test(v)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a GUID (${what})` });
    return v ?? null;
  });

const EMAIL = /^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$/;

const list = (separator: RegExp, lower: boolean) =>
  optional.transform((v) => (v ?? '').split(separator).map((s) => (lower ? s.trim().toLowerCase() : s.trim())).filter((s) => s !== ''));

const oneOf = <T extends string>(values: readonly T[], fallback: T) =>
  optional.transform((v, ctx) => {
    const found = values.find((t) => t.toLowerCase() === (v ?? fallback).toLowerCase());
    if (!found) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not one of ${values.join(', ')}` });
    return found ?? fallback;
  });

const SettingsSchema = z.object({
  AZURE_CLOUD: oneOf(AZURE_CLOUD_NAMES, 'AzurePublicCloud'),
  AZURE_CLIENT_ID: guid('the client id of a user-assigned managed identity'),
  LOGS_WORKSPACE_ID: guid("the workspace's Workspace ID, on its Overview page"),
  LOGS_ENDPOINT: secureUrl(),
  LOGS_WORKSPACE_RESOURCE_ID: optional.transform((v, ctx) => {
    if (v !== undefined && !/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i.test(v)) {
      ctx.addIssue({ code: 'custom', message: 'expected /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>' });
    }
    return v ?? null;
  }),
  LOGS_TABLE: oneOf(['auto', ...LOGS_TABLES] as const, 'auto'),
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
  AzureWebJobsStorage__accountName: optional.transform((v, ctx) => {
    if (v !== undefined && !/^[a-z0-9]{3,24}$/.test(v)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a storage account name (3-24 lower-case letters and digits)` });
    return v ?? null;
  }),
  AzureWebJobsStorage__tableServiceUri: secureUrl(),
  AzureWebJobsStorage__credential: optional.transform((v, ctx) => {
    if (v !== undefined && v.toLowerCase() !== 'managedidentity') ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)}: the only value is managedidentity (leave it unset for DefaultAzureCredential)` });
    return v === undefined ? null : ('managedidentity' as const);
  }),
  AzureWebJobsStorage__clientId: guid('the client id of the user-assigned identity for storage'),
  ARCHIVE_STORAGE_ACCOUNT: optional.transform((v, ctx) => {
    if (v !== undefined && !/^[a-z0-9]{3,24}$/.test(v)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a storage account name (3-24 lower-case letters and digits)` });
    return v ?? null;
  }),
  ARCHIVE_STORAGE_CONNECTION: optional,
  ARCHIVE_CONTAINER: optional.transform((v, ctx) => {
    if (v !== undefined && !/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(v)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a blob container name (3-63 lower-case letters, digits and single hyphens)` });
    return v ?? DEFAULT_ARCHIVE_CONTAINER;
  }),
  ARCHIVE_MAX_LATENESS: duration('PT3H'),
  // Credentials go in OPENSEARCH_USERNAME/PASSWORD, never in the URL (which appears in messages).
  OPENSEARCH_URL: secureUrl().transform((v, ctx) => {
    if (v !== null && (new URL(v).username !== '' || new URL(v).password !== '')) {
      ctx.addIssue({ code: 'custom', message: 'must not carry credentials: put them in OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD' });
      return z.NEVER;
    }
    return v === null ? null : v.replace(/\/+$/, '');
  }),
  OPENSEARCH_USERNAME: optional,
  OPENSEARCH_PASSWORD: optional,
  // An app setting is one line: a PEM pasted with `\n` for its newlines is accepted as such.
  OPENSEARCH_CA_CERT: optional.transform((v, ctx) => {
    if (v === undefined) return null;
    const pem = v.replace(/\\n/g, '\n');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) ctx.addIssue({ code: 'custom', message: 'expected the PEM text of the CA certificate (-----BEGIN CERTIFICATE----- ...), e.g. from avn project ca-get' });
    return pem;
  }),
  OPENSEARCH_INDEX: optional.transform((v, ctx) => {
    if (v !== undefined && !/^[^\s"\\/?#<>|]+$/.test(v)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not an index pattern (e.g. logs-*, or avnlog-pg-*)` });
    return v ?? 'logs-*';
  }),
  OPENSEARCH_MESSAGE_FIELD: optional.transform((v) => v ?? null),
  OPENSEARCH_TIME_FIELD: optional.transform((v) => v ?? null),
  OPENSEARCH_SERVER_FIELD: optional.transform((v) => v ?? null),
  OPENSEARCH_MAX_LATENESS: duration('PT1H'),
  SLACK_BOT_TOKEN: optional,
  SLACK_CHANNEL: optional,
  SLACK_WEBHOOK_URL: secureUrl(),
  SLACK_API_URL: secureUrl(),
  ACS_CONNECTION_STRING: optional,
  ACS_ENDPOINT: secureUrl(),
  EMAIL_FROM: optional.transform((v, ctx) => {
    if (v !== undefined && !EMAIL.test(v)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not an email address (the sender on your verified ACS domain)` });
    return v ?? null;
  }),
  EMAIL_TO: list(/[,;]/, false).transform((to, ctx) => {
    for (const address of to) if (!EMAIL.test(address)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(address)} is not an email address` });
    return to;
  }),
  // Event Hubs trigger: the Functions host reads the connection settings; they are validated here so a
  // typo is named at startup rather than left to a trigger that never fires.
  EVENTHUB_NAME: optional.transform((v, ctx) => {
    if (v !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/.test(v)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not an event hub name (letters, digits, '.', '-', '_')` });
    return v ?? null;
  }),
  EVENTHUB_CONSUMER_GROUP: optional.transform((v) => v ?? '$Default'),
  EVENTHUB_SESSION_WAIT: duration('PT15S'),
  PGAUDIT_EVENTHUB: optional,
  PGAUDIT_EVENTHUB__fullyQualifiedNamespace: optional.transform((v, ctx) => {
    if (v !== undefined && !/^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+$/i.test(v)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a namespace host name (<namespace>.servicebus.windows.net, no https:// and no path)` });
    return v ?? null;
  }),
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
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `  - ${String(i.path[0])}: ${i.message}`);
  if (parsed.success) problems.push(...crossChecks(parsed.data).map((p) => `  - ${p}`));
  if (!parsed.success || problems.length > 0) {
    throw new UserError(`invalid settings:\n${problems.join('\n')}`, { code: 'INVALID_SETTINGS' });
  }
  const s = parsed.data;
  const cloud = AZURE_CLOUDS[s.AZURE_CLOUD];
  const logsEndpoint = s.LOGS_ENDPOINT ?? cloud.logsEndpoint;
  return {
    logsWorkspaceId: s.LOGS_WORKSPACE_ID,
    logsWorkspaceResourceId: s.LOGS_WORKSPACE_RESOURCE_ID,
    logsEndpoint,
    logsAudience: (cloudOfLogsEndpoint(logsEndpoint) ?? cloud).logsAudience,
    azureCloud: cloud.name,
    authorityHost: cloud.authorityHost,
    portalUrl: cloud.portalUrl,
    azureClientId: s.AZURE_CLIENT_ID,
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
    storageAccountName: s.AzureWebJobsStorage__accountName,
    storageTableEndpoint: s.AzureWebJobsStorage
      ? null
      : (s.AzureWebJobsStorage__tableServiceUri
        ?? (s.AzureWebJobsStorage__accountName ? `https://${s.AzureWebJobsStorage__accountName}.table.${cloud.storageSuffix}` : null)),
    storageCredential: s.AzureWebJobsStorage__credential,
    storageClientId: s.AzureWebJobsStorage__clientId,
    archiveStorageAccount: s.ARCHIVE_STORAGE_ACCOUNT,
    archiveStorageConnection: s.ARCHIVE_STORAGE_CONNECTION ?? null,
    archiveContainer: s.ARCHIVE_CONTAINER,
    archiveMaxLatenessMs: s.ARCHIVE_MAX_LATENESS,
    storageSuffix: cloud.storageSuffix,
    openSearchUrl: s.OPENSEARCH_URL,
    openSearchUsername: s.OPENSEARCH_USERNAME ?? null,
    openSearchPassword: s.OPENSEARCH_PASSWORD ?? null,
    openSearchCaCert: s.OPENSEARCH_CA_CERT,
    openSearchIndex: s.OPENSEARCH_INDEX,
    openSearchMessageField: s.OPENSEARCH_MESSAGE_FIELD,
    openSearchTimeField: s.OPENSEARCH_TIME_FIELD,
    openSearchServerField: s.OPENSEARCH_SERVER_FIELD,
    openSearchMaxLatenessMs: s.OPENSEARCH_MAX_LATENESS,
    slackBotToken: s.SLACK_BOT_TOKEN ?? null,
    slackChannel: s.SLACK_CHANNEL ?? null,
    slackWebhookUrl: s.SLACK_WEBHOOK_URL,
    slackApiUrl: s.SLACK_API_URL ?? 'https://slack.com/api/',
    acsConnectionString: s.ACS_CONNECTION_STRING ?? null,
    acsEndpoint: s.ACS_ENDPOINT,
    emailFrom: s.EMAIL_FROM,
    emailTo: s.EMAIL_TO,
    digestThreshold: s.ALERT_DIGEST_THRESHOLD,
    eventHubName: s.EVENTHUB_NAME,
    eventHubConsumerGroup: s.EVENTHUB_CONSUMER_GROUP,
    eventHubSessionWaitMs: s.EVENTHUB_SESSION_WAIT,
    eventHubConnectionString: s.PGAUDIT_EVENTHUB ?? null,
    eventHubNamespace: s.PGAUDIT_EVENTHUB__fullyQualifiedNamespace,
  };
}

/** Problems between settings, each naming the settings involved. */
function crossChecks(s: z.infer<typeof SettingsSchema>): string[] {
  const problems: string[] = [];
  const endpointCloud = s.LOGS_ENDPOINT ? cloudOfLogsEndpoint(s.LOGS_ENDPOINT) : null;
  if (endpointCloud && endpointCloud.name !== s.AZURE_CLOUD) {
    problems.push(`LOGS_ENDPOINT: ${new URL(s.LOGS_ENDPOINT!).hostname} is ${endpointCloud.name}'s, but AZURE_CLOUD is ${s.AZURE_CLOUD}; set AZURE_CLOUD=${endpointCloud.name} (or leave LOGS_ENDPOINT unset)`);
  }
  // The archive reader lists one folder per server and hour of the window (StorageArchiveReader's limit: a week).
  if (s.ARCHIVE_MAX_LATENESS > 7 * 24 * 3_600_000) problems.push('ARCHIVE_MAX_LATENESS: at most P7D (every run lists one folder per server and hour of it)');
  if (s.OPENSEARCH_URL && (s.OPENSEARCH_USERNAME === undefined) !== (s.OPENSEARCH_PASSWORD === undefined)) {
    problems.push(`${s.OPENSEARCH_USERNAME === undefined ? 'OPENSEARCH_USERNAME' : 'OPENSEARCH_PASSWORD'}: basic auth needs both OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD`);
  }
  if (s.AzureWebJobsStorage__clientId && !s.AzureWebJobsStorage__credential) {
    problems.push('AzureWebJobsStorage__clientId: the Functions host uses it only with AzureWebJobsStorage__credential=managedidentity; set that too');
  }
  if (s.EVENTHUB_NAME && !s.PGAUDIT_EVENTHUB && !s.PGAUDIT_EVENTHUB__fullyQualifiedNamespace) {
    problems.push('EVENTHUB_NAME: the Event Hubs trigger needs its connection: PGAUDIT_EVENTHUB__fullyQualifiedNamespace (<namespace>.servicebus.windows.net, with the identity) or PGAUDIT_EVENTHUB (a connection string)');
  }
  return problems;
}

/**
 * The settings a polled scan cannot run without: at least one source, and the state store. The message
 * names each missing one. `source`: the one source asked for (`scan --source NAME`), with what it needs.
 */
export function requireScanSettings(settings: Settings, source?: { name: string; needs: string; configured: boolean }): void {
  const missing: string[] = [];
  if (source !== undefined && !source.configured) missing.push(`${source.needs}, for --source ${source.name}`);
  if (source === undefined && !settings.logsWorkspaceId && !settings.archiveStorageAccount && !settings.archiveStorageConnection && !settings.openSearchUrl) {
    missing.push('LOGS_WORKSPACE_ID (the Log Analytics workspace id), ARCHIVE_STORAGE_ACCOUNT / ARCHIVE_STORAGE_CONNECTION (the Storage archive), or OPENSEARCH_URL (Aiven\'s OpenSearch log integration)');
  }
  if (!settings.storageConnectionString && !settings.storageTableEndpoint) {
    missing.push('AzureWebJobsStorage (state store; UseDevelopmentStorage=true for Azurite), or AzureWebJobsStorage__accountName / __tableServiceUri with the identity');
  }
  if (missing.length > 0) {
    throw new UserError(
      `a scan needs these settings:\n${missing.map((m) => `  - ${m}`).join('\n')}\n(to scan a file instead, use --input FILE)`,
      { code: 'MISSING_SETTINGS' },
    );
  }
}
