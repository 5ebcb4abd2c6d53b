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
    expect(() => requireScanSettings(loadSettings({ LOGS_WORKSPACE_ID: 'w', AzureWebJobsStorage__accountName: 'acct' }))).not.toThrow();
  });
});

describe('parseIsoDuration', () => {
  it.each([['PT1H', 3_600_000], ['P2D', 172_800_000], ['PT90S', 90_000], ['P1DT12H', 129_600_000], ['PT0.5S', 500], ['P1W', 604_800_000]])(
    '%s', (text, ms) => expect(parseIsoDuration(text, 'X')).toBe(ms),
  );
  it.each(['P', 'PT', '1h', 'P1M', 'P1Y', ''])('rejects %j', (text) => expect(() => parseIsoDuration(text, 'SCAN_X')).toThrow(/setting SCAN_X/));
});
