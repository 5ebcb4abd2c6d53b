import { describe, expect, it } from 'vitest';
import { buildScanKql } from '../../shared/logAnalytics/buildScanKql';
import { buildSessionLookupKql, sessionLookupTimespan } from '../../shared/logAnalytics/buildSessionLookupKql';
import { sessionStartTime } from '../../shared/model/sessionId';
import { buildTableProbeKql } from '../../shared/logAnalytics/resolveLogsTables';
import { analyzeKql, syntaxKinds } from '../support/kustoLanguage';

const TABLES = ['auto', 'PGSQLServerLogs', 'AzureDiagnostics'] as const;
const SERVER_LISTS = [[], ['pg-prod-1'], ['pg-prod-1', 'PG-Reporting', 'we"ird\\name']];
const window = { ingestedAfter: new Date('2026-11-22T12:00:00.000Z'), ingestedBefore: new Date('2026-11-22T12:05:00.250Z') };

/** Query operators and statements the scan may use: plain ones every Log Analytics plan and tool reads. */
const ALLOWED = new Set(['UnionOperator', 'FilterOperator', 'ProjectOperator', 'LetStatement', 'ExpressionStatement']);

function operatorsOf(query: string): string[] {
  return syntaxKinds(analyzeKql(query)).filter((k) => k.endsWith('Operator') || k.endsWith('Statement'));
}

describe('buildScanKql', () => {
  for (const table of TABLES) {
    for (const servers of SERVER_LISTS) {
      it(`LOGS_TABLE=${table}, ${servers.length} server(s): the Kusto analyzer finds nothing wrong`, () => {
        const query = buildScanKql({ table, servers, ...window });
        expect(analyzeKql(query).diagnostics).toEqual([]);
        const operators = operatorsOf(query);
        expect(operators.filter((k) => !ALLOWED.has(k))).toEqual([]);
        expect(operators).toContain('FilterOperator');
        expect(operators.includes('UnionOperator')).toBe(table === 'auto');
        expect(query.includes('LogicalServerName in (')).toBe(servers.length > 0);
      });
    }
  }

  it('reads each table only through its documented columns', () => {
    // Declaring a single table makes a column of the other one an error, so each leg is checked alone.
    expect(analyzeKql(buildScanKql({ table: 'PGSQLServerLogs', servers: ['a'], ...window }), ['PGSQLServerLogs']).diagnostics).toEqual([]);
    expect(analyzeKql(buildScanKql({ table: 'AzureDiagnostics', servers: ['a'], ...window }), ['AzureDiagnostics']).diagnostics).toEqual([]);
  });

  it('survives an AzureDiagnostics table that holds only other resources\' columns (no Message, no processId_d)', () => {
    const otherResources = { AzureDiagnostics: { TimeGenerated: 'datetime', Category: 'string', _ResourceId: 'string', ResourceId: 'string', OperationName: 'string' } } as const;
    for (const query of [
      buildScanKql({ table: 'AzureDiagnostics', servers: ['a'], ...window }),
      buildSessionLookupKql({ table: 'AzureDiagnostics', server: 'a', sessionIds: ['6b02dae7.3421'] }),
    ]) {
      expect(analyzeKql(query, otherResources).diagnostics).toEqual([]);
    }
  });

  it('names the window with datetime literals, exclusive below and inclusive above', () => {
    const query = buildScanKql({ table: 'auto', servers: [], ...window });
    expect(query).toContain('let ingestedAfter = datetime(2026-11-22T12:00:00.000Z);');
    expect(query).toContain('let ingestedBefore = datetime(2026-11-22T12:05:00.250Z);');
    expect(query).toContain('ingestion_time() > ingestedAfter and ingestion_time() <= ingestedBefore');
    expect(query).toContain('union isfuzzy=true');
  });

  it('the analyzer would catch a mistake (the check can fail)', () => {
    const broken = buildScanKql({ table: 'AzureDiagnostics', servers: [], ...window }).replace('_ResourceId', '_ResourceIdx');
    expect(analyzeKql(broken).diagnostics.map((d) => d.code)).toContain('KS142');
    expect(operatorsOf('PGSQLServerLogs | join (AzureDiagnostics) on Message')).toContain('JoinOperator');
  });

  it('lower-cases and de-duplicates server names, escaping them as string literals', () => {
    const query = buildScanKql({ table: 'PGSQLServerLogs', servers: ['PG-A', 'pg-a', 'x"y'], ...window });
    expect(query).toContain('| where LogicalServerName in ("pg-a", "x\\"y")');
  });

  it('refuses an empty window', () => {
    expect(() => buildScanKql({ table: 'auto', servers: [], ingestedAfter: window.ingestedBefore, ingestedBefore: window.ingestedBefore })).toThrow(/empty ingestion window/);
  });
});

describe('buildSessionLookupKql', () => {
  for (const table of TABLES) {
    it(`LOGS_TABLE=${table}: the Kusto analyzer finds nothing wrong`, () => {
      const query = buildSessionLookupKql({ table, server: 'pg-prod-1', sessionIds: ['6b02dae7.3421', '6b02daf0.1a'] });
      expect(analyzeKql(query).diagnostics).toEqual([]);
      expect(operatorsOf(query).filter((k) => !ALLOWED.has(k))).toEqual([]);
      expect(query).toContain('Message contains_cs "6b02dae7.3421" or Message contains_cs "6b02daf0.1a"');
      expect(query).toContain('| where LogicalServerName in ("pg-prod-1")');
    });
  }

  it('accepts only %c session ids, and a bounded number of them', () => {
    expect(() => buildSessionLookupKql({ table: 'auto', server: 'a', sessionIds: ['6b02dae7.3421" or true or "'] })).toThrow(/not a %c session id/);
    expect(() => buildSessionLookupKql({ table: 'auto', server: 'a', sessionIds: [] })).toThrow(/no session ids/);
    const many = Array.from({ length: 101 }, (_, i) => `6b02dae7.${i.toString(16)}`);
    expect(() => buildSessionLookupKql({ table: 'auto', server: 'a', sessionIds: many })).toThrow(/at most 100/);
  });

  it('derives the lookup timespan from the start times the ids carry', () => {
    expect(sessionStartTime('6b02dae7.3421')?.toISOString()).toBe(new Date(0x6b02dae7 * 1000).toISOString());
    expect(sessionStartTime('nope')).toBeNull();
    const span = sessionLookupTimespan(['6b02dae7.3421', '6b02dae9.1']);
    expect(span.startTime.getTime()).toBe(0x6b02dae7 * 1000 - 5 * 60_000);
    expect(span.endTime.getTime()).toBe(0x6b02dae9 * 1000 + 60 * 60_000);
  });
});

describe('buildTableProbeKql', () => {
  for (const table of ['PGSQLServerLogs', 'AzureDiagnostics'] as const) {
    it(`${table}: valid where the table exists, refused (KS204) where it does not`, () => {
      const query = buildTableProbeKql(table);
      expect(analyzeKql(query).diagnostics).toEqual([]);
      expect(operatorsOf(query).filter((k) => !ALLOWED.has(k))).toEqual([]);
      const other = table === 'PGSQLServerLogs' ? 'AzureDiagnostics' : 'PGSQLServerLogs';
      expect(analyzeKql(query, [other]).diagnostics.map((d) => d.code)).toContain('KS204');
    });
  }
});
