import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TableStateStore } from '../../shared/dedupe/TableStateStore';
import type { StateStore } from '../../shared/dedupe/StateStore';
import type { Alert } from '../../shared/model/Alert';
import type { Notifier } from '../../shared/notify/Notifier';
import { loadSettings } from '../../shared/settings/loadSettings';
import { loadRules } from '../../shared/rules/loadRules';
import { logAnalyticsScope, logAnalyticsSource } from '../../shared/source/logAnalytics/logAnalyticsSource';
import { runPipeline, type PipelineDeps } from '../../shared/scan/runPipeline';
import type { Settings } from '../../shared/settings/Settings';
import type { ScanReport } from '../../shared/scan/ScanReport';
import { runCliCapture } from '../support/runCliCapture';
import { startHarness, type Harness } from '../support/logAnalyticsHarness';
import { useAzuriteTable } from '../support/azurite';

/** Real pgAudit output (PostgreSQL 15 + pgaudit, Azure's prefix) as AzureDiagnostics rows. */
const FIXTURE = 'test/fixtures/pg15/azure/azure-diagnostics.ndjson';
const ROWS = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const LISTS = { sensitive_tables: ['sales.cards'] };
const MINUTE = 60_000;
const LOGGED = Date.parse(String(ROWS[0]!.TimeGenerated));

/** A notifier of our own interface (not an SDK) that records what it was given. */
class RecordingNotifier implements Notifier {
  readonly kind = 'recording';
  readonly sent: Alert[] = [];
  failNext = 0;
  constructor(readonly destination = 'default') {}
  async notify(alerts: Alert[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      const { NotifyError } = await import('../../shared/notify/Notifier');
      throw new NotifyError('stand-in outage', { destination: this.destination, retryable: true, code: 'http_503' });
    }
    this.sent.push(...alerts);
  }
}

const azurite = useAzuriteTable();
let harness: Harness;
let store: StateStore;
let notifier: RecordingNotifier;
let expectedKeys: string[];
let clock: number;
let tableCounter = 0;

beforeAll(async () => {
  harness = await startHarness({ table: 'auto' });
  // What a file scan of the same rows alerts on: the Log Analytics path must give exactly these.
  const run = await runCliCapture(['scan', '--input', FIXTURE, '--dry-run', '--json', '--list', 'sensitive_tables=sales.cards']);
  expectedKeys = run.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Alert).key).sort();
  expect(expectedKeys.length).toBeGreaterThan(20);
});
afterAll(async () => harness?.close());

beforeEach(() => {
  // A fresh workspace id per test keeps watermarks apart; tables are shared per file.
  harness.la.faults.length = 0;
  harness.la.persistentFault = null;
  tableCounter++;
  store = TableStateStore.fromConnectionString(azurite().connectionString, { tablePrefix: `scan${tableCounter}` });
  notifier = new RecordingNotifier();
});

function deps(overrides: Partial<PipelineDeps> = {}, env: Record<string, string> = {}): PipelineDeps {
  const settings = loadSettings({
    LOGS_WORKSPACE_ID: harness.la.workspaceId,
    LOGS_ENDPOINT: harness.la.endpoint,
    AzureWebJobsStorage: azurite().connectionString,
    SCAN_SETTLE_DELAY: 'PT2M',
    SCAN_INITIAL_LOOKBACK: 'PT1H',
    SCAN_MAX_LATENESS: 'P2D',
    // The fixture rows were logged hours before these tests' clocks; silence has its own test.
    SILENCE_ALERT_AFTER: 'P30D',
    ...env,
  });
  return {
    settings,
    loadRules: () => loadRules('config/rules.yaml', process.cwd(), { lists: LISTS }),
    source: logAnalyticsSource(harness.deps, settings),
    store,
    notifiersFor: () => [notifier],
    now: () => new Date(clock),
    log: { info: () => {}, warn: () => {}, error: () => {} },
    ...overrides,
  };
}

const watermarkScope = (s: Settings) => logAnalyticsScope(s.logsWorkspaceId, s.pgServers);

/** Adds the fixture rows (their own TimeGenerated), row i arriving in the workspace at `ingested(i)`. */
function ingest(ingested: (i: number) => number) {
  harness.la.addRows('AzureDiagnostics', ROWS.map((row, i) => ({ ...row, TimeGenerated: row.TimeGenerated as string, ingestedAt: new Date(ingested(i)) })));
}

/** Each test reads its own stretch of arrival time, hours after the rows were logged (late rows). */
const testBase = () => LOGGED + tableCounter * 3 * 3_600_000;

const sentKeys = () => notifier.sent.map((a) => a.key).sort();

