import { describe, expect, it } from 'vitest';
import { collectEvents } from '../support/collectEvents';

/**
 * AzureDiagnostics rows carry their record's time to the millisecond, and rows sharing one come in any
 * order, so a CONTEXT row (a RAISE from PL/pgSQL) may belong to any record of its session and millisecond.
 * A script whose last statement RAISEs a note often logs its disconnection line in that same millisecond
 * (seen in a regenerated attack run: the benign ETL's `RAISE LOG` note and its disconnection, 37 ms into
 * the session). That line must not raise a forgery alert unless its session logs more after it, which
 * PostgreSQL's own disconnection line never allows.
 */
const SESSION = '6b0ff69d.2a14';

function row(time: string, severity: string, message: string): string {
  return JSON.stringify({
    TimeGenerated: `2026-12-02T10:00:${time}Z`,
    ResourceId: '/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.DBFORPOSTGRESQL/FLEXIBLESERVERS/PG-1',
    LogicalServerName_s: 'pg-1',
    Category: 'PostgreSQLLogs',
    errorLevel_s: severity,
    processId_d: 10772,
    Message: `2026-12-02 10:00:${time.slice(0, 2)} UTC-${SESSION}-${severity}:  ${message}`,
  });
}

const START = [
  row('00.100', 'LOG', 'connection received: host=127.0.0.1 port=50000'),
  row('00.101', 'LOG', 'connection authorized: user=etl_loader database=shop application_name=etl-nightly'),
  row('00.120', 'LOG', 'AUDIT: SESSION,1,1,WRITE,TRUNCATE TABLE,,,TRUNCATE staging.orders_import;,<not logged>'),
  row('00.130', 'LOG', "AUDIT: SESSION,2,1,FUNCTION,DO,,,\"DO $$BEGIN RAISE LOG 'etl-nightly: batch 42 loaded 3 orders'; END$$;\",<not logged>"),
];
/** The note, its CONTEXT row and the disconnection line, all in one millisecond. */
const NOTE_AND_END = [
  row('00.137', 'LOG', 'etl-nightly: batch 42 loaded 3 orders'),
  row('00.137', 'CONTEXT', 'PL/pgSQL function inline_code_block line 1 at RAISE'),
  row('00.137', 'LOG', 'disconnection: session time: 0:00:00.037 user=etl_loader database=shop host=127.0.0.1 port=50000'),
];

async function parse(rows: string[]) {
  const { events, summary } = await collectEvents(rows.join('\n') + '\n', { format: 'azure-diagnostics', prefix: '%t-%c-' });
  return { events, summary, forged: events.filter((e) => e.trust === 'forged') };
}

describe('a disconnection line sharing its millisecond with a RAISE of its session', () => {
  it('raises no forgery alert when nothing of its session comes after it, whatever order the rows come in', async () => {
    for (const end of [NOTE_AND_END, [...NOTE_AND_END].reverse(), [NOTE_AND_END[2]!, NOTE_AND_END[0]!, NOTE_AND_END[1]!]]) {
      const { events, forged } = await parse([...START, ...end]);
      expect(forged).toEqual([]);
      expect(events.map((e) => [e.command, e.user])).toEqual([['TRUNCATE TABLE', 'etl_loader'], ['DO', 'etl_loader']]);
    }
  });

  it('is reported as forged, and ends nothing, when its session logs a record after it', async () => {
    const { events, forged } = await parse([
      ...START,
      row('00.137', 'LOG', 'disconnection: session time: 0:00:00.037 user=etl_loader database=shop host=127.0.0.1 port=50000'),
      row('00.137', 'CONTEXT', 'PL/pgSQL function inline_code_block line 1 at RAISE'),
      row('00.150', 'LOG', 'AUDIT: SESSION,3,1,DDL,DROP TABLE,,,DROP TABLE sales.orders;,<not logged>'),
    ]);
    expect(forged.map((e) => [e.command, e.user])).toEqual([['disconnection', 'etl_loader']]);
    expect(forged[0]!.trustReason).toMatch(/logged more after it/);
    const drop = events.find((e) => e.command === 'DROP TABLE')!;
    expect([drop.user, drop.sessionId, drop.trust]).toEqual(['etl_loader', SESSION, undefined]);
  });

  it('is reported as forged when a second disconnection line of its session follows', async () => {
    const { forged } = await parse([
      ...START,
      ...NOTE_AND_END,
      row('00.200', 'LOG', 'disconnection: session time: 0:00:00.100 user=etl_loader database=shop host=127.0.0.1 port=50000'),
    ]);
    expect(forged.map((e) => e.command)).toEqual(['disconnection']);
  });
});
