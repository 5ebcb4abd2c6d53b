import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../shared/dedupe/MemoryStateStore';
import { TableStateStore } from '../../shared/dedupe/TableStateStore';
import { loadRules } from '../../shared/rules/loadRules';
import { runPipeline } from '../../shared/scan/runPipeline';
import { loadSettings } from '../../shared/settings/loadSettings';
import { MemoryBlobCursorStore } from '../../shared/source/storageArchive/MemoryBlobCursorStore';
import { storageArchiveSource } from '../../shared/source/storageArchive/storageArchiveSource';
import { TableBlobCursorStore } from '../../shared/source/storageArchive/TableBlobCursorStore';
import type { Alert } from '../../shared/model/Alert';
import { runScanFromEnvironment } from '../../shared/scan/runScanFromEnvironment';
import type { ScanReport } from '../../shared/scan/ScanReport';
import { appendToArchive, archiveBlobName } from '../support/archiveBlobs';
import { useAzuriteBlob, useAzuriteTable } from '../support/azurite';
import { archiveLine, DEMO_LISTS, poolSession, twoServerDay, type ContractRecord } from '../support/contractRecords';
import { startFakeSlack, type FakeSlack } from '../support/fakeSlack';
import { startHarness } from '../support/logAnalyticsHarness';
import { startRecordingProxy, type RecordingProxy } from '../support/recordingProxy';
import { runCliCapture } from '../support/runCliCapture';

/**
 * The Storage archive timer end to end, as the timer function runs it (runScanFromEnvironment: settings →
 * polled sources → pipeline), over Azurite's blob service (the archive) and table service (state, ledger,
 * session cache, blob cursors; behind a proxy that can hold requests), sending to a Slack stand-in.
 *
 * A day of real pgAudit output from two servers arrives in hour blobs over many runs: blobs grow between
 * runs, records cross hour boundaries, one server's hour arrives two hours late, a run is killed between
 * sending and committing its cursors, and one session's statements come a day after its connection line
 * (a pooled connection), long after that line's hour left the ARCHIVE_MAX_LATENESS window.
 */
const blobs = useAzuriteBlob();
const tables = useAzuriteTable();
let proxy: RecordingProxy;
let slack: FakeSlack;
let records: ContractRecord[];
let pooledSession: string;
let reference: Alert[];

const DELAY_MS = 2 * 60_000;
const day = (hhmm: string, date = '2026-11-23') => new Date(`${date}T${hhmm}:00.000Z`);

beforeAll(async () => {
  proxy = await startRecordingProxy(tables().port);
  slack = await startFakeSlack();
  const plain = twoServerDay();
  // The DBA's second session (22:52) becomes a pooled connection: its statements come 26 hours later.
  const logins = plain.filter((r) => r.server === 'pg-demo-1' && r.line.includes('connection authorized: user=dba_mallory'));
  pooledSession = /UTC-([0-9a-f]+\.[0-9a-f]+)-/.exec(logins[1]!.line)![1]!;
  records = poolSession(plain, 'pg-demo-1', pooledSession, 26 * 3_600_000);
  // The reference: the CLI's file scan of the same records, as one archive file.
  reference = await fileAlerts(records);
  expect(reference.filter((a) => a.event.sessionId === pooledSession && a.event.user === 'dba_mallory').length).toBeGreaterThan(0);
});
afterAll(async () => {
  await proxy?.close();
  await slack?.close();
});

function env(container: string): Record<string, string> {
  return {
    ARCHIVE_STORAGE_CONNECTION: blobs().connectionString,
    ARCHIVE_CONTAINER: container,
    ARCHIVE_MAX_LATENESS: 'PT3H',
    AzureWebJobsStorage: tables().connectionString.replace(/TableEndpoint=[^;]+/, `TableEndpoint=${proxy.origin}/devstoreaccount1`),
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.apiUrl,
    SLACK_CHANNEL: '#db-security',
    // The servers are quiet for a day before the pooled session's statements: not what this test is about.
    SILENCE_ALERT_AFTER: 'P3D',
  };
}

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const slackKeys = () => slack.posts.flatMap((p) => p.metadata?.event_payload.alerts ?? []).map((a) => a.key);

