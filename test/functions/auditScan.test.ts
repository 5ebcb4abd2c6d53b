import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateStore } from '../../shared/dedupe/createStateStore';
import { logAnalyticsScope } from '../../shared/source/logAnalytics/logAnalyticsSource';
import { loadSettings } from '../../shared/settings/loadSettings';
import { installFunctionsWorker } from '../support/functionsWorker';
import { useAzuriteTable } from '../support/azurite';
import { startFakeSlack, type FakeSlack } from '../support/fakeSlack';
import { startHarness, type Harness } from '../support/logAnalyticsHarness';

/**
 * The timer function as the Azure Functions worker loads and runs it: registration through
 * `@azure/functions-core` (simulated), invocation through the library's own invocation model with the
 * host's PascalCase timer payload, settings from the environment, the real LogsQueryClient and
 * DefaultAzureCredential against the local stand-ins, Table Storage on Azurite, and Slack.
 */
const FIXTURE = 'test/fixtures/pg15/azure/azure-diagnostics.ndjson';
const azurite = useAzuriteTable();
const worker = installFunctionsWorker();
let harness: Harness;
let slack: FakeSlack;
const savedEnv = { ...process.env };

beforeAll(async () => {
  harness = await startHarness({ table: 'auto' });
  slack = await startFakeSlack();
  const rows = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const arrived = new Date(Date.now() - 5 * 60_000);
  harness.la.addRows('AzureDiagnostics', rows.map((r) => ({ ...r, TimeGenerated: arrived, ingestedAt: arrived })));
  Object.assign(process.env, {
    AUDIT_SCHEDULE: '0 */2 * * * *',
    LOGS_WORKSPACE_ID: harness.la.workspaceId,
    LOGS_ENDPOINT: harness.la.endpoint,
    AzureWebJobsStorage: azurite().connectionString,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.apiUrl,
    SLACK_CHANNEL: '#db-security',
    SCAN_SETTLE_DELAY: 'PT1M',
  });
  await import('../../functions/auditScan');
});

afterAll(async () => {
  worker.uninstall();
  process.env = savedEnv;
  await slack?.close();
  await harness?.close();
});

describe('functions/auditScan', () => {
  it('registers one timer trigger whose schedule is read from the AUDIT_SCHEDULE app setting', () => {
    expect(worker.registrations.map((r) => r.metadata.name)).toEqual(['auditScan']);
    const bindings = Object.values(worker.registrations[0]!.metadata.bindings);
    expect(bindings).toEqual([expect.objectContaining({ type: 'timerTrigger', direction: 'in', schedule: '%AUDIT_SCHEDULE%' })]);
    expect(JSON.parse(readFileSync('package.json', 'utf8')).main).toBe('dist/functions/*.js');
  });

  it('runs the scan when the host fires the timer, and alerts in Slack once', async () => {
    const payload = { Schedule: { AdjustForDST: true }, ScheduleStatus: null, IsPastDue: false };
    await worker.invokeTimer('auditScan', payload);
    const alerted = slack.posts.flatMap((p) => p.metadata?.event_payload.alerts ?? []).map((a) => a.key);
    expect(alerted.length).toBeGreaterThan(10);
    expect(new Set(alerted).size).toBe(alerted.length);
    // Three GRANTs. `GRANT app_admin TO app_writer ; CREATE ROLE temp_leak ...` logs the whole text for both of its
    // statements; only the GRANT ROLE record alerts: the CREATE ROLE statement grants no membership.
    expect(alerted.filter((k) => /^pg-fixture-1\/.+\/role-membership-granted$/.test(k))).toHaveLength(3);
    const summary = worker.logs.map((l) => l.message).find((m) => m.startsWith('scan: window'));
    // Only AUDIT and connection rows are queried (256 of the file's 271); the events are the same as a file scan's.
    expect(summary).toMatch(/256 rows read, 162 events, 34 alerts, 0 duplicates skipped, 0 malformed rows, 34 delivered, 0 pending, 0 parked/);
    // A second tick reads the same rows again (the overlap) and sends nothing twice.
    await worker.invokeTimer('auditScan', { ...payload, IsPastDue: true });
    const again = slack.posts.flatMap((p) => p.metadata?.event_payload.alerts ?? []).map((a) => a.key);
    expect(again).toEqual(alerted);
    expect(worker.logs.some((l) => l.message.includes('timer is past due'))).toBe(true);
    // Every run starts by naming the rules that cannot fire yet (the shipped empty sensitive_tables).
    const warnings = worker.logs.filter((l) => l.level.toLowerCase() === 'warning').map((l) => l.message);
    expect(warnings.filter((m) => /rule "sensitive-table-read" .*list "sensitive_tables" is empty, so this rule cannot fire/.test(m))).toHaveLength(2);
  });

  it('fails the invocation loudly and keeps the watermark when no destination is configured', async () => {
    const store = createStateStore(loadSettings(process.env));
    const scope = ((s) => logAnalyticsScope(s.logsWorkspaceId, s.pgServers))(loadSettings(process.env));
    const before = await store.getWatermark(scope);
    expect(before?.ingestedThrough).toBeDefined();
    const removed = { SLACK_BOT_TOKEN: process.env.SLACK_BOT_TOKEN, SLACK_CHANNEL: process.env.SLACK_CHANNEL };
    delete process.env.SLACK_BOT_TOKEN;
    delete process.env.SLACK_CHANNEL;
    const posts = slack.posts.length;
    try {
      const payload = { Schedule: { AdjustForDST: true }, ScheduleStatus: null, IsPastDue: false };
      await expect(worker.invokeTimer('auditScan', payload)).rejects.toThrow(/scan failed: no destination is configured/);
    } finally {
      Object.assign(process.env, removed);
    }
    const errors = worker.logs.filter((l) => l.level.toLowerCase() === 'error').map((l) => l.message).join('\n');
    expect(errors).toMatch(/scan failed \(1 in a row\); the watermark stays at .*no destination is configured.*SLACK_CHANNEL.*EMAIL_TO.*destinations:/);
    const after = await store.getWatermark(scope);
    expect(after).toMatchObject({ ingestedThrough: before!.ingestedThrough, consecutiveFailures: 1 });
    expect(slack.posts.length).toBe(posts);
  });
});
