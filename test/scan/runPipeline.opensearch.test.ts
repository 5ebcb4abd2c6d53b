import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../shared/dedupe/MemoryStateStore';
import type { Alert } from '../../shared/model/Alert';
import { loadRules } from '../../shared/rules/loadRules';
import { POLLED_SOURCES } from '../../shared/scan/polledSources';
import { createOpenSearchApi } from '../../shared/source/openSearch/createOpenSearchApi';
import { OpenSearchLogReader } from '../../shared/source/openSearch/OpenSearchLogReader';
import { openSearchSource } from '../../shared/source/openSearch/openSearchSource';
import { runPipeline } from '../../shared/scan/runPipeline';
import type { ScanReport } from '../../shared/scan/ScanReport';
import { loadSettings } from '../../shared/settings/loadSettings';
import { aivenFixture } from '../support/aivenDocuments';
import { type FakeOpenSearch, startFakeOpenSearch } from '../support/fakeOpenSearch';
import { RecordingNotifier } from '../support/logSourceContract';
import { runCliCapture } from '../support/runCliCapture';

// The acceptance scenario: real pgAudit records (PG15 + pgaudit 1.7 under Aiven's prefix) rendered
// as Aiven documents over two daily indexes, served by the HTTPS stand-in through the official client,
// scanned through runPipeline over runs with late documents, 429/503, a run killed mid-page, a point in time
// expiring and an index deleted by retention (the source built as POLLED_SOURCES.opensearch builds it, with
// small pages and no real retry waits; the other tests use POLLED_SOURCES itself).
const fixture = aivenFixture('2026-12-01T23:59:59.000Z');
const LISTS = { sensitive_tables: ['sales.cards'], service_accounts: ['app_writer'] };
const silent = { info: () => {}, warn: () => {}, error: () => {} };

let os: FakeOpenSearch;
let dir: string;
let expected: string[];

const facts = (alerts: Alert[]) => alerts.map((a) => `${a.key} user=${a.event.user}`).sort();

