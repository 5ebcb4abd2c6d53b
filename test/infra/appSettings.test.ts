import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../shared/settings/loadSettings';
import { appSettings, readTemplate, resourcesOfType } from './support/armTemplate';
import { readmeSettingNames } from './support/readmeSettingsTable';

/** Settings the deployment needs that the Functions host or the Azure SDK reads, not loadSettings. */
const READ_BY_PLATFORM: Record<string, string> = {
  AUDIT_SCHEDULE: 'Functions host: the timer schedule, %AUDIT_SCHEDULE% in functions/auditScan.ts',
  AzureWebJobsStorage__credential: 'Functions host: identity-based AzureWebJobsStorage',
  AzureWebJobsStorage__clientId: 'Functions host: which user-assigned identity reaches AzureWebJobsStorage',
  AZURE_CLIENT_ID: "@azure/identity DefaultAzureCredential: the user-assigned identity the product's clients use",
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'Functions host: where telemetry goes (the watchdog reads it)',
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Functions host: Entra-authenticated telemetry (the component allows no keys)',
  PGAUDIT_EVENTHUB__credential: "Functions host: the Event Hubs trigger's identity-based connection",
  PGAUDIT_EVENTHUB__clientId: 'Functions host: which user-assigned identity reads the event hub',
};

/** Settings the product reads that the template deliberately leaves at their documented defaults. */
const LEFT_AT_DEFAULT: Record<string, string> = {
  AzureWebJobsStorage: 'a connection string carries the account key; the deployment connects with the identity (AzureWebJobsStorage__*)',
  AUDIT_RULES_PATH: 'the packaged config/rules.yaml',
  PG_LOG_LINE_PREFIX: "Azure's fixed %t-%c-",
  SCAN_INITIAL_LOOKBACK: 'tuning (README)',
  SCAN_MAX_LATENESS: 'tuning (README)',
  SCAN_SETTLE_DELAY: 'tuning (README)',
  SILENCE_ALERT_AFTER: 'tuning (README)',
  SCAN_DELIVERY_LEASE: 'tuning (README)',
  SLACK_API_URL: "Slack's public API",
  ALERT_DIGEST_THRESHOLD: 'tuning (README)',
  AZURE_CLOUD: 'the public cloud; a sovereign-cloud deployment sets it (README)',
  AzureWebJobsStorage__tableServiceUri: 'derived from AzureWebJobsStorage__accountName',
  PG_LOG_TIMEZONE: "Azure's servers log in UTC, which needs no zone setting",
  PGAUDIT_EVENTHUB: 'a connection string carries a key; the trigger connects with the identity (PGAUDIT_EVENTHUB__*)',
  EVENTHUB_SESSION_WAIT: 'tuning (README)',
  ARCHIVE_STORAGE_CONNECTION: 'a connection string carries the account key; the archive is read with the identity (ARCHIVE_STORAGE_ACCOUNT)',
  ARCHIVE_CONTAINER: "the diagnostic setting's own container, insights-logs-postgresqllogs",
  ARCHIVE_MAX_LATENESS: 'tuning (README)',
  OPENSEARCH_URL: "the OpenSearch source reads Aiven's log integration, not the Azure server this template configures (README: Aiven for PostgreSQL)",
  OPENSEARCH_USERNAME: 'only with OPENSEARCH_URL',
  OPENSEARCH_PASSWORD: 'only with OPENSEARCH_URL (a Key Vault reference)',
  OPENSEARCH_CA_CERT: 'only with OPENSEARCH_URL',
  OPENSEARCH_INDEX: 'only with OPENSEARCH_URL; default logs-*',
  OPENSEARCH_MESSAGE_FIELD: 'detected',
  OPENSEARCH_TIME_FIELD: 'detected',
  OPENSEARCH_SERVER_FIELD: 'detected',
  OPENSEARCH_MAX_LATENESS: 'tuning (README)',
};

/**
 * Deprecated on Flex Consumption (learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations):
 * runtime and version live in functionAppConfig.runtime, the package in functionAppConfig.deployment.
 */
const DEPRECATED_ON_FLEX = ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_NODE_DEFAULT_VERSION', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_CONTENTSHARE', 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING'];

