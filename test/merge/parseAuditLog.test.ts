import { describe, expect, it } from 'vitest';
import { collectEvents } from '../support/collectEvents';

const azure = (time: string, session: string, message: string) => `${time} UTC-${session}-LOG:  ${message}`;

describe('parseAuditLog: stderr', () => {
  it('removes exactly one inserted TAB per newline and merges log_relation lines', async () => {
    const log = [
      '2026-11-22 12:00:45 UTC-6b02d96c.3088-LOG:  connection received: host=10.0.0.4 port=5000',
      '2026-11-22 12:00:45 UTC-6b02d96c.3088-LOG:  connection authorized: user=alice database=shop application_name=my app',
      '2026-11-22 12:00:46 UTC-6b02d96c.3088-LOG:  AUDIT: SESSION,4,1,WRITE,INSERT,TABLE,public.mine,"INSERT INTO mine',
      '\tSELECT *\t FROM cards -- \t',
      '\t\twhere x",<not logged>',
      '2026-11-22 12:00:46 UTC-6b02d96c.3088-LOG:  AUDIT: SESSION,4,1,READ,SELECT,TABLE,public.cards,<previously logged>,<previously logged>',
      '2026-11-22 12:00:47 UTC-6b02d96c.3088-LOG:  AUDIT: SESSION,5,1,DDL,DROP TABLE,TABLE,public.mine,DROP TABLE mine;,<not logged>',
      '',
    ].join('\n');
    const { events, summary } = await collectEvents(log, { server: 'PG-Local' });
    expect(events).toHaveLength(2);
    expect(events[0]).toEqual({
      server: 'pg-local', sessionId: '6b02d96c.3088', pid: null, time: '2026-11-22T12:00:46.000Z', user: 'alice',
      database: 'shop', application: 'my app', client: '10.0.0.4', auditType: 'SESSION', statementId: 4, substatementId: 1,
      class: 'WRITE', command: 'INSERT',
      objects: [{ type: 'TABLE', name: 'public.mine' }, { type: 'TABLE', name: 'public.cards' }],
      lines: [
        { auditType: 'SESSION', class: 'WRITE', command: 'INSERT', objectType: 'TABLE', objectName: 'public.mine' },
        { auditType: 'SESSION', class: 'READ', command: 'SELECT', objectType: 'TABLE', objectName: 'public.cards' },
      ],
      statement: 'INSERT INTO mine\nSELECT *\t FROM cards -- \t\n\twhere x', parameters: null, rows: null,
    });
    expect(summary).toMatchObject({ format: 'stderr', prefix: '%t-%c-', records: 5, auditRecords: 3, events: 2, malformed: 0 });
  });

  it('never merges across sessions that share statement ids, even interleaved', async () => {
    const log = [
      azure('2026-11-22 12:00:00', 'a.1', 'AUDIT: SESSION,1,1,READ,SELECT,TABLE,t1,select 1,<none>'),
      azure('2026-11-22 12:00:00', 'b.2', 'AUDIT: SESSION,1,1,READ,SELECT,TABLE,t2,select 2,<none>'),
      azure('2026-11-22 12:00:00', 'a.1', 'AUDIT: SESSION,1,1,READ,SELECT,TABLE,t3,<previously logged>,<none>'),
    ].join('\n');
    const { events } = await collectEvents(log);
    expect(events.map((e) => [e.sessionId, e.objects.map((o) => o.name)])).toEqual([
      ['a.1', ['t1', 't3']],
      ['b.2', ['t2']],
    ]);
  });

  it('derives distinct sessions for a reused pid (no %c in the prefix)', async () => {
    const p = (t: string, pid: number, msg: string) => `2026-11-22 12:00:${t}.000 UTC [${pid}] ${msg}`;
    const log = [
      p('01', 77, 'LOG:  connection received: host=10.0.0.1 port=1'),
      p('01', 77, 'LOG:  connection authorized: user=ann database=d1 application_name=a'),
      p('02', 77, 'LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,public.t,drop table t,<not logged>'),
      p('05', 77, 'LOG:  connection received: host=10.0.0.2 port=2'),
      p('05', 77, 'LOG:  connection authorized: user=bob database=d2 application_name=b'),
      p('06', 77, 'LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,public.t,drop table t,<not logged>'),
      p('07', 77, 'LOG:  AUDIT: SESSION,2,1,READ,SELECT,,,select 1,<not logged>'),
    ].join('\n');
    const { events } = await collectEvents(log, { prefix: '%m [%p] ' });
    expect(events.map((e) => [e.sessionId, e.user, e.database, e.client, e.statementId])).toEqual([
      [expect.stringMatching(/^[0-9a-f]+\.4d$/), 'ann', 'd1', '10.0.0.1', 1],
      [expect.stringMatching(/^[0-9a-f]+\.4d$/), 'bob', 'd2', '10.0.0.2', 1],
      [expect.stringMatching(/^[0-9a-f]+\.4d$/), 'bob', 'd2', '10.0.0.2', 2],
    ]);
    expect(events[0]!.sessionId).not.toBe(events[1]!.sessionId);
    expect(events[1]!.sessionId).toBe(events[2]!.sessionId);
    // PostgreSQL's own %c scheme: hex(backend start seconds).hex(pid)
    expect(events[0]!.sessionId).toBe(`${(Date.parse('2026-11-22T12:00:01Z') / 1000).toString(16)}.4d`);
  });

  it('detects a common prefix when the configured one does not fit, and says so', async () => {
    const log = '2026-11-22 12:00:44 UTC 12423 3-1 db-postgres,user-postgres,app-psql,client-127.0.0.1 LOG:  AUDIT: SESSION,1,1,DDL,CREATE DATABASE,,,CREATE DATABASE x;,<not logged>\n';
    const { events, summary } = await collectEvents(log);
    expect(events[0]).toMatchObject({ user: 'postgres', database: 'postgres', application: 'psql', pid: 12423 });
    expect(summary.prefix).toBe('%t %p %l-1 db-%d,user-%u,app-%a,client-%h ');
    expect(summary.prefixNote).toContain('"%t-%c-" fits 0 of 1');
  });

  it('counts garbage and malformed AUDIT records with locations and goes on', async () => {
    const log = [
      'garbage line',
      azure('2026-11-22 12:00:00', 'a.1', 'AUDIT: SESSION,x,1,READ,SELECT,,,s,<none>'),
      azure('2026-11-22 12:00:00', 'a.1', 'AUDIT: SESSION,2,1,WRITE,UPDATE,TABLE,t,"UPDATE t SET secret = \'cut'),
      azure('2026-11-22 12:00:01', 'a.1', 'AUDIT: SESSION,3,1,READ,SELECT,TABLE,t,select 1,<none>'),
    ].join('\n');
    const { events, summary } = await collectEvents(log, { source: 'mixed.log' });
    expect(events.map((e) => [e.statementId, e.truncated ?? false])).toEqual([[2, true], [3, false]]);
    expect(summary).toMatchObject({ records: 4, auditRecords: 3, events: 2, malformed: 1, truncated: 1 });
    expect(summary.problems[0]).toEqual({ location: 'mixed.log:2', message: expect.stringContaining('not integers') });
  });

  it('handles an empty input', async () => {
    expect((await collectEvents('')).summary).toMatchObject({ records: 0, events: 0 });
  });
});

