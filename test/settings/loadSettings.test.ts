import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors/UserError';
import { loadSettings, requireScanSettings } from '../../shared/settings/loadSettings';
import { parseIsoDuration } from '../../shared/settings/parseIsoDuration';

describe('loadSettings', () => {
  it('applies the documented defaults, treating empty values as unset', () => {
    const s = loadSettings({ LOGS_TABLE: '', PG_SERVERS: ' PG-Prod-1, pg-dev ,' });
    expect(s).toMatchObject({
      logsEndpoint: 'https://api.loganalytics.io/v1', logsTable: 'auto', pgServers: ['pg-prod-1', 'pg-dev'],
      logLinePrefix: '%t-%c-', rulesPath: 'config/rules.yaml', initialLookbackMs: 3_600_000, maxLatenessMs: 172_800_000,
      settleDelayMs: 120_000, silenceAlertAfterMs: 21_600_000, deliveryLeaseMs: 60_000, logsWorkspaceResourceId: null, digestThreshold: 10, slackApiUrl: 'https://slack.com/api/',
    });
  });

  it('accepts a workspace resource id for the portal link, and names a malformed one', () => {
    const id = '/subscriptions/0000/resourceGroups/rg-db/providers/Microsoft.OperationalInsights/workspaces/law-prod';
    expect(loadSettings({ LOGS_WORKSPACE_RESOURCE_ID: id }).logsWorkspaceResourceId).toBe(id);
    expect(() => loadSettings({ LOGS_WORKSPACE_RESOURCE_ID: 'law-prod' })).toThrow(/LOGS_WORKSPACE_RESOURCE_ID: expected \/subscriptions\//);
  });

  it('keeps a prefix with trailing spaces exactly', () => {
    expect(loadSettings({ PG_LOG_LINE_PREFIX: '%m [%p] ' }).logLinePrefix).toBe('%m [%p] ');
  });

  it('reports every invalid setting by name, without echoing secrets', () => {
    const err = (() => {
      try {
        loadSettings({ SCAN_MAX_LATENESS: '2 days', LOGS_TABLE: 'Syslog', ALERT_DIGEST_THRESHOLD: '0', SLACK_WEBHOOK_URL: 'hooks.slack.com/services/T/B/sekrit' });
      } catch (e) {
        return e as UserError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('SCAN_MAX_LATENESS: "2 days" is not an ISO 8601 duration');
    expect(err.message).toContain('LOGS_TABLE: "Syslog" is not one of auto, PGSQLServerLogs, AzureDiagnostics');
    expect(err.message).toContain('ALERT_DIGEST_THRESHOLD: "0" is not a positive integer');
    expect(err.message).toContain('SLACK_WEBHOOK_URL: not a valid http(s) URL');
    expect(err.message).not.toContain('sekrit');
  });

  it('names what a Log Analytics scan is missing', () => {
    expect(() => requireScanSettings(loadSettings({}))).toThrow(/LOGS_WORKSPACE_ID[\s\S]*AzureWebJobsStorage/);
    expect(() => requireScanSettings(loadSettings({ LOGS_WORKSPACE_ID: WORKSPACE, AzureWebJobsStorage__accountName: 'acct' }))).not.toThrow();
    expect(() => requireScanSettings(loadSettings({ LOGS_WORKSPACE_ID: WORKSPACE, AzureWebJobsStorage__tableServiceUri: 'https://acct.table.core.windows.net' }))).not.toThrow();
  });

  it('checks ids are GUIDs, names are names and email addresses look like them, naming each setting', () => {
    const message = errorOf({
      LOGS_WORKSPACE_ID: 'law-prod', AZURE_CLIENT_ID: 'my-identity', AzureWebJobsStorage__accountName: 'My_Account',
      AzureWebJobsStorage__credential: 'msi', AzureWebJobsStorage__clientId: '123', AZURE_CLOUD: 'AzureGermanCloud',
      EMAIL_FROM: 'alerts', EMAIL_TO: 'dba@example.com, oncall',
    });
    expect(message).toContain('LOGS_WORKSPACE_ID: "law-prod" is not a GUID');
    expect(message).toContain('AZURE_CLIENT_ID: "my-identity" is not a GUID');
    expect(message).toContain('AzureWebJobsStorage__accountName: "My_Account" is not a storage account name');
    expect(message).toContain('AzureWebJobsStorage__credential: "msi": the only value is managedidentity');
    expect(message).toContain('AzureWebJobsStorage__clientId: "123" is not a GUID');
    expect(message).toContain('AZURE_CLOUD: "AzureGermanCloud" is not one of AzurePublicCloud, AzureUSGovernment, AzureChinaCloud');
    expect(message).toContain('EMAIL_FROM: "alerts" is not an email address');
    expect(message).toContain('EMAIL_TO: "oncall" is not an email address');
    expect(message).not.toContain('dba@example.com');
  });

  it('wants https URLs, allowing http only to this machine (local emulators), and never echoes the URL', () => {
    const message = errorOf({ SLACK_WEBHOOK_URL: 'http://hooks.slack.com/services/T/B/sekrit', LOGS_ENDPOINT: 'http://api.loganalytics.io/v1', ACS_ENDPOINT: 'ftp://x' });
    expect(message).toContain('SLACK_WEBHOOK_URL: must be an https:// URL');
    expect(message).toContain('LOGS_ENDPOINT: must be an https:// URL');
    expect(message).toContain('ACS_ENDPOINT: must be an https:// URL');
    expect(message).not.toContain('sekrit');
    for (const local of ['http://127.0.0.1:8443/api/', 'http://localhost:3000/', 'http://[::1]:9/']) {
      expect(loadSettings({ SLACK_API_URL: local }).slackApiUrl).toBe(local);
    }
  });

  it('derives every endpoint from AZURE_CLOUD, never assuming the public cloud', () => {
    const gov = loadSettings({ AZURE_CLOUD: 'AzureUSGovernment', AzureWebJobsStorage__accountName: 'pgauditstate' });
    expect(gov).toMatchObject({
      logsEndpoint: 'https://api.loganalytics.us/v1', logsAudience: 'https://api.loganalytics.us',
      storageTableEndpoint: 'https://pgauditstate.table.core.usgovcloudapi.net', authorityHost: 'https://login.microsoftonline.us', portalUrl: 'https://portal.azure.us',
    });
    const china = loadSettings({ AZURE_CLOUD: 'azurechinacloud', AzureWebJobsStorage__accountName: 'pgauditstate' });
    expect(china).toMatchObject({
      azureCloud: 'AzureChinaCloud', logsEndpoint: 'https://api.loganalytics.azure.cn/v1', logsAudience: 'https://api.loganalytics.azure.cn',
      storageTableEndpoint: 'https://pgauditstate.table.core.chinacloudapi.cn', authorityHost: 'https://login.chinacloudapi.cn',
    });
    expect(loadSettings({ AzureWebJobsStorage__accountName: 'pgauditstate' })).toMatchObject({
      azureCloud: 'AzurePublicCloud', logsAudience: 'https://api.loganalytics.io', storageTableEndpoint: 'https://pgauditstate.table.core.windows.net',
    });
    // A private link keeps the cloud's audience; an explicit table URI wins over the account name, as in the host.
    expect(loadSettings({ AZURE_CLOUD: 'AzureUSGovernment', LOGS_ENDPOINT: 'https://pls-law.privatelink.example/v1' }).logsAudience).toBe('https://api.loganalytics.us');
    expect(loadSettings({ AzureWebJobsStorage__accountName: 'a12', AzureWebJobsStorage__tableServiceUri: 'https://custom.example/tables' }).storageTableEndpoint).toBe('https://custom.example/tables');
    // A connection string wins over identity-based settings, as in the host.
    expect(loadSettings({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', AzureWebJobsStorage__accountName: 'a12' }).storageTableEndpoint).toBeNull();
  });

  it('names settings that contradict each other', () => {
    expect(errorOf({ AZURE_CLOUD: 'AzureChinaCloud', LOGS_ENDPOINT: 'https://api.loganalytics.io/v1' }))
      .toContain("LOGS_ENDPOINT: api.loganalytics.io is AzurePublicCloud's, but AZURE_CLOUD is AzureChinaCloud");
    expect(errorOf({ AzureWebJobsStorage__accountName: 'a12', AzureWebJobsStorage__clientId: WORKSPACE }))
      .toContain('AzureWebJobsStorage__clientId: the Functions host uses it only with AzureWebJobsStorage__credential=managedidentity');
    expect(loadSettings({ AzureWebJobsStorage__credential: 'ManagedIdentity', AzureWebJobsStorage__clientId: WORKSPACE }))
      .toMatchObject({ storageCredential: 'managedidentity', storageClientId: WORKSPACE });
  });

  it('Event Hubs: off by default; a hub without its connection, a namespace given as a URL, and a bad hub name are named', () => {
    expect(loadSettings({})).toMatchObject({ eventHubName: null, eventHubConsumerGroup: '$Default', eventHubSessionWaitMs: 15_000, eventHubNamespace: null });
    expect(loadSettings({ EVENTHUB_NAME: 'pgaudit-logs', PGAUDIT_EVENTHUB__fullyQualifiedNamespace: 'evhns-x.servicebus.windows.net', EVENTHUB_CONSUMER_GROUP: 'pgaudit-alerts' }))
      .toMatchObject({ eventHubName: 'pgaudit-logs', eventHubNamespace: 'evhns-x.servicebus.windows.net', eventHubConsumerGroup: 'pgaudit-alerts' });
    expect(errorOf({ EVENTHUB_NAME: 'pgaudit-logs' })).toContain('EVENTHUB_NAME: the Event Hubs trigger needs its connection: PGAUDIT_EVENTHUB__fullyQualifiedNamespace');
    expect(errorOf({ EVENTHUB_NAME: 'logs', PGAUDIT_EVENTHUB__fullyQualifiedNamespace: 'https://evhns-x.servicebus.windows.net/' }))
      .toContain('PGAUDIT_EVENTHUB__fullyQualifiedNamespace: "https://evhns-x.servicebus.windows.net/" is not a namespace host name');
    expect(errorOf({ EVENTHUB_NAME: 'pg audit', PGAUDIT_EVENTHUB: 'Endpoint=sb://x/;SharedAccessKeyName=l;SharedAccessKey=k' })).toContain('EVENTHUB_NAME: "pg audit" is not an event hub name');
  });
});

const WORKSPACE = '5b3f2a1e-0c4d-4e8f-9a7b-1c2d3e4f5a6b';

function errorOf(env: Record<string, string>): string {
  try {
    loadSettings(env);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('loadSettings accepted the settings');
}

describe('parseIsoDuration', () => {
  it.each([['PT1H', 3_600_000], ['P2D', 172_800_000], ['PT90S', 90_000], ['P1DT12H', 129_600_000], ['PT0.5S', 500], ['P1W', 604_800_000]])(
    '%s', (text, ms) => expect(parseIsoDuration(text, 'X')).toBe(ms),
  );
  it.each(['P', 'PT', '1h', 'P1M', 'P1Y', ''])('rejects %j', (text) => expect(() => parseIsoDuration(text, 'SCAN_X')).toThrow(/setting SCAN_X/));
});