describe('the template sets exactly the app settings the product reads', () => {
  const template = readTemplate();
  const settings = appSettings(template);
  const names = settings.map((s) => s.name);
  const value = (name: string): string => settings.find((s) => s.name === name)?.value ?? '';

  it('names each setting once', () => {
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('sets nothing that neither the product nor the platform reads, and every setting is in the README table', () => {
    const read = new Set([...SETTING_NAMES, ...Object.keys(READ_BY_PLATFORM)]);
    expect(names.filter((n) => !read.has(n))).toEqual([]);
    const documented = readmeSettingNames();
    expect(names.filter((n) => !documented.includes(n))).toEqual([]);
  });

  it('sets every setting the product reads, or leaves it at its default on purpose (listed above with why)', () => {
    const product = SETTING_NAMES.filter((n) => !(n in READ_BY_PLATFORM));
    const inTemplate = product.filter((n) => names.includes(n));
    const leftOut = product.filter((n) => !names.includes(n));
    expect(leftOut.sort()).toEqual(Object.keys(LEFT_AT_DEFAULT).sort());
    expect(inTemplate.length + leftOut.length).toBe(product.length);
    expect(inTemplate.filter((n) => n in LEFT_AT_DEFAULT)).toEqual([]);
  });

  it('has the required ones: schedule, workspace, identity-based storage, and a destination', () => {
    for (const name of ['AUDIT_SCHEDULE', 'LOGS_WORKSPACE_ID', 'AzureWebJobsStorage__accountName', ...Object.keys(READ_BY_PLATFORM)]) {
      expect(names, name).toContain(name);
    }
    const destinations = [['SLACK_BOT_TOKEN', 'SLACK_CHANNEL'], ['SLACK_WEBHOOK_URL'], ['EMAIL_TO', 'EMAIL_FROM', 'ACS_ENDPOINT'], ['EMAIL_TO', 'EMAIL_FROM', 'ACS_CONNECTION_STRING']];
    for (const set of destinations) for (const name of set) expect(names, name).toContain(name);
  });

  it('wires identity-based storage to the user-assigned identity, as the Functions host reads it', () => {
    expect(value('AzureWebJobsStorage__credential')).toBe('managedidentity');
    expect(value('AzureWebJobsStorage__accountName')).toBe("[variables('storageAccountName')]");
    const clientId = "[reference(variables('identityId'), '2024-11-30').clientId]";
    expect(value('AzureWebJobsStorage__clientId')).toBe(clientId);
    expect(value('AZURE_CLIENT_ID')).toBe(clientId);
    expect(value('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')).toContain("reference(variables('identityId'), '2024-11-30').clientId");
    expect(value('LOGS_WORKSPACE_ID')).toBe("[reference(variables('workspaceId'), '2025-07-01').customerId]");
    const site = resourcesOfType(template, 'Microsoft.Web/sites')[0]!;
    expect(Object.keys((site.identity as { userAssignedIdentities: object }).userAssignedIdentities)).toEqual(["[format('{0}', variables('identityId'))]"]);
  });

  it('runs Node 22 on Flex Consumption, with none of the settings Flex deprecates', () => {
    const site = resourcesOfType(template, 'Microsoft.Web/sites')[0]!;
    expect((site.properties!.functionAppConfig as { runtime: unknown }).runtime).toEqual({ name: 'node', version: '22' });
    const plan = resourcesOfType(template, 'Microsoft.Web/serverfarms')[0]!;
    expect(plan.sku).toEqual({ name: 'FC1', tier: 'FlexConsumption' });
    expect(names.filter((n) => DEPRECATED_ON_FLEX.includes(n))).toEqual([]);
  });

  it('schedules the timer the code declares, with the example schedule', () => {
    expect(readFileSync('functions/auditScan.ts', 'utf8')).toContain("schedule: '%AUDIT_SCHEDULE%'");
    expect(value('AUDIT_SCHEDULE')).toBe("[parameters('auditSchedule')]");
    const example = JSON.parse(readFileSync('local.settings.example.json', 'utf8')) as { Values: Record<string, string> };
    expect(template.parameters.auditSchedule!.defaultValue).toBe(example.Values.AUDIT_SCHEDULE);
    expect(String(template.parameters.auditSchedule!.defaultValue).split(' ')).toHaveLength(6);
  });
});