describe('parseAuditLog: Azure rows', () => {
  const msg = (session: string, text: string) => `2026-11-22 12:07:03 UTC-${session}-${text}`;
  const diag = (m: string) => ({
    TimeGenerated: '2026-11-22T12:07:05.120Z', Category: 'PostgreSQLLogs', Resource: 'PG-PROD-1', LogicalServerName_s: '',
    ResourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.DBFORPOSTGRESQL/FLEXIBLESERVERS/PG-PROD-1',
    errorLevel_s: 'LOG', processId_d: 13345, Message: m,
  });
  const rows = [
    diag(msg('6b02dae7.3421', 'LOG:  connection received: host=10.0.0.4 port=4444')),
    diag(msg('6b02dae7.3421', 'LOG:  connection authorized: user=dba_alice database=shopdb application_name=psql')),
    diag(msg('6b02dae7.3421', 'LOG:  AUDIT: SESSION,3,1,ROLE,GRANT ROLE,,,GRANT dba_admins TO mallory;,<not logged>')),
  ];
  const expected = {
    server: 'pg-prod-1', sessionId: '6b02dae7.3421', pid: 13345, time: '2026-11-22T12:07:03.000Z', user: 'dba_alice',
    database: 'shopdb', application: 'psql', client: '10.0.0.4', auditType: 'SESSION', statementId: 3, substatementId: 1,
    class: 'ROLE', command: 'GRANT ROLE', objects: [],
    lines: [{ auditType: 'SESSION', class: 'ROLE', command: 'GRANT ROLE', objectType: null, objectName: null }],
    statement: 'GRANT dba_admins TO mallory;', parameters: null, rows: null,
  };

  it('reads AzureDiagnostics NDJSON (the interfaces doc example)', async () => {
    const { events, summary } = await collectEvents(rows.map((r) => JSON.stringify(r)).join('\n'));
    expect(events).toEqual([expected]);
    expect(summary.format).toBe('azure-diagnostics');
  });

  it('reads a Log Analytics query response (pretty-printed) of PGSQLServerLogs rows', async () => {
    const columns = ['TimeGenerated', 'LogicalServerName', 'ProcessId', 'ErrorLevel', 'Message'];
    const body = {
      tables: [{ name: 'PrimaryResult', columns: columns.map((name) => ({ name, type: 'string' })),
        rows: rows.map((r) => [r.TimeGenerated, 'pg-prod-1', 13345, 'LOG', r.Message]) }],
    };
    const { events } = await collectEvents(JSON.stringify(body, null, 2));
    expect(events).toEqual([expected]);
  });

  it('reads the Storage diagnostic archive (JSON lines)', async () => {
    const blob = rows.map((r) => JSON.stringify({
      properties: { timestamp: '2026-11-22 12:07:03.526 UTC', processId: 13345, errorLevel: 'LOG', sqlerrcode: '00000', message: r.Message },
      resourceId: r.ResourceId, category: 'PostgreSQLLogs', operationName: 'LogEvent', time: '2026-11-22T12:07:05Z',
    })).join('\n');
    const { events, summary } = await collectEvents(blob);
    expect(summary.format).toBe('azure-blob');
    expect(events).toEqual([expected]);
  });

  it('counts a row that is not JSON and one without Message, and skips other categories', async () => {
    const input = [JSON.stringify(rows[0]), '{not json', JSON.stringify({ TimeGenerated: 'x' }),
      JSON.stringify({ ...rows[2], Category: 'PostgreSQLFlexSessions' }), JSON.stringify(rows[1]), JSON.stringify(rows[2])].join('\n');
    const { events, summary } = await collectEvents(input, { source: 'rows.ndjson' });
    expect(events).toEqual([expected]);
    expect(summary.malformed).toBe(2);
    expect(summary.problems.map((p) => p.location)).toEqual(['rows.ndjson:2', 'rows.ndjson:3']);
  });
});
