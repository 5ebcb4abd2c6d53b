import { afterEach, describe, expect, it } from 'vitest';
import { lookupSessionRows } from '../../shared/logAnalytics/lookupSessionRows';
import { queryAuditRows } from '../../shared/logAnalytics/queryAuditRows';
import { scanRowsToSourceItems } from '../../shared/logAnalytics/scanRowsToSourceItems';
import { mergeAuditRecords } from '../../shared/merge/mergeAuditRecords';
import type { AuditEvent } from '../../shared/model/AuditEvent';
import { diagnosticsRow, pgsqlRow, startHarness, T0, type Harness } from '../support/logAnalyticsHarness';

const MIN = 60_000;
const window = { ingestedAfter: new Date(T0 + 10 * MIN), ingestedBefore: new Date(T0 + 20 * MIN), timespanStart: new Date(T0 - 2 * 24 * 60 * MIN) };
const SID = (0x6b02dae7).toString(16);

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function events(stream: AsyncIterable<AuditEvent[]>): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const batch of stream) out.push(...batch);
  return out;
}

describe('Log Analytics rows through parse and merge', () => {
  it('turns scan rows into AuditEvents with the session context of their connection lines', async () => {
    harness = await startHarness();
    harness.la.addRows('PGSQLServerLogs', [
      pgsqlRow(11 * MIN + 2, 'AUDIT: SESSION,1,1,ROLE,GRANT,,,GRANT dba_admins TO mallory;,<not logged>', { sessionId: `${SID}.3421` }),
      pgsqlRow(11 * MIN, 'connection received: host=10.0.0.4 port=51000', { sessionId: `${SID}.3421` }),
      pgsqlRow(11 * MIN + 1, 'connection authorized: user=dba_alice database=shopdb application_name=psql', { sessionId: `${SID}.3421` }),
    ]);
    harness.la.addRows('AzureDiagnostics', [
      diagnosticsRow(12 * MIN, 'AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,public.t,drop table t,<not logged>', { server: 'PG-Legacy', withLogicalName: false, sessionId: `${SID}.1a` }),
    ]);
    const merged = mergeAuditRecords(scanRowsToSourceItems(queryAuditRows(harness.deps, window), harness.la.workspaceId));
    const out = await events(merged.batches);
    expect(out.map((e) => [e.server, e.sessionId, e.user, e.database, e.client, e.command])).toEqual([
      ['pg-prod-1', `${SID}.3421`, 'dba_alice', 'shopdb', '10.0.0.4', 'GRANT'],
      ['pg-legacy', `${SID}.1a`, null, null, null, 'DROP TABLE'],
    ]);
    expect(merged.summary()).toMatchObject({ records: 4, auditRecords: 2, malformed: 0, problems: [] });
  });

  it('looks up the connection lines of sessions that started before the window', async () => {
    harness = await startHarness({ table: 'PGSQLServerLogs' });
    const start = (0x6b02dae7 * 1000) - T0; // offset of the session's start from T0
    harness.la.addRows('PGSQLServerLogs', [
      pgsqlRow(start, 'connection received: host=10.0.0.9 port=50000', { sessionId: `${SID}.3421` }),
      pgsqlRow(start + 1, 'connection authorized: user=bob database=hr', { sessionId: `${SID}.3421` }),
      pgsqlRow(start + 1, 'connection authorized: user=eve database=hr', { sessionId: `${SID}.9999` }),
      pgsqlRow(start + 1, 'connection authorized: user=carol database=hr', { sessionId: `${SID}.3421`, server: 'pg-other' }),
    ]);
    const rows = [];
    for await (const batch of lookupSessionRows(harness.deps, 'pg-prod-1', [`${SID}.3421`, 'not-a-session'])) rows.push(...batch.rows);
    expect(rows.map((r) => r.Message!.replace(/^.*LOG: {2}/, ''))).toEqual([
      'connection received: host=10.0.0.9 port=50000',
      'connection authorized: user=bob database=hr',
    ]);
  });

  it('looks up many sessions in queries of at most 100 ids', async () => {
    harness = await startHarness({ table: 'PGSQLServerLogs' });
    const ids = Array.from({ length: 250 }, (_, i) => `${SID}.${(0x100 + i).toString(16)}`);
    const start = (0x6b02dae7 * 1000) - T0;
    harness.la.addRows('PGSQLServerLogs', ids.map((id) => pgsqlRow(start, 'connection authorized: user=u database=d', { sessionId: id })));
    let count = 0;
    for await (const batch of lookupSessionRows(harness.deps, 'pg-prod-1', ids)) count += batch.rows.length;
    expect(count).toBe(250);
    expect(harness.la.queries).toHaveLength(3);
  });
});
