import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRulesFile } from '../../../shared/rules/loadRules';
import { readSourceWindow, windowSettings } from '../../../shared/scan/doctor/sourceWindow';
import { logAnalyticsSource } from '../../../shared/source/logAnalytics/logAnalyticsSource';
import { doctorFailed, runDoctor } from '../../../shared/scan/doctor/runDoctor';
import { ServerObservations } from '../../../shared/scan/doctor/ServerObservations';
import { loadSettings } from '../../../shared/settings/loadSettings';
import { startHarness, type Harness } from '../../support/logAnalyticsHarness';
import { TABLE_SCHEMAS } from '../../support/tableSchemas';

/**
 * doctor's polled-source path, on Log Analytics: the scan's own query (real LogsQueryClient, managed identity) against the
 * local stand-in holding the demo day as AzureDiagnostics rows; the window is `since` back from now.
 */
const ROWS = readFileSync('test/fixtures/demo/azure-diagnostics.ndjson', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { TimeGenerated: string });
const NOW = new Date('2026-11-24T00:00:00Z');
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ schemas: { AzureDiagnostics: TABLE_SCHEMAS.AzureDiagnostics! } });
  // Each row arrives two minutes after it was written.
  harness.la.addRows('AzureDiagnostics', ROWS.map((r) => ({ ...r, ingestedAt: new Date(Date.parse(r.TimeGenerated) + 120_000) })));
});
afterAll(() => harness?.close());

async function doctor(sinceMs: number) {
  const settings = loadSettings({ LOGS_WORKSPACE_ID: harness.la.workspaceId, LOGS_ENDPOINT: harness.la.endpoint });
  const rules = await checkRulesFile('config/rules.yaml', undefined, { lists: { sensitive_tables: ['sales.payment_cards'], service_accounts: ['etl_loader', 'migrations', 'app_web'] } });
  const observations = new ServerObservations();
  const since = new Date(NOW.getTime() - sinceMs);
  // The source scan --source log-analytics runs (its client on the stand-in), with doctor's window settings.
  const source = logAnalyticsSource(harness.deps, windowSettings(settings, sinceMs));
  const { stream, window } = await readSourceWindow(source, { now: NOW, log: harness.deps.log, prefix: settings.logLinePrefix, logTimezone: null }, observations.connection);
  expect(window).toEqual({ from: since.toISOString(), to: NOW.toISOString() });
  return { report: await runDoctor(stream, observations, rules, { source: source.description, since, now: NOW }), description: source.description };
}

describe('doctor on a Log Analytics workspace', () => {
  it('reads the window a scan would and finds every default rule able to fire on the demo server', async () => {
    const { report, description } = await doctor(2 * 86_400_000);
    expect(description).toBe(`Log Analytics workspace ${harness.la.workspaceId}`);
    expect(report.servers.map((s) => s.facts.server)).toEqual(['pg-demo-1']);
    const [server] = report.servers;
    expect([...server!.facts.classes.keys()].sort()).toEqual(['DDL', 'MISC_SET', 'READ', 'ROLE', 'WRITE']);
    expect(server!.facts.connectionLines).toBeGreaterThan(0);
    expect(server!.facts.withRelation).toBeGreaterThan(0);
    expect(server!.rules.filter((r) => !r.canFire)).toEqual([]);
    expect(doctorFailed(report)).toBe(false);
    // The query is the scan's: by arrival, with the window as the request's timespan.
    expect(harness.la.queries.at(-1)!.query).toContain('ingestion_time() > ingestedAfter');
  });

  it('a window with no rows: nothing can fire, and doctor fails', async () => {
    const { report } = await doctor(60_000);
    expect(report.servers).toEqual([]);
    expect(doctorFailed(report)).toBe(true);
  });
});