describe('runPipeline over Log Analytics (real LogsQueryClient, fake workspace, Table Storage on Azurite)', () => {
  it('delivers every alert exactly once while rows arrive late, out of order and in bursts', async () => {
    const base = testBase();
    // Three bursts, the middle rows last (out of order), one burst an hour after the others.
    ingest((i) => base + (i % 3 === 0 ? 0 : i % 3 === 2 ? 4 * MINUTE : 65 * MINUTE));
    const reports: ScanReport[] = [];
    clock = base - 30 * MINUTE;
    for (const minutes of [2, 6, 30, 60, 66, 68, 70]) {
      clock = base + minutes * MINUTE;
      reports.push(await runPipeline(deps()));
    }
    for (const r of reports) expect(r.error).toBeNull();
    expect(sentKeys()).toEqual(expectedKeys);
    expect(new Set(sentKeys()).size).toBe(sentKeys().length);
    const wm = await store.getWatermark(watermarkScope(deps().settings));
    expect(wm?.ingestedThrough).toBe(new Date(base + 68 * MINUTE).toISOString());
    expect(wm?.lastSeenByServer['pg-fixture-1']).toBeDefined();
  });

  it('two runs at once send each alert once', async () => {
    const base = testBase();
    ingest(() => base);
    clock = base + 5 * MINUTE;
    const [a, b] = await Promise.all([runPipeline(deps()), runPipeline(deps())]);
    expect(a.error).toBeNull();
    expect(b.error).toBeNull();
    expect(sentKeys()).toEqual(expectedKeys);
    expect(a.duplicatesSkipped + b.duplicatesSkipped).toBeGreaterThanOrEqual(expectedKeys.length);
  });

  it('a failing workspace leaves the watermark, alerts on the third failure, and catches up afterwards', async () => {
    const base = testBase();
    ingest(() => base);
    harness.la.persistentFault = { status: 500 };
    const failures: ScanReport[] = [];
    for (const m of [5, 7, 9, 11]) {
      clock = base + m * MINUTE;
      failures.push(await runPipeline(deps()));
    }
    for (const r of failures) expect(r.error).toMatch(/Log Analytics|500/);
    const failing = notifier.sent.filter((a) => a.rule === 'pgaudit-alerts-scan-failing');
    expect(failing).toHaveLength(1); // once per failure streak, not every run
    expect(notifier.sent.filter((a) => a.rule !== 'pgaudit-alerts-scan-failing')).toHaveLength(0);
    harness.la.persistentFault = null;
    clock = base + 13 * MINUTE;
    const ok = await runPipeline(deps());
    expect(ok.error).toBeNull();
    expect(notifier.sent.filter((a) => a.rule !== 'pgaudit-alerts-scan-failing').map((a) => a.key).sort()).toEqual(expectedKeys);
    expect((await store.getWatermark(watermarkScope(deps().settings)))?.consecutiveFailures).toBe(0);
  });

  it('a run that dies after sending but before its checkpoint does not make the next run resend', async () => {
    const base = testBase();
    ingest(() => base);
    clock = base + 5 * MINUTE;
    const crashing: StateStore = Object.create(store, {
      setWatermark: { value: async () => { throw new Error('process killed'); } },
    });
    const first = await runPipeline(deps({ store: crashing }));
    expect(first.error).toMatch(/process killed/);
    expect(sentKeys()).toEqual(expectedKeys);
    clock = base + 7 * MINUTE;
    const second = await runPipeline(deps());
    expect(second.error).toBeNull();
    expect(sentKeys()).toEqual(expectedKeys); // nothing twice
    expect(second.duplicatesSkipped).toBe(expectedKeys.length);
  });

  it('finds the user of a session whose connection line arrived in an earlier window, or before the first run', async () => {
    const base = testBase();
    const isConnection = (i: number) => String(ROWS[i]!.Message).includes('connection ');
    // Connection lines arrived two hours before the AUDIT lines, before the first run's lookback.
    ingest((i) => (isConnection(i) ? base - 120 * MINUTE : base));
    clock = base + 5 * MINUTE;
    const report = await runPipeline(deps());
    expect(report.error).toBeNull();
    expect(sentKeys()).toEqual(expectedKeys);
    const grant = notifier.sent.find((a) => a.rule === 'role-membership-granted')!;
    expect(grant.event.user).toBe('postgres');
    expect(grant.event.database).toBe('shop');
    expect(report.warnings.join('\n')).not.toMatch(/connection line was not found/);
  });

  it('alerts once when a server that was seen goes quiet for SILENCE_ALERT_AFTER', async () => {
    // Rows arrive minutes after they were logged (the other tests read stretches hours later).
    const base = LOGGED + 10 * MINUTE;
    ingest(() => base);
    clock = base + 5 * MINUTE;
    expect((await runPipeline(deps({}, { SILENCE_ALERT_AFTER: 'PT6H' }))).error).toBeNull();
    expect(notifier.sent.filter((a) => a.rule === 'pgaudit-alerts-silence')).toHaveLength(0);
    const quiet = LOGGED + 6 * 3_600_000 + MINUTE;
    for (const t of [quiet, quiet + 2 * MINUTE, quiet + 60 * MINUTE]) {
      clock = Math.max(t, base + 10 * MINUTE);
      expect((await runPipeline(deps({}, { SILENCE_ALERT_AFTER: 'PT6H' }))).error).toBeNull();
    }
    const silence = notifier.sent.filter((a) => a.rule === 'pgaudit-alerts-silence');
    expect(silence).toHaveLength(1);
    expect(silence[0]!.event.server).toBe('pg-fixture-1');
    expect(silence[0]!.title).toMatch(/^No audit rows from pg-fixture-1 for/);
  });

  it('reports an unreachable state store as a failed run, sending and advancing nothing', async () => {
    const base = testBase();
    ingest(() => base);
    clock = base + 5 * MINUTE;
    const down: StateStore = Object.create(store, {
      getWatermark: { value: async () => { throw new Error('connect ECONNREFUSED 127.0.0.1:10002'); } },
    });
    const report = await runPipeline(deps({ store: down }));
    expect(report.error).toMatch(/^cannot read the scan state: connect ECONNREFUSED/);
    expect(report.errorKind).toBe('unexpected');
    expect(notifier.sent).toHaveLength(0);
    expect(await store.getWatermark(watermarkScope(deps().settings))).toBeNull();
  });

  it('retries an alert the destination could not take, from the outbox, once', async () => {
    const base = testBase();
    ingest(() => base);
    notifier.failNext = 1;
    clock = base + 5 * MINUTE;
    const first = await runPipeline(deps());
    expect(first.pending).toBeGreaterThan(0);
    expect(notifier.sent).toHaveLength(0);
    clock = base + 30 * MINUTE;
    const second = await runPipeline(deps());
    expect(second.error).toBeNull();
    expect(sentKeys()).toEqual(expectedKeys);
  });
});
