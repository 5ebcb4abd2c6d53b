import { inspect } from 'node:util';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { LogAnalyticsQueryError } from '../../shared/logAnalytics/LogAnalyticsQueryError';
import { queryAuditRows } from '../../shared/logAnalytics/queryAuditRows';
import { diagnosticsRow, pgsqlRow, startHarness, T0, type Harness } from '../support/logAnalyticsHarness';

const MIN = 60_000;
/** The scan window: rows that arrived in (T0+10min, T0+20min], looking back 2 days for late ones. */
const window = {
  ingestedAfter: new Date(T0 + 10 * MIN),
  ingestedBefore: new Date(T0 + 20 * MIN),
  timespanStart: new Date(T0 + 10 * MIN - 2 * 24 * 60 * MIN),
};

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

const messages = (rows: { Message: string | null }[]) => rows.map((r) => r.Message!.replace(/^.*?LOG: {2}/, ''));

describe('queryAuditRows against the Log Analytics stand-in (real LogsQueryClient + DefaultAzureCredential)', () => {
  it('returns exactly the AUDIT and connection rows that arrived in the window, from both tables, normalized', async () => {
    harness = await startHarness();
    harness.la.addRows('PGSQLServerLogs', [
      pgsqlRow(9 * MIN, 'AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<not logged>'), // arrives at 11 min: in
      pgsqlRow(7 * MIN, 'AUDIT: SESSION,2,1,READ,SELECT,,,select 2,<not logged>'), // arrives at 9 min: before the window
      pgsqlRow(18 * MIN, 'AUDIT: SESSION,3,1,READ,SELECT,,,select 3,<not logged>'), // arrives at 20 min: in (inclusive)
      pgsqlRow(18 * MIN + 1, 'AUDIT: SESSION,4,1,READ,SELECT,,,select 4,<not logged>'), // 20 min + 1 ms: after
      pgsqlRow(12 * MIN, 'checkpoint complete: wrote 3 buffers'), // not needed
      pgsqlRow(12 * MIN, 'connection authorized: user=alice database=shop application_name=psql'),
      pgsqlRow(12 * MIN, 'connection received: host=10.0.0.4 port=5432'),
      pgsqlRow(13 * MIN, 'audit: lower case is not pgaudit'),
    ]);
    harness.la.addRows('AzureDiagnostics', [
      diagnosticsRow(14 * MIN, 'AUDIT: SESSION,5,1,DDL,DROP TABLE,,,drop table t,<not logged>', { server: 'PG-Legacy', withLogicalName: false }),
      diagnosticsRow(14 * MIN, 'AUDIT: SESSION,6,1,DDL,DROP TABLE,,,drop table u,<not logged>', { category: 'SQLSecurityAuditEvents' }),
    ]);
    const rows = await harness.read(window);
    expect(messages(rows).sort()).toEqual([
      'AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<not logged>',
      'AUDIT: SESSION,3,1,READ,SELECT,,,select 3,<not logged>',
      'AUDIT: SESSION,5,1,DDL,DROP TABLE,,,drop table t,<not logged>',
      'connection authorized: user=alice database=shop application_name=psql',
      'connection received: host=10.0.0.4 port=5432',
    ]);
    const legacy = rows.find((r) => r.Message!.includes('drop table t'))!;
    expect(legacy).toMatchObject({ LogicalServerName: 'pg-legacy', ProcessId: 0x3421 });
    expect(legacy.TimeGenerated).toEqual(new Date(T0 + 14 * MIN));
    expect(legacy.IngestedAt).toEqual(new Date(T0 + 16 * MIN));
    // Log order within the window.
    const times = rows.map((r) => r.TimeGenerated!.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // One query, its timespan the widened TimeGenerated range.
    expect(harness.la.queries).toHaveLength(1);
    expect(harness.la.queries[0]!.timespan).toBe(`${window.timespanStart.toISOString()}/${new Date(T0 + 80 * MIN).toISOString()}`);
    expect(harness.identity.requests.every((r) => r.headerOk && r.resource === 'https://api.loganalytics.io')).toBe(true);
  });

  it('finds a row that arrived in the window an hour after its TimeGenerated, but not one older than the lateness allows', async () => {
    harness = await startHarness();
    harness.la.addRows('PGSQLServerLogs', [
      pgsqlRow(-50 * MIN, 'AUDIT: SESSION,7,1,ROLE,GRANT,,,grant x to y,<not logged>', { ingestedAfterMs: 62 * MIN }),
      pgsqlRow(-3 * 24 * 60 * MIN, 'AUDIT: SESSION,8,1,ROLE,GRANT,,,grant z to y,<not logged>', { ingestedAfterMs: 3 * 24 * 60 * MIN + 12 * MIN }),
    ]);
    expect(messages(await harness.read(window))).toEqual(['AUDIT: SESSION,7,1,ROLE,GRANT,,,grant x to y,<not logged>']);
  });

  it('keeps only PG_SERVERS, matching LogicalServerName, LogicalServerName_s or the resource id, case-insensitively', async () => {
    harness = await startHarness({ servers: ['pg-prod-1', 'pg-legacy'] });
    harness.la.addRows('PGSQLServerLogs', [
      pgsqlRow(11 * MIN, 'AUDIT: SESSION,1,1,READ,SELECT,,,a,<not logged>', { server: 'PG-Prod-1' }),
      pgsqlRow(11 * MIN, 'AUDIT: SESSION,2,1,READ,SELECT,,,b,<not logged>', { server: 'pg-other' }),
    ]);
    harness.la.addRows('AzureDiagnostics', [
      diagnosticsRow(11 * MIN, 'AUDIT: SESSION,3,1,READ,SELECT,,,c,<not logged>', { server: 'pg-legacy', withLogicalName: false }),
      diagnosticsRow(11 * MIN, 'AUDIT: SESSION,4,1,READ,SELECT,,,d,<not logged>', { server: 'pg-other2' }),
    ]);
    const rows = await harness.read(window);
    expect(rows.map((r) => r.LogicalServerName).sort()).toEqual(['pg-legacy', 'pg-prod-1']);
  });

  it('reads an AzureDiagnostics table that never had a LogicalServerName_s column (column_ifexists)', async () => {
    const { TABLE_SCHEMAS } = await import('../support/tableSchemas');
    const { LogicalServerName_s: _omitted, ...legacy } = TABLE_SCHEMAS.AzureDiagnostics;
    harness = await startHarness({ table: 'AzureDiagnostics', servers: ['pg-legacy'], schemas: { AzureDiagnostics: legacy } });
    harness.la.addRows('AzureDiagnostics', [diagnosticsRow(11 * MIN, 'AUDIT: SESSION,1,1,READ,SELECT,,,a,<not logged>', { server: 'PG-Legacy' })]);
    const rows = await harness.read(window);
    expect(rows.map((r) => r.LogicalServerName)).toEqual(['pg-legacy']);
  });

  it('under LOGS_TABLE=auto, an AzureDiagnostics table with only other resources\' columns does not break the scan', async () => {
    const { TABLE_SCHEMAS } = await import('../support/tableSchemas');
    harness = await startHarness({
      schemas: {
        PGSQLServerLogs: TABLE_SCHEMAS.PGSQLServerLogs,
        AzureDiagnostics: { TimeGenerated: 'datetime', Category: 'string', _ResourceId: 'string', OperationName: 'string' },
      },
    });
    harness.la.addRows('PGSQLServerLogs', [pgsqlRow(11 * MIN, 'AUDIT: SESSION,1,1,READ,SELECT,,,a,<not logged>')]);
    harness.la.addRows('AzureDiagnostics', [{ TimeGenerated: new Date(T0 + 11 * MIN), ingestedAt: new Date(T0 + 12 * MIN), Category: 'AuditEvent', _ResourceId: '/subscriptions/s/providers/microsoft.keyvault/vaults/kv', OperationName: 'SecretGet' }]);
    const rows = await harness.read(window);
    expect(rows.map((r) => r.LogicalServerName)).toEqual(['pg-prod-1']);
    expect(harness.la.queries.map((q) => q.outcome)).toEqual(['ok']);
  });

  it('reads nothing, and sends nothing, for an empty window', async () => {
    harness = await startHarness();
    expect(await harness.read({ ...window, ingestedAfter: window.ingestedBefore })).toEqual([]);
    expect(harness.la.queries).toEqual([]);
  });

  it('retries a 429 after its Retry-After, then succeeds', async () => {
    harness = await startHarness();
    harness.la.addRows('PGSQLServerLogs', [pgsqlRow(11 * MIN, 'AUDIT: SESSION,1,1,READ,SELECT,,,a,<not logged>')]);
    harness.la.faults.push({ status: 429, retryAfter: '7' });
    expect(await harness.read(window)).toHaveLength(1);
    expect(harness.sleeps).toEqual([7000]);
    expect(harness.la.queries.map((q) => q.status)).toEqual([429, 200]);
    expect(harness.logs.some((l) => l.startsWith('warn:') && l.includes('429'))).toBe(true);
  });

  it('retries a 504 with backoff, then succeeds', async () => {
    harness = await startHarness();
    harness.la.addRows('PGSQLServerLogs', [pgsqlRow(11 * MIN, 'AUDIT: SESSION,1,1,READ,SELECT,,,a,<not logged>')]);
    harness.la.faults.push({ status: 504 }, { status: 503 });
    expect(await harness.read(window)).toHaveLength(1);
    expect(harness.sleeps).toEqual([2000, 4000]);
  });

  it('gives up on a persistent 500 with an error naming the workspace and window, never the token', async () => {
    harness = await startHarness();
    harness.la.persistentFault = { status: 500 };
    const error = await harness.read(window).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(LogAnalyticsQueryError);
    const message = (error as Error).message;
    expect(message).toContain(harness.la.workspaceId);
    expect(message).toContain(`${window.ingestedAfter.toISOString()}..${window.ingestedBefore.toISOString()}`);
    expect(message).toMatch(/gave up after 4 tries; last: HTTP 500/);
    expect(harness.la.queries).toHaveLength(4);
    expect(harness.sleeps).toEqual([2000, 4000, 8000]);
    const everything = inspect(error, { depth: 20, showHidden: true }) + JSON.stringify(error) + harness.logs.join('\n');
    const tokens = harness.identity.issuedTokens();
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(everything).not.toContain(token);
    expect(everything).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+/); // no JWT at all
    expect(everything).not.toContain(harness.identity.identityHeader);
  });

  it('caps a long Retry-After: a timer run must finish', async () => {
    harness = await startHarness({ limits: { maxWaitMs: 30_000 } });
    harness.la.faults.push({ status: 429, retryAfter: '600' });
    expect(await harness.read(window)).toEqual([]);
    expect(harness.sleeps).toEqual([30_000]);
  });

  it('retries when no answer comes at all, then names the failure', async () => {
    harness = await startHarness();
    const { createServer } = await import('node:net');
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const { DefaultAzureCredential } = await import('@azure/identity');
    const { createLogsQueryClient } = await import('../../shared/logAnalytics/createLogsQueryClient');
    const client = createLogsQueryClient({ logsEndpoint: `https://127.0.0.1:${closed}/v1` }, new DefaultAzureCredential(), { tlsOptions: { ca: harness.la.ca } });
    const error = await (async () => {
      for await (const _ of queryAuditRows({ ...harness!.deps, client }, window)) void _;
    })().then(() => null, (e: unknown) => e);
    expect((error as Error).message).toMatch(/gave up after 4 tries; last: no answer/);
    expect(harness.sleeps).toEqual([2000, 4000, 8000]);
  });

  it('does not retry a refusal: 403 names the role the identity needs', async () => {
    harness = await startHarness();
    const identity = harness.identity;
    const isIssued = identity.isIssued;
    identity.isIssued = () => false;
    onTestFinished(() => void (identity.isIssued = isIssued));
    const error = await harness.read(window).then(() => null, (e: unknown) => e);
    expect((error as Error).message).toMatch(/HTTP 403.*Log Analytics Reader/);
    expect(harness.la.queries).toHaveLength(1);
  });

  it('splits a window at the row limit and returns every row exactly once', async () => {
    harness = await startHarness({ maxRows: 1000, limits: { maxRows: 1000 } });
    const rows = Array.from({ length: 2500 }, (_, i) =>
      pgsqlRow(8 * MIN + i * 200, `AUDIT: SESSION,${i + 1},1,READ,SELECT,,,select ${i},<not logged>`));
    harness.la.addRows('PGSQLServerLogs', rows);
    const read = await harness.read(window);
    const ids = read.map((r) => Number(/SESSION,(\d+),/.exec(r.Message!)![1]));
    const expected = rows.filter((r) => r.ingestedAt > window.ingestedAfter && r.ingestedAt <= window.ingestedBefore).length;
    expect(expected).toBeGreaterThan(2000);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(expected);
    expect(harness.la.queries.filter((q) => q.outcome === 'ok').every((q) => q.rows < 1000)).toBe(true);
    // Whole window and first half over the limit; once a quarter fits, the second half is split to
    // quarters before it is queried instead of failing first.
    expect(harness.la.queries.map((q) => q.outcome)).toEqual(['row-limit', 'row-limit', 'ok', 'ok', 'ok', 'ok']);
    // Sub-windows come in arrival order.
    const arrivals = read.map((r) => r.IngestedAt!.getTime());
    expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
  });

  it('splits on the size limit too', async () => {
    harness = await startHarness({ maxBytes: 60_000 });
    harness.la.addRows('PGSQLServerLogs', Array.from({ length: 600 }, (_, i) =>
      pgsqlRow(9 * MIN + i * 500, `AUDIT: SESSION,${i + 1},1,READ,SELECT,,,select '${'x'.repeat(200)}',<not logged>`)));
    const read = await harness.read(window);
    expect(read).toHaveLength(600);
    expect(harness.la.queries.some((q) => q.outcome === 'size-limit')).toBe(true);
  });

  it('under LOGS_TABLE=auto, a workspace with only PGSQLServerLogs succeeds (the fuzzy-union warning is not a failure)', async () => {
    const { TABLE_SCHEMAS } = await import('../support/tableSchemas');
    harness = await startHarness({ schemas: { PGSQLServerLogs: TABLE_SCHEMAS.PGSQLServerLogs } });
    harness.la.addRows('PGSQLServerLogs', [pgsqlRow(11 * MIN, 'AUDIT: SESSION,1,1,READ,SELECT,,,a,<not logged>')]);
    expect(await harness.read(window)).toHaveLength(1);
    expect(harness.la.queries[0]!.outcome).toBe('fuzzy-table');
    expect(harness.la.queries.at(-1)!.query).not.toContain('union');
    expect(harness.logs.join('\n')).toMatch(/has only PGSQLServerLogs/);
  });

  it('under LOGS_TABLE=auto, a workspace with neither table fails clearly', async () => {
    harness = await startHarness({ schemas: {} });
    const error = await harness.read(window).then(() => null, (e: unknown) => e);
    expect((error as Error).message).toMatch(/neither PGSQLServerLogs nor AzureDiagnostics/);
  });

  it('splits on a partial failure that is not the fuzzy warning, then fails clearly at the minimum window', async () => {
    harness = await startHarness({ limits: { minWindowMs: 60_000 } });
    harness.la.addRows('PGSQLServerLogs', [pgsqlRow(11 * MIN, 'AUDIT: SESSION,1,1,READ,SELECT,,,a,<not logged>')]);
    harness.la.persistentFault = { partial: 'engine' };
    const error = await harness.read(window).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(LogAnalyticsQueryError);
    expect((error as Error).message).toMatch(/partial result .*PartialError.*minimum of 60000 ms/);
    // 10 min halved down to <= 1 min: the first branch is followed to the bottom, then it stops.
    expect(harness.la.queries.filter((q) => q.outcome === 'engine').length).toBeGreaterThanOrEqual(4);
  });

  it('a transient partial failure costs one split, and no row is lost or repeated', async () => {
    harness = await startHarness();
    harness.la.addRows('PGSQLServerLogs', Array.from({ length: 40 }, (_, i) =>
      pgsqlRow(8 * MIN + 1 + i * 15_000, `AUDIT: SESSION,${i + 1},1,READ,SELECT,,,a,<not logged>`)));
    harness.la.faults.push({ partial: 'engine' });
    const read = await harness.read(window);
    expect(read).toHaveLength(40);
    expect(new Set(read.map((r) => r.Message)).size).toBe(40);
    // The partial result under LOGS_TABLE=auto first checks which tables exist (both do), then splits once.
    const scans = harness.la.queries.filter((q) => q.query.includes('ingestedAfter'));
    expect(scans.map((q) => q.outcome)).toEqual(['engine', 'ok', 'ok']);
    expect(harness.la.queries.filter((q) => q.query.includes('where false'))).toHaveLength(2);
  });

  it('streams: yields the first sub-window before querying the next', async () => {
    harness = await startHarness({ maxRows: 10, limits: { maxRows: 10 } });
    harness.la.addRows('PGSQLServerLogs', Array.from({ length: 30 }, (_, i) =>
      pgsqlRow(8 * MIN + 1 + i * 20_000, `AUDIT: SESSION,${i + 1},1,READ,SELECT,,,a,<not logged>`)));
    const queriesAtFirstBatch: number[] = [];
    let total = 0;
    for await (const batch of queryAuditRows(harness.deps, window)) {
      queriesAtFirstBatch.push(harness.la.queries.length);
      total += batch.rows.length;
    }
    expect(total).toBe(30);
    expect(queriesAtFirstBatch[0]).toBeLessThan(harness.la.queries.length);
  });
});
