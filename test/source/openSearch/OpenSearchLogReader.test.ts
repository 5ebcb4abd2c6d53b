import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mergeAuditRecords } from '../../../shared/merge/mergeAuditRecords';
import type { AuditEvent } from '../../../shared/model/AuditEvent';
import { createOpenSearchApi } from '../../../shared/source/openSearch/createOpenSearchApi';
import { OpenSearchLogReader } from '../../../shared/source/openSearch/OpenSearchLogReader';
import type { OpenSearchSettings } from '../../../shared/source/openSearch/OpenSearchSettings';
import type { SourceItem } from '../../../shared/source/SourceRecord';
import { AIVEN_PREFIX, AIVEN_TRAITS, aivenFixture } from '../../support/aivenDocuments';
import { compareEvents } from '../../support/compareEvents';
import { twoServerDay } from '../../support/contractRecords';
import { type FakeOpenSearch, startFakeOpenSearch } from '../../support/fakeOpenSearch';
import { expectedEvents } from '../../support/jsonlogExpectations';

// Real pgAudit output (PG15 + pgaudit 1.7 under Aiven's prefix) as Aiven documents, the first at
// 23:59:59 so they fall into two daily indexes; read by the official client from the HTTPS stand-in.
const START = '2026-12-01T23:59:59.000Z';
const MIDNIGHT = Date.parse('2026-12-02T00:00:00.000Z');
const fixture = aivenFixture(START);
const WINDOW = { ingestedAfter: new Date('2026-12-01T23:59:00Z'), ingestedBefore: new Date('2026-12-02T00:05:00Z'), timespanStart: new Date('2026-12-01T22:00:00Z') };
const PAGE = 7;

let os: FakeOpenSearch;
let sleeps: number[] = [];

function settings(overrides: Partial<OpenSearchSettings> = {}): OpenSearchSettings & { openSearchUrl: string } {
  return {
    openSearchUsername: os.username, openSearchPassword: os.password, openSearchCaCert: os.ca,
    openSearchIndex: 'logs-*', openSearchMessageField: null, openSearchTimeField: null, openSearchServerField: null,
    openSearchMaxLatenessMs: 3_600_000, ...overrides, openSearchUrl: os.url,
  };
}

function reader(overrides: Partial<OpenSearchSettings> = {}): OpenSearchLogReader {
  const s = settings(overrides);
  return new OpenSearchLogReader({ api: createOpenSearchApi(s), settings: s, limits: { pageSize: PAGE }, sleep: async (ms) => void sleeps.push(ms) });
}

async function collect(items: AsyncIterable<SourceItem[]>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const batch of items) out.push(...batch);
  return out;
}

async function eventsOf(items: SourceItem[]): Promise<AuditEvent[]> {
  const merged = mergeAuditRecords((async function* () { yield items; })());
  const events: AuditEvent[] = [];
  for await (const e of merged.events) events.push(e);
  expect(merged.summary().prefix).toBe(AIVEN_PREFIX);
  return events;
}

const documentKeys = (items: SourceItem[]) => items.flatMap((i) => ('record' in i && !i.record.location.includes('(line') ? [i.record.location] : []));
// What the parser uses (AUDIT records, connection and disconnection lines, CONTEXT), said here in plain text.
const mattering = fixture.docs.filter((d) => /AUDIT: |connection received|connection authorized|disconnection|CONTEXT:  /.test(String(d.MESSAGE)));

beforeAll(async () => {
  os = await startFakeOpenSearch();
});
afterAll(async () => {
  await os.close();
});
beforeEach(() => {
  for (const name of os.indexNames()) os.deleteIndex(name);
  os.addDocuments(fixture.docs);
  os.faults = [];
  os.beforeSearch = null;
  os.requests = [];
  os.searches = 0;
  sleeps = [];
});

