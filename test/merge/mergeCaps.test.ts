import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_HELD_EVENT_CHARS, MAX_HELD_EVENTS } from '../../shared/merge/StatementMerger';
import { collectEvents } from '../support/collectEvents';

/** The text in one chunk (the many small chunks of textStream would make 35 MB slow to read). */
const whole = (lines: string[]) => Readable.from([`${lines.join('\n')}\n`]);

/**
 * Issue 10, item 5: open statements held by the merge are bounded (count and text). Beyond a cap the oldest
 * is let out flagged `incomplete`, never dropped, and the rest of the input is read as usual.
 */
const T = '2026-12-02 06:00:00 UTC';
const session = (i: number) => `6b0fb000.${(0x10000 + i).toString(16)}`;
const open = (i: number, statement: string) => [
  `${T}-${session(i)}-LOG:  connection authorized: user=intern database=shop application_name=psql`,
  `${T}-${session(i)}-LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,sales.orders,"${statement}",<not logged>`,
];
const incident = `${T}-6b0fb000.1-LOG:  connection authorized: user=intern database=shop application_name=psql\n${T}-6b0fb000.1-LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,scratch.after_hostile,DROP TABLE scratch.after_hostile;,<not logged>`;

describe('the merge holds a bounded number of open statements', () => {
  it(`beyond ${MAX_HELD_EVENTS} open statements (sessions that never finish one) the oldest is let out, flagged incomplete`, async () => {
    const n = MAX_HELD_EVENTS + 5;
    const lines = Array.from({ length: n }, (_, i) => open(i, `SELECT ${i} FROM sales.orders`)).flat();
    const { events } = await collectEvents(whole([...lines, incident]));
    expect(events).toHaveLength(n + 1);
    // The first six (five beyond the cap, then one more for the incident's event) left early; every event kept its user.
    expect(events.filter((e) => e.incomplete === true).map((e) => e.statement)).toEqual(Array.from({ length: 6 }, (_, i) => `SELECT ${i} FROM sales.orders`));
    expect(new Set(events.map((e) => e.user))).toEqual(new Set(['intern']));
    expect(events.at(-1)).toMatchObject({ statement: 'DROP TABLE scratch.after_hostile;', user: 'intern' });
    expect(events.at(-1)).not.toHaveProperty('incomplete');
  });

  it(`beyond ${MAX_HELD_EVENT_CHARS >> 20} Mi characters of open statement text, likewise`, async () => {
    const big = 'x'.repeat(1 << 20);
    const n = (MAX_HELD_EVENT_CHARS >> 20) + 3;
    const lines = Array.from({ length: n }, (_, i) => open(i, `SELECT '${big}' AS c${i}`)).flat();
    const { events } = await collectEvents(whole([...lines, incident]));
    expect(events).toHaveLength(n + 1);
    const early = events.filter((e) => e.incomplete === true).length;
    expect(early).toBeGreaterThanOrEqual(3);
    expect(early).toBeLessThan(n);
    expect(events.at(-1)).toMatchObject({ statement: 'DROP TABLE scratch.after_hostile;', user: 'intern' });
  });
});