beforeAll(async () => {
  os = await startFakeOpenSearch();
  dir = mkdtempSync(join(tmpdir(), 'opensearch-pipeline-'));
  // The reference: a file scan of the same documents (scan --input --format opensearch), no state.
  const file = join(dir, 'documents.ndjson');
  writeFileSync(file, fixture.docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const run = await runCliCapture(['scan', '--input', file, '--format', 'opensearch', '--dry-run', '--json', '--list', 'sensitive_tables=sales.cards', '--list', 'service_accounts=app_writer']);
  expect(run.code).toBe(0);
  expected = facts(run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Alert));
  expect(run.stderr).toContain('fields message MESSAGE (detected), time timestamp (detected), server HOSTNAME (detected)');
});
afterAll(async () => {
  await os.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('opensearch source through the pipeline', () => {
  it('every expected alert exactly once, with the right user, over late documents, faults and a killed run; the summary names fields and prefix', async () => {
    expect(expected.length).toBeGreaterThan(15);
    // The users PostgreSQL knew; mallory's RAISE'd look-alikes are log forgery in her own name.
    expect(expected.filter((f) => f.includes('/log-forgery/'))).toHaveLength(3);
    expect(expected.filter((f) => f.includes('/log-forgery/')).every((f) => f.endsWith('user=mallory'))).toBe(true);
    expect(expected.some((f) => f.includes('user=etl_loader'))).toBe(false);

    // The shipper lags: the last second's documents are indexed only after run 1, with times inside its window.
    const cut = Date.parse('2026-12-02T00:00:01.000Z');
    const onTime = fixture.docs.filter((d) => Date.parse(String(d.timestamp)) < cut);
    const late = fixture.docs.filter((d) => Date.parse(String(d.timestamp)) >= cut);
    expect(late.length).toBeGreaterThan(20);
    os.addDocuments(onTime);
    // Four days old: outside every window, but in the index pattern (retention will delete it mid-run).
    os.addDocuments(fixture.docs.slice(0, 30).map((d) => ({ ...d, timestamp: new Date(Date.parse(String(d.timestamp)) - 4 * 86_400_000).toISOString() })));
    expect(os.indexNames()).toEqual(['logs-2026-11-27', 'logs-2026-12-01', 'logs-2026-12-02']);

    const env = {
      OPENSEARCH_URL: os.url, OPENSEARCH_USERNAME: os.username, OPENSEARCH_PASSWORD: os.password, OPENSEARCH_CA_CERT: os.ca.replace(/\n/g, '\\n'),
      SCAN_INITIAL_LOOKBACK: 'PT30M', SILENCE_ALERT_AFTER: 'P30D',
    };
    const settings = loadSettings(env);
    const store = new MemoryStateStore();
    const notifier = new RecordingNotifier();
    // As POLLED_SOURCES builds it (the second test runs that), with pages of 40 and no real waits between retries.
    const run = (at: string): Promise<ScanReport> => {
      const reader = new OpenSearchLogReader({ api: createOpenSearchApi({ ...settings, openSearchUrl: os.url }), settings, limits: { pageSize: 40 }, sleep: async () => {} });
      const source = openSearchSource({
        reader, url: os.url, index: settings.openSearchIndex, initialLookbackMs: settings.initialLookbackMs,
        maxLatenessMs: settings.openSearchMaxLatenessMs, settleDelayMs: settings.settleDelayMs, servers: [], log: silent,
      });
      return runPipeline({
        settings, source, store, notifiersFor: () => [notifier], now: () => new Date(at), log: silent,
        loadRules: () => loadRules('config/rules.yaml', process.cwd(), { lists: LISTS }),
      });
    };

    // Run 1: 429 then 503 on the way; reads the documents indexed so far.
    os.faults = [{ status: 429, retryAfter: '0' }, { status: 503 }];
    const first = await run('2026-12-02T00:03:00Z');
    expect(first.error).toBeNull();
    expect(first.warnings).toContain(`OpenSearch ${os.url} (index logs-*): fields message MESSAGE (detected), time timestamp (detected), server HOSTNAME (detected)`);
    expect(first.warnings).toContain('log_line_prefix "%t-%c-" fits 0 of 200 sampled lines; detected "pid=%p,user=%u,db=%d,app=%a,client=%h " (fits 200); pass --prefix or set PG_LOG_LINE_PREFIX to choose');
    const afterFirst = notifier.sent.length;
    expect(afterFirst).toBeGreaterThan(0);

    // The late quarter arrives (times inside run 1's window); run 2 dies mid-page: the connection drops, then an
    // answer that is not retried ends it (as a killed process would, nothing is committed).
    os.addDocuments(late);
    os.searches = 0;
    os.beforeSearch = (n) => {
      if (n === 3) os.faults.push({ hangUp: true }, { status: 500 });
    };
    const killed = await run('2026-12-02T00:05:00Z');
    expect(killed.error).toMatch(/OpenSearch https:\/\/127\.0\.0\.1:\d+: search failed: HTTP 500/);
    expect(killed.error).not.toContain(os.password);
    expect(notifier.sent.length).toBe(afterFirst);

    // Run 3: its point in time expires mid-search; it reads the late documents and alerts on them.
    os.faults = [];
    os.searches = 0;
    os.beforeSearch = (n) => {
      if (n === 3) os.expirePits();
    };
    const third = await run('2026-12-02T00:07:00Z');
    expect(third.alerts).toBeGreaterThan(0);
    expect(third.error).toBeNull();
    expect(third.warnings.join('\n')).toMatch(/point in time expired mid-search; reopened it/);

    // Run 4: retention deletes the oldest index mid-run (its shard fails under the point in time, which is
    // reopened); nothing new, nothing again, no failure.
    os.searches = 0;
    os.beforeSearch = (n) => {
      if (n === 3) os.deleteIndex('logs-2026-11-27');
    };
    const fourth = await run('2026-12-02T00:09:00Z');
    os.beforeSearch = null;
    expect(fourth.error).toBeNull();
    expect(fourth.alerts).toBeGreaterThan(0);
    expect(fourth.warnings.join('\n')).toMatch(/shard\(s\) failed under the point in time \(index logs-2026-11-27, deleted by retention\?\)/);

    expect(facts(notifier.sent)).toEqual(expected);
  });

  it('with PG_LOG_LINE_PREFIX set to Aiven’s, the summary says that prefix fitted', async () => {
    const settings = loadSettings({
      OPENSEARCH_URL: os.url, OPENSEARCH_USERNAME: os.username, OPENSEARCH_PASSWORD: os.password, OPENSEARCH_CA_CERT: os.ca,
      OPENSEARCH_INDEX: 'logs-2026-12-02', PG_LOG_LINE_PREFIX: 'pid=%p,user=%u,db=%d,app=%a,client=%h ', SCAN_INITIAL_LOOKBACK: 'PT30M',
    });
    const source = POLLED_SOURCES.opensearch.create({ settings, credential: null as never, storageCredential: null as never, log: silent });
    const report = await runPipeline({
      settings, source, store: new MemoryStateStore(), notifiersFor: () => [], now: () => new Date('2026-12-02T00:07:00Z'), log: silent,
      loadRules: () => loadRules('config/rules.yaml', process.cwd(), { lists: LISTS }), dryRun: async () => {},
    });
    expect(report.error).toBeNull();
    expect(report.warnings).toContain('log_line_prefix "pid=%p,user=%u,db=%d,app=%a,client=%h " (PG_LOG_LINE_PREFIX) fits the records read');
    // From now − SCAN_INITIAL_LOOKBACK to now − SCAN_SETTLE_DELAY (documents OPENSEARCH_MAX_LATENESS older are read too).
    expect(report.window).toEqual({ from: '2026-12-01T23:37:00.000Z', to: '2026-12-02T00:05:00.000Z' });
  });

  it('known gap without %c: a session whose connection line is indexed after its statements were alerted alerts them again under its real start (never fewer alerts)', async () => {
    for (const name of os.indexNames()) os.deleteIndex(name);
    os.faults = [];
    os.beforeSearch = null;
    // Every `connection received` line arrives late; the session ids derived from pid and start differ.
    const isReceived = (d: Record<string, unknown>) => String(d.MESSAGE).includes('LOG:  connection received');
    os.addDocuments(fixture.docs.filter((d) => !isReceived(d)));
    const settings = loadSettings({ OPENSEARCH_URL: os.url, OPENSEARCH_USERNAME: os.username, OPENSEARCH_PASSWORD: os.password, OPENSEARCH_CA_CERT: os.ca, SCAN_INITIAL_LOOKBACK: 'PT30M', SILENCE_ALERT_AFTER: 'P30D' });
    const store = new MemoryStateStore();
    const notifier = new RecordingNotifier();
    const run = (at: string) => runPipeline({
      settings, source: POLLED_SOURCES.opensearch.create({ settings, credential: null as never, storageCredential: null as never, log: silent }),
      store, notifiersFor: () => [notifier], now: () => new Date(at), log: silent,
      loadRules: () => loadRules('config/rules.yaml', process.cwd(), { lists: LISTS }),
    });
    expect((await run('2026-12-02T00:03:00Z')).error).toBeNull();
    os.addDocuments(fixture.docs.filter(isReceived));
    expect((await run('2026-12-02T00:05:00Z')).error).toBeNull();
    const byStatement = (f: string) => f.split('/').slice(2).join('/');
    const sent = facts(notifier.sent);
    // Nothing lost: every expected alert (by statement, rule and user) was sent...
    for (const f of expected) expect(sent.map(byStatement)).toContain(byStatement(f));
    // ...and each at most twice: once under the start run 1 derived, once under the real one.
    const counts = new Map<string, number>();
    for (const f of sent) counts.set(byStatement(f), (counts.get(byStatement(f)) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
  });
});
