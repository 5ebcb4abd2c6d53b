import { describe, expect, it } from 'vitest';
import { compileLogLinePrefix } from '../../shared/parse/compileLogLinePrefix';

const parse = (prefix: string, line: string) => compileLogLinePrefix(prefix).parse(line);

describe('compileLogLinePrefix', () => {
  it("parses Azure's default %t-%c- (no user or database on the line)", () => {
    expect(parse('%t-%c-', '2026-11-22 12:07:03 UTC-6b02dae7.3421-LOG:  AUDIT: SESSION,1,1,ROLE,GRANT ROLE,,,x,<not logged>')).toEqual({
      time: '2026-11-22T12:07:03.000Z', pid: null, sessionId: '6b02dae7.3421', sessionLine: null, user: null,
      database: null, application: null, client: null, severity: 'LOG',
      message: 'AUDIT: SESSION,1,1,ROLE,GRANT ROLE,,,x,<not logged>', ambiguous: false,
    });
  });

  it('reads user, database, application with spaces and punctuation, and the client', () => {
    const r = parse('%m [%p] [user=%u,db=%d,app=%a] ', '2026-11-22 12:07:03.123 UTC [4242] [user=alice,db=shop db,app=my app, v2] LOG:  AUDIT: x');
    expect(r).toMatchObject({ time: '2026-11-22T12:07:03.123Z', pid: 4242, user: 'alice', database: 'shop db', application: 'my app, v2', message: 'AUDIT: x' });
  });

  it('maps [unknown] and empty values to null', () => {
    const r = parse('%t %p %l-1 db-%d,user-%u,app-%a,client-%h ', '2026-11-22 12:00:44 UTC 12423 1-1 db-[unknown],user-[unknown],app-[unknown],client-127.0.0.1 LOG:  connection received: host=127.0.0.1 port=46210');
    expect(r).toMatchObject({ user: null, database: null, application: null, client: '127.0.0.1', sessionLine: 1, pid: 12423 });
  });

  it('supports every documented escape', () => {
    const prefix = '%a|%u|%d|%r|%h|%b|%p|%P|%t|%m|%n|%i|%e|%c|%l|%s|%v|%x|%Q|%%|';
    const line = 'psql|bob|db1|10.0.0.9(5432)|10.0.0.9|client backend|77|12|2026-01-02 03:04:05 UTC|2026-01-02 03:04:05.678 UTC|1767323045.678|SELECT|00000|659f1b25.4d|9|2026-01-02 03:00:00 UTC|3/17|0|-123|%|LOG:  AUDIT: y';
    expect(parse(prefix, line)).toEqual({
      time: '2026-01-02T03:04:05.000Z', pid: 77, sessionId: '659f1b25.4d', sessionLine: 9, user: 'bob', database: 'db1',
      application: 'psql', client: '10.0.0.9', severity: 'LOG', message: 'AUDIT: y', ambiguous: false,
    });
  });

  it('handles padding (%-10u, %5p)', () => {
    expect(parse('%-10u|%5p|', 'ann       |   42|WARNING:  AUDIT: z')).toMatchObject({ user: 'ann', pid: 42, severity: 'WARNING' });
  });

  it('%q: non-session lines stop the prefix there', () => {
    const p = '%m [%p] %q%u@%d ';
    expect(parse(p, '2026-11-22 12:00:44.848 UTC [12414] LOG:  database system is ready')).toMatchObject({ pid: 12414, user: null });
    expect(parse(p, '2026-11-22 12:00:44.848 UTC [12415] carol@sales LOG:  AUDIT: q')).toMatchObject({ user: 'carol', database: 'sales' });
  });

  it('RDS prefix %t:%r:%u@%d:[%p]:', () => {
    expect(parse('%t:%r:%u@%d:[%p]:', '2026-11-22 12:00:44 UTC:10.1.2.3(51234):dave@prod:[999]:LOG:  AUDIT: r')).toMatchObject({
      client: '10.1.2.3', user: 'dave', database: 'prod', pid: 999,
    });
  });

  it('skips a verbose-mode SQLSTATE but never eats "AUDIT: "', () => {
    expect(parse('%t-%c-', '2026-11-22 12:07:03 UTC-6b.1-LOG:  00000: AUDIT: SESSION')?.message).toBe('AUDIT: SESSION');
  });

  it('converts zones: numeric offsets and abbreviations', () => {
    expect(parse('%t ', '2026-11-22 12:07:03 CET LOG:  x')?.time).toBe('2026-11-22T11:07:03.000Z');
    expect(parse('%t ', '2026-11-22 12:07:03 -03 LOG:  x')?.time).toBe('2026-11-22T15:07:03.000Z');
  });

  it('returns null for lines that do not fit', () => {
    expect(parse('%t-%c-', '2026-11-22 12:00:44 UTC 12423 3-1 db-postgres LOG:  AUDIT: x')).toBeNull();
    expect(parse('%t-%c-', '\tcontinuation')).toBeNull();
  });

  it('keeps multi-line messages whole', () => {
    expect(parse('%t-%c-', '2026-11-22 12:07:03 UTC-6b.1-LOG:  AUDIT: a\nb\r\nc')?.message).toBe('AUDIT: a\nb\r\nc');
  });
});