describe('the Storage archive timer (Azurite blob + table, Slack stand-in)', () => {
  it('alerts every expected alert exactly once, with the right user, through growing and late blobs, a killed run and a pooled session', async () => {
    const container = 'insights-logs-postgresqllogs';
    const client = BlobServiceClient.fromConnectionString(blobs().connectionString).getContainerClient(container);
    await client.create();
    const lateHour = (r: ContractRecord) => r.server === 'pg-demo-2' && r.time.startsWith('2026-11-23T10');
    let appended = 0;
    /** Records appended since the last run that committed: exactly what the next run must read, no byte twice. */
    let unread = 0;
    const sent = new Set<ContractRecord>();
    /** Appends what the diagnostic setting has written by `now` (records DELAY_MS after they were logged). */
    const arrive = async (now: Date, lateToo: boolean) => {
      const due = records.filter((r) => !sent.has(r) && Date.parse(r.time) + DELAY_MS <= now.getTime() && (lateToo || !lateHour(r)));
      for (const r of due) sent.add(r);
      appended += due.length;
      unread += due.length;
      await appendToArchive(client, due);
    };
    const run = async (now: Date): Promise<ScanReport> => {
      const [report] = await runScanFromEnvironment(env(container), silent, { now: () => now, lists: DEMO_LISTS });
      return report!;
    };
    // Runs at times chosen so runs read several hour folders, blobs grow between runs inside one hour
    // (09:10 → 09:30), and pg-demo-2's hour 10 arrives at 12:55, two hours late.
    const schedule = ['02:10', '06:20', '09:10', '09:30', '10:40', '12:55', '16:00', '19:00', '21:20'];
    for (const hhmm of schedule) {
      await arrive(day(hhmm), hhmm >= '12:55');
      const report = await run(day(hhmm));
      expect(report.error).toBeNull();
      expect(report.rowsRead, hhmm).toBe(unread);
      unread = 0;
    }
    // 22:50: the DBA's first session has arrived; the run sends its alerts, then dies while writing its cursors.
    await arrive(day('22:50'), true);
    proxy.setHold((req) => req.method !== 'GET' && /pgauditCursors\(/.test(req.url) || (req.method === 'POST' && /\/pgauditCursors(\?|$)/.test(req.url)));
    const killed = run(day('22:50'));
    await until(() => proxy.held.length > 0);
    proxy.setHold(null);
    const firstSession = /UTC-([0-9a-f]+\.[0-9a-f]+)-/.exec(records.find((r) => r.line.includes('connection authorized: user=dba_mallory'))!.line)![1]!;
    expect(slackKeys().some((k) => k.startsWith(`pg-demo-1/${firstSession}/`))).toBe(true);
    void killed; // never answered: as good as a killed process
    for (const [hhmm, date] of [['23:30', '2026-11-23'], ['01:30', '2026-11-25']] as const) {
      await arrive(day(hhmm, date), true);
      const report = await run(day(hhmm, date));
      expect(report.error).toBeNull();
      expect(report.source).toBe('storage');
      // The first run after the killed one reads the killed run's records again, and what is new.
      expect(report.rowsRead, hhmm).toBe(unread);
      unread = 0;
    }
    expect(appended).toBe(records.length);
    // Cursors of hours no run lists again are pruned; the newest blob's stays.
    const cursors = TableBlobCursorStore.fromConnectionString(tables().connectionString);
    expect(await cursors.get(archiveBlobName('pg-demo-1', '2026-11-23T22:47:13.000Z'))).toBeNull();
    expect(await cursors.get(archiveBlobName('pg-demo-1', records.at(-1)!.time))).not.toBeNull();

    const keys = slackKeys();
    expect(new Set(keys).size).toBe(keys.length); // nothing twice, the killed run's alerts included
    expect([...keys].sort()).toEqual(reference.map((a) => a.key).sort());
    // The right user: the ledger keeps each alert as sent; the pooled session's statements came 26 h after
    // its connection line, whose blob no run after the first reads (the session cache names the user).
    const ledger = TableStateStore.fromConnectionString(tables().connectionString);
    for (const expected of reference) {
      const row = await ledger.getDelivery(expected.key, 'default', 'slack');
      expect(row?.status, expected.key).toBe('sent');
      expect([row!.alert.event.user, row!.alert.event.database], expected.key).toEqual([expected.event.user, expected.event.database]);
    }
  });

  it('with Log Analytics configured too, runs each source with its own watermark and sends an alert both carry once; a dry run of the storage source commits nothing', async () => {
    const FIXTURE = 'test/fixtures/pg15/azure/azure-blob.PT1H.json';
    const container = 'both-sources';
    const client = BlobServiceClient.fromConnectionString(blobs().connectionString).getContainerClient(container);
    await client.create();
    // The same records in both places: the archive's current hour blob, and AzureDiagnostics rows.
    const blob = client.getAppendBlobClient(archiveBlobName('pg-fixture-1', new Date().toISOString()));
    await blob.createIfNotExists();
    const body = readFileSync(FIXTURE);
    await blob.appendBlock(body, body.length);
    const la = await startHarness({ table: 'auto' });
    try {
      const arrived = new Date(Date.now() - 5 * 60_000);
      la.la.addRows('AzureDiagnostics', readFileSync('test/fixtures/pg15/azure/azure-diagnostics.ndjson', 'utf8').split('\n').filter(Boolean)
        .map((l) => ({ ...(JSON.parse(l) as Record<string, unknown>), TimeGenerated: arrived, ingestedAt: arrived })));
      const lists = ['--list', 'sensitive_tables=sales.cards'];
      const file = await runCliCapture(['scan', '--input', FIXTURE, '--dry-run', '--json', ...lists]);
      const expected = file.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Alert).key).sort();
      // The fixture was logged a week ago: no silence alert for it here.
      const settings = { ...env(container), LOGS_WORKSPACE_ID: la.la.workspaceId, LOGS_ENDPOINT: la.la.endpoint, SCAN_SETTLE_DELAY: 'PT1M', SILENCE_ALERT_AFTER: 'P30D' };

      const dry = await runCliCapture(['scan', '--source', 'storage', '--dry-run', '--json', ...lists], { env: settings });
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Alert).key).sort()).toEqual(expected);
      expect(dry.stderr).toMatch(/^scan: window .* \(storage\); 271 rows read, 162 events/m);
      expect(dry.stderr).not.toMatch(/log-analytics/);

      const posted = slack.posts.length;
      const reports = await runScanFromEnvironment(settings, silent, { lists: { sensitive_tables: ['sales.cards'] } });
      expect(reports.map((r) => [r.source, r.error])).toEqual([['log-analytics', null], ['storage', null]]);
      expect(reports[1]!.rowsRead).toBe(271); // the dry run moved no cursor
      const keys = slack.posts.slice(posted).flatMap((p) => p.metadata?.event_payload.alerts ?? []).map((a) => a.key);
      expect(keys.sort()).toEqual(expected);
      expect(reports[1]!.duplicatesSkipped).toBe(expected.length); // Log Analytics sent them first
      const store = TableStateStore.fromConnectionString(tables().connectionString);
      expect((await store.getWatermark(`storage|devstoreaccount1/${container}|*`))?.consecutiveFailures).toBe(0);
      expect((await store.getWatermark(`${la.la.workspaceId}|*`))?.consecutiveFailures).toBe(0);
    } finally {
      await la.close();
    }
  });

  it('a statement whose lines straddle two runs (WRITE mine, then READ sales.payment_cards) still alerts, once', async () => {
    const client = BlobServiceClient.fromConnectionString(blobs().connectionString).getContainerClient('split-statement');
    await client.create();
    const oneServer = twoServerDay().filter((r) => r.server === 'pg-demo-1');
    const cut = oneServer.findIndex((r) => r.line.includes('AUDIT: SESSION,3,1,WRITE,INSERT,TABLE,public.mine,INSERT INTO mine SELECT * FROM sales.payment_cards'));
    expect(oneServer[cut + 1]!.line).toContain('AUDIT: SESSION,3,1,READ,SELECT,TABLE,sales.payment_cards');
    const reference = await fileAlerts(oneServer);
    const store = new MemoryStateStore();
    const cursors = new MemoryBlobCursorStore();
    const sent: Alert[] = [];
    const run = async (upTo: number) => {
      await appendToArchive(client, oneServer.slice(upTo === cut + 1 ? 0 : cut + 1, upTo));
      const report = await runPipeline({
        settings: loadSettings({ SILENCE_ALERT_AFTER: 'P30D' }),
        loadRules: () => loadRules('config/rules.yaml', process.cwd(), { lists: DEMO_LISTS }),
        source: storageArchiveSource({ container: client, cursors, maxLatenessMs: 28 * 3_600_000, servers: [], log: silent }),
        store, notifiersFor: () => [{ destination: 'default', kind: 'recording', notify: async (a) => void sent.push(...a) }],
        now: () => new Date(Date.parse(oneServer.at(-1)!.time) + 5 * 60_000), log: silent,
      });
      expect(report.error).toBeNull();
    };
    await run(cut + 1);
    expect(sent.map((a) => a.key)).not.toContain('pg-demo-1/6b04c271.3da8/3/1/sensitive-table-read');
    await run(oneServer.length);
    const split = sent.find((a) => a.key === 'pg-demo-1/6b04c271.3da8/3/1/sensitive-table-read')!;
    expect(split.event.lines.map((l) => l.class)).toEqual(['READ']); // the part the second run read
    expect(split.event.user).toBe('dba_mallory');
    expect(sent.map((a) => a.key).sort()).toEqual(reference.map((a) => a.key).sort());
  });
});

/** What the file scan of these records (one archive file) alerts on. */
async function fileAlerts(records: ContractRecord[]): Promise<Alert[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'archive-')), 'PT1H.json');
  writeFileSync(file, records.map(archiveLine).join('\n') + '\n');
  const scan = await runCliCapture(['scan', '--input', file, '--dry-run', '--json', ...Object.entries(DEMO_LISTS).flatMap(([n, v]) => ['--list', `${n}=${v.join(',')}`])]);
  expect(scan.code, scan.stderr).toBe(0);
  return scan.stdout.trim().split('\n').map((l) => JSON.parse(l) as Alert);
}

/** Polls until the condition holds (the held request is the event waited for; no fixed sleep). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}
