import { describe, expect, it } from 'vitest';
import { collectEvents } from '../support/collectEvents';

/**
 * The client chooses its application_name, and `%a` is free text in the prefix: a name containing
 * `LOG:  ` must not let a client hide its AUDIT lines, nor forge another record in their place.
 * (Reproduced on a real PostgreSQL 15 + pgaudit server with `psql "application_name='] LOG:  '"`.)
 */
const PREFIX = '%m [%p] [user=%u,db=%d,app=%a] ';
const line = (app: string, record: string) => `2026-11-25 12:27:29.968 UTC [17470] [user=mallory,db=shop,app=${app}] LOG:  AUDIT: ${record}`;

describe('hostile application names under a prefix with %a', () => {
  it('an application name ending in "LOG:  " does not hide the DROP', async () => {
    const { events, summary } = await collectEvents(line('] LOG:  ', 'SESSION,2,1,DDL,DROP TABLE,,,drop table t,<not logged>') + '\n', { prefix: PREFIX, format: 'stderr' });
    expect(summary.malformed).toBe(0);
    expect(events).toHaveLength(1);
    // Names are kept exactly (no trimming: "etl " is not etl). The line reads two ways, so the record is
    // unverified: its own event, never merged with another.
    expect(events[0]).toMatchObject({ command: 'DROP TABLE', statement: 'drop table t', user: 'mallory', application: '] LOG:  ', trust: 'unverified' });
  });

  it('a fake AUDIT record inside the application name does not replace the real one', async () => {
    const fake = '] LOG:  AUDIT: SESSION,1,1,MISC,SET,,,"';
    const { events, summary } = await collectEvents(line(fake, 'SESSION,2,1,DDL,DROP TABLE,,,drop table t,<not logged>') + '\n', { prefix: PREFIX, format: 'stderr' });
    // The clean reading is kept (the cut-off one inside the name is not); two readings of one line are
    // reported as log forgery, with the whole line as written.
    expect(events.filter((e) => e.trust !== 'forged').map((e) => [e.command, e.statement])).toEqual([['DROP TABLE', 'drop table t']]);
    expect(events.filter((e) => e.trust === 'forged').map((e) => e.class)).toEqual(['FORGED']);
    expect(summary.forged).toBe(1);
  });

  it('a statement that quotes "LOG:  AUDIT: " text keeps its own record', async () => {
    const record = 'SESSION,3,1,READ,SELECT,,,"SELECT \'x LOG:  AUDIT: SESSION,9,9,DDL,DROP TABLE,,,y,<none>\'",<not logged>';
    const { events } = await collectEvents(line('psql', record) + '\n', { prefix: PREFIX, format: 'stderr' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ statementId: 3, command: 'SELECT', application: 'psql' });
    expect(events[0]!.statement).toBe("SELECT 'x LOG:  AUDIT: SESSION,9,9,DDL,DROP TABLE,,,y,<none>'");
  });

  it('an AUDIT-looking line that fits no split is counted as malformed, never dropped silently', async () => {
    const { events, summary } = await collectEvents(line('app', 'SESSION,not-a-number') + '\n', { prefix: PREFIX, format: 'stderr' });
    expect(events).toHaveLength(0);
    expect(summary.malformed).toBe(1);
  });
});
