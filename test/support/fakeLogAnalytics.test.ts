import { request } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { LogAnalyticsQueryError } from '../../shared/logAnalytics/LogAnalyticsQueryError';
import { runLogsQuery } from '../../shared/logAnalytics/runLogsQuery';
import { pgsqlRow, startHarness, T0, type Harness } from './logAnalyticsHarness';

/**
 * The stand-in must refuse what it cannot evaluate faithfully, and what the service refuses, so a test
 * passing against it means something.
 */
let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

const span = { startTime: new Date(T0 - 86_400_000), endTime: new Date(T0 + 86_400_000) };

async function refusal(query: string): Promise<string> {
  const error = await runLogsQuery(harness!.deps, query, span, null).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(LogAnalyticsQueryError);
  return (error as Error).message;
}

describe('Log Analytics stand-in', () => {
  it('refuses operators it does not evaluate with 400 BadArgumentError, not a guess', async () => {
    harness = await startHarness();
    expect(await refusal('PGSQLServerLogs | summarize count() by LogicalServerName')).toMatch(/HTTP 400.*BadArgumentError.*UnsupportedByStandIn/);
    expect(await refusal('PGSQLServerLogs | join kind=inner (AzureDiagnostics) on Message')).toMatch(/HTTP 400/);
    expect(harness.la.queries.map((q) => q.outcome)).toEqual(['rejected', 'rejected']);
  });

  it('refuses unknown columns and tables as the service does (semantic errors)', async () => {
    harness = await startHarness();
    expect(await refusal('PGSQLServerLogs | where Nope == 1')).toMatch(/HTTP 400.*SemanticError/);
    expect(await refusal('PGSQLServerLogz | where Message contains "x"')).toMatch(/HTTP 400.*SemanticError/);
    expect(await refusal('PGSQLServerLogs | where')).toMatch(/HTTP 400.*SyntaxError/);
  });

  it('applies the timespan to TimeGenerated and ingestion_time() to arrival', async () => {
    harness = await startHarness();
    harness.la.addRows('PGSQLServerLogs', [
      pgsqlRow(0, 'AUDIT: a', { ingestedAfterMs: 1000 }),
      pgsqlRow(0, 'AUDIT: b', { ingestedAfterMs: 5000 }),
      pgsqlRow(-3 * 86_400_000, 'AUDIT: c', { ingestedAfterMs: 3 * 86_400_000 + 1000 }),
    ]);
    const result = await runLogsQuery(harness.deps,
      `PGSQLServerLogs | where ingestion_time() <= datetime(${new Date(T0 + 2000).toISOString()}) | project Message, At = ingestion_time()`, span, null);
    expect(result.status).toBe('Success');
    const rows = result.status === 'Success' ? result.tables[0]!.rows : [];
    expect(rows.map((r) => String(r[0]).slice(-8))).toEqual(['AUDIT: a']);
    expect(rows[0]![1]).toEqual(new Date(T0 + 1000));
  });

  it('accepts only tokens its identity endpoint issued', async () => {
    harness = await startHarness();
    const post = (authorization?: string) => new Promise<number>((resolve, reject) => {
      const req = request(`${harness!.la.endpoint}/workspaces/${harness!.la.workspaceId}/query`, {
        method: 'POST', ca: harness!.la.ca, headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ query: 'PGSQLServerLogs | where false | project TimeGenerated' }));
    });
    expect(await post()).toBe(401);
    expect(await post('Bearer made-up')).toBe(403);
    await runLogsQuery(harness.deps, 'PGSQLServerLogs | where false | project TimeGenerated', span, null);
    expect(harness.identity.requests.length).toBeGreaterThan(0);
    expect(harness.la.queries.at(-1)!.status).toBe(200);
  });
});