describe('OpenSearchLogReader against the stand-in, through the official client', () => {
  it('reads every document that can matter once, across two daily indexes, and the events are the jsonlog’s', async () => {
    expect(os.indexNames()).toEqual(['logs-2026-12-01', 'logs-2026-12-02']);
    const r = reader();
    const items = await collect(r.scanRows(WINDOW));
    const keys = documentKeys(items);
    expect(new Set(keys).size).toBe(keys.length);
    // Only what can matter left the service (the filter runs there), and all of it.
    expect(keys.length).toBe(mattering.length);
    expect(keys.length).toBeLessThan(fixture.docs.length);
    expect(new Set(keys.map((k) => k.split('/')[0]))).toEqual(new Set(['logs-2026-12-01', 'logs-2026-12-02']));
    const events = await eventsOf(items);
    const expected = expectedEvents(fixture.records, fixture.genuine);
    expect(compareEvents(events.filter((e) => e.trust !== 'forged'), expected, AIVEN_TRAITS)).toEqual([]);
    expect(events.filter((e) => e.trust === 'forged').map((e) => [e.command, e.user])).toEqual([
      ['AUDIT', 'mallory'], ['connection authorized', 'mallory'], ['AUDIT', 'mallory'],
    ]);
    expect(r.notes()).toEqual([`OpenSearch ${os.url} (index logs-*): fields message MESSAGE (detected), time timestamp (detected), server HOSTNAME (detected)`]);
    // One point in time, paged with search_after on the time field, closed at the end.
    const searches = os.requests.filter((q) => q.path === '/_search');
    expect(searches.length).toBeGreaterThanOrEqual(Math.ceil(mattering.length / PAGE));
    expect(searches[1]!.body).toMatchObject({ size: PAGE, pit: { keep_alive: '2m' }, sort: [{ timestamp: { order: 'asc' } }], search_after: [expect.any(Number)] });
    expect(os.requests.filter((q) => q.path.split('?')[0]!.endsWith('/_search/point_in_time')).map((q) => q.method)).toEqual(['POST', 'DELETE']);
    expect(os.openPits()).toBe(0);
  });

  it('retries 429 (honouring Retry-After) and 503, and reads the same documents', async () => {
    const plain = documentKeys(await collect(reader().scanRows(WINDOW)));
    os.requests = [];
    os.searches = 0;
    os.faults = [{ status: 429, retryAfter: '3' }, { status: 503 }, { status: 503 }];
    os.beforeSearch = (n) => {
      if (n === 4) os.faults.push({ status: 429 });
    };
    const keys = documentKeys(await collect(reader().scanRows(WINDOW)));
    expect(keys).toEqual(plain);
    expect(sleeps[0]).toBe(3_000);
    expect(sleeps.length).toBe(4);
    expect(os.requests.filter((q) => q.status === 429 || q.status === 503).length).toBe(4);
  });

  it('a point in time that expires mid-search is reopened: nothing skipped, nothing twice', async () => {
    const plain = documentKeys(await collect(reader().scanRows(WINDOW)));
    os.searches = 0;
    os.beforeSearch = (n) => {
      if (n === 5) os.expirePits();
    };
    const r = reader();
    const keys = documentKeys(await collect(r.scanRows(WINDOW)));
    expect(keys).toEqual(plain);
    expect(os.requests.filter((q) => q.status === 404).length).toBe(1);
    expect(r.notes()[1]).toMatch(/point in time expired mid-search; reopened it/);
  });

  it('pages through more documents of one millisecond than a page holds', async () => {
    for (const name of os.indexNames()) os.deleteIndex(name);
    const same = mattering.slice(0, 3 * PAGE + 2).map((d) => ({ ...d, timestamp: '2026-12-01T23:59:59.500Z' }));
    os.addDocuments([...same, ...mattering.slice(40, 45)]);
    const keys = documentKeys(await collect(reader().scanRows(WINDOW)));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(same.length + 5);
  });

  it('an index deleted by retention mid-run: the rest is read once, and the summary names the index', async () => {
    let deleted = false;
    os.beforeSearch = () => {
      const last = os.requests[os.requests.length - 1]?.body as { search_after?: number[] } | undefined;
      if (!deleted && (last?.search_after?.[0] ?? 0) >= MIDNIGHT) {
        os.deleteIndex('logs-2026-12-01');
        deleted = true;
      }
    };
    const r = reader();
    const keys = documentKeys(await collect(r.scanRows(WINDOW)));
    expect(deleted).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    const after = mattering.filter((d) => Date.parse(String(d.timestamp)) >= MIDNIGHT).length;
    expect(keys.filter((k) => k.startsWith('logs-2026-12-02/')).length).toBe(after);
    expect(r.notes().join('\n')).toMatch(/shard\(s\) failed under the point in time \(index logs-2026-12-01, deleted by retention\?\); reopened/);
  });

  it('late documents: indexed after a run, with times in its window, are read by the next run (OPENSEARCH_MAX_LATENESS)', async () => {
    for (const name of os.indexNames()) os.deleteIndex(name);
    const onTime = mattering.filter((_, i) => i % 3 !== 0);
    const late = mattering.filter((_, i) => i % 3 === 0);
    os.addDocuments(onTime);
    const first = documentKeys(await collect(reader().scanRows({ ...WINDOW, ingestedBefore: new Date('2026-12-02T00:01:00Z') })));
    expect(first.length).toBe(onTime.length);
    os.addDocuments(late);
    // The next run's window starts after every document's time; only the lateness reaches back.
    const next = { ingestedAfter: new Date('2026-12-02T00:00:30Z'), ingestedBefore: new Date('2026-12-02T00:03:00Z'), timespanStart: WINDOW.timespanStart };
    // Without lateness only the session lines before the window come back (how sessions are named), no record of it.
    const strict = await collect(reader({ openSearchMaxLatenessMs: 0 }).scanRows(next));
    expect(strict.length).toBeGreaterThan(0);
    const records = strict.filter((i) => !('record' in i && i.record.location.includes('(line')));
    expect(records.filter((i) => !('record' in i && /LOG: {2}(connection received|connection authorized|disconnection)/.test(i.record.line ?? '')))).toEqual([]);
    const second = documentKeys(await collect(reader().scanRows(next)));
    expect(second.length).toBe(mattering.length);
    expect(new Set([...first, ...second]).size).toBe(mattering.length);
  });

  it('uses the fields that are set, and reports them as set', async () => {
    const r = reader({ openSearchMessageField: 'MESSAGE', openSearchTimeField: 'timestamp', openSearchServerField: 'HOSTNAME' });
    expect(documentKeys(await collect(r.scanRows(WINDOW))).length).toBe(mattering.length);
    expect(r.notes()[0]).toMatch(/fields message MESSAGE \(set\), time timestamp \(set\), server HOSTNAME \(set\)$/);
    // Nothing was sampled for detection: every search went through the point in time.
    expect(os.requests.filter((q) => q.path.startsWith('/logs-*/_search') && !q.path.includes('point_in_time'))).toEqual([]);
  });

  it('a wrong password fails naming the status and what to check, never the password', async () => {
    const err = await collect(reader({ openSearchPassword: 'wrong-secret-123' }).scanRows(WINDOW)).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/HTTP 401 .*check OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD/);
    expect(err?.message).not.toContain('wrong-secret-123');
    expect(err?.message).not.toContain(os.password);
    // Nor anywhere in the error and its cause, as a log of the whole error would show them (basic auth is base64).
    const whole = inspect(err, { depth: 20, showHidden: true });
    for (const secret of ['wrong-secret-123', Buffer.from(`${os.username}:wrong-secret-123`).toString('base64')]) expect(whole).not.toContain(secret);
    expect(whole).toContain('ResponseError');
  });

  it('an unreadable document is counted and located, and the run goes on', async () => {
    for (const name of os.indexNames()) os.deleteIndex(name);
    // A multi-valued message field: OpenSearch matches phrases in arrays, but there is no one record to read.
    const odd = { timestamp: '2026-12-01T23:59:59.100Z', MESSAGE: ['pid=1,user=x,db=y,app=z,client=h LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,,,DROP TABLE t;,<not logged>'], HOSTNAME: 'pg-fixture-1' };
    os.addDocuments([odd, ...mattering.slice(0, 5)]);
    const r = reader({ openSearchMessageField: 'MESSAGE', openSearchTimeField: 'timestamp', openSearchServerField: 'HOSTNAME' });
    const items = await collect(r.scanRows(WINDOW));
    expect(items.filter((i) => 'problem' in i)).toEqual([
      { problem: { location: expect.stringMatching(/^logs-2026-12-01\/d\d+$/), message: 'document has no text in its message field "MESSAGE" (set OPENSEARCH_MESSAGE_FIELD)' } },
    ]);
    expect(documentKeys(items).length).toBe(5);
  });

  it('looks up the connection lines of `%c` sessions (Azure-style prefixes), on their server only', async () => {
    for (const name of os.indexNames()) os.deleteIndex(name);
    const day = twoServerDay();
    os.addDocuments(day.map((r) => ({ timestamp: r.time, MESSAGE: r.line, HOSTNAME: r.server })));
    const line = day.find((r) => r.server === 'pg-demo-1' && r.line.includes('connection authorized'))!.line;
    const sessionId = /-([0-9a-f]+\.[0-9a-f]+)-LOG:/.exec(line)![1]!;
    const found = await collect(reader().lookupSessions('pg-demo-1', [sessionId, 'not-a-session-id']));
    const lines = found.flatMap((i) => ('record' in i ? [`${i.record.server} ${i.record.line}`] : []));
    const want = day.filter((r) => r.server === 'pg-demo-1' && r.line.includes(`-${sessionId}-`) && /connection (received|authorized)/.test(r.line));
    expect(want.length).toBe(2);
    expect(lines).toEqual(want.map((r) => `${r.server} ${r.line}`));
  });
});
