import { describe, expect, it } from 'vitest';
import { parseConnectionMessage } from '../../shared/parse/parseConnectionMessage';
import { collectEvents } from '../support/collectEvents';

/**
 * Issue 10, application_name injection: a connection line (or a `%u`/`%d`/`%a` prefix) that splits more than
 * one way. The alert names the real user wherever the log determines it, and rules never trust a line that
 * stays ambiguous, so no role named with the markers passes as a service account.
 */
const line = (session: string, message: string) => `2026-12-02 07:07:24 UTC-${session}-LOG:  ${message}`;
const drop = (session: string, table: string) => line(session, `AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,${table},DROP TABLE ${table};,<not logged>`);

describe('connection lines that split more than one way', () => {
  it('an application_name holding the markers: the plausible reading is the real user, the identity contested', async () => {
    const info = parseConnectionMessage('connection authorized: user=intern database=shop application_name=psql user=etl_loader database=shop');
    expect(info).toMatchObject({ user: 'intern', database: 'shop', application: 'psql user=etl_loader database=shop', plausible: true });
    expect(info).toMatchObject({ ambiguous: expect.stringContaining('"intern database=shop application_name=psql user=etl_loader"') });
    const { events } = await collectEvents([
      line('6b0fc3ac.6f64', 'connection authorized: user=intern database=shop application_name=psql user=etl_loader database=shop'),
      drop('6b0fc3ac.6f64', 'scratch.a09'),
      '',
    ].join('\n'));
    expect(events.map((e) => [e.user, e.identity])).toEqual([['intern', 'contested']]);
  });

  it('a role named with the markers (CREATEROLE) never passes as the service account: contested, so no exception applies', async () => {
    // Role "etl database=shop application_name=x", application psql: the line reads the same as role etl with
    // application_name "x database=shop application_name=psql".
    const text = 'connection authorized: user=etl database=shop application_name=x database=shop application_name=psql';
    expect(parseConnectionMessage(text)).toMatchObject({ ambiguous: expect.stringContaining('"etl database=shop application_name=x"') });
    const { events } = await collectEvents([line('6b0fc3ad.1', text), drop('6b0fc3ad.1', 'sales.orders'), ''].join('\n'));
    expect(events).toHaveLength(1);
    expect(events[0]!.identity).toBe('contested');
    expect(events[0]!.identityReason).toContain('etl database=shop application_name=x');
  });

  it('the disconnection line (no application_name in it) narrows the readings for the events still held', async () => {
    const crafted = 'connection authorized: user=etl database=shop application_name=x database=shop application_name=psql';
    const roleEnd = 'disconnection: session time: 0:00:00.120 user=etl database=shop application_name=x database=shop host=127.0.0.1 port=4';
    const role = await collectEvents([line('6b0fc3ad.2', crafted), drop('6b0fc3ad.2', 'sales.orders'), line('6b0fc3ad.2', roleEnd), ''].join('\n'));
    // The role "etl database=shop application_name=x": the reading as etl does not fit its disconnection line.
    expect(role.events.map((e) => [e.user, e.identity])).toEqual([[null, 'contested']]);
    expect(role.events[0]!.identityReason).toContain('disconnection line fits 2 of the readings ("etl" or "etl database=shop application_name=x"), so no user is named');
    const injected = 'connection authorized: user=intern database=shop application_name=x database=shop application_name=psql';
    const internEnd = 'disconnection: session time: 0:00:00.138 user=intern database=shop host=127.0.0.1 port=5';
    const app = await collectEvents([line('6b0fc3ad.3', injected), drop('6b0fc3ad.3', 'scratch.a09'), line('6b0fc3ad.3', internEnd), ''].join('\n'));
    expect(app.events.map((e) => [e.user, e.identity])).toEqual([['intern', 'contested']]);
  });

  it('holds the session\'s events until its disconnection line, so an earlier statement does not show the reading it rules out', async () => {
    const crafted = 'connection authorized: user=etl database=shop application_name=x database=shop application_name=psql';
    const end = 'disconnection: session time: 0:00:00.120 user=etl database=shop application_name=x database=shop host=127.0.0.1 port=4';
    const read = line('6b0fc3ad.4', 'AUDIT: SESSION,1,1,READ,SELECT,TABLE,sales.payment_cards,SELECT pan FROM sales.payment_cards;,<not logged>');
    const other = line('6b0fc3ad.5', 'AUDIT: SESSION,1,1,READ,SELECT,TABLE,sales.orders,SELECT 1 FROM sales.orders;,<not logged>');
    const { events } = await collectEvents([line('6b0fc3ad.4', crafted), read, other, line('6b0fc3ad.4', 'AUDIT: SESSION,2,1,DDL,DROP TABLE,TABLE,sales.orders,DROP TABLE sales.orders;,<not logged>'), line('6b0fc3ad.4', end), ''].join('\n'));
    expect(events.map((e) => [e.sessionId, e.statementId, e.user])).toEqual([['6b0fc3ad.4', 1, null], ['6b0fc3ad.5', 1, null], ['6b0fc3ad.4', 2, null]]);
    expect(events.filter((e) => e.sessionId === '6b0fc3ad.4').map((e) => e.identity)).toEqual(['contested', 'contested']);
  });

  it('without a plausible reading (markers in the role and the database) the user is unknown', async () => {
    const text = 'connection authorized: user=etl_loader database=x database=shop application_name=etl-nightly-l3';
    expect(parseConnectionMessage(text)).toMatchObject({ plausible: false });
    const { events } = await collectEvents([line('6b0fc3ae.6f77', text), drop('6b0fc3ae.6f77', 'scratch.l3'), ''].join('\n'));
    expect(events.map((e) => [e.user, e.identity])).toEqual([[null, 'contested']]);
  });

  it('readings PostgreSQL cannot write are no readings: names over 63 bytes, an application_name outside printable ASCII', () => {
    const long = 'u'.repeat(40);
    // The second reading would need a 69-byte role name: the line is unambiguous.
    expect(parseConnectionMessage(`connection authorized: user=intern database=shop application_name=${long} database=shop`)).toEqual({
      kind: 'authorized', user: 'intern', database: 'shop', application: `${long} database=shop`,
    });
    // The first reading would need an application_name with a newline, which PostgreSQL prints as "?".
    expect(parseConnectionMessage('connection authorized: user=a database=b application_name=c\nd database=e')).toMatchObject({ user: 'a database=b application_name=c\nd', database: 'e', application: null });
    expect(parseConnectionMessage(`connection authorized: user=${'x'.repeat(64)} database=shop`)).toMatchObject({ plausible: false, ambiguous: expect.stringContaining('63 bytes') });
  });
});

describe('a log_line_prefix whose %u/%d/%a split more than one way', () => {
  const PREFIX = '%m [%p] [user=%u,db=%d,app=%a] ';
  const app = 'x] [user=etl_loader,db=shop,app=etl-nightly';
  const head = (user: string) => `2026-12-02 07:07:25.100 UTC [28522] [user=${user},db=shop,app=${app}] LOG:  `;

  it('takes the user and database the session\'s verified connection line names, when the line fits them', async () => {
    const { events } = await collectEvents([
      `${head('intern')}connection authorized: user=intern database=shop application_name=${app}`,
      `${head('intern')}AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,scratch.a10,DROP TABLE scratch.a10;,<not logged>`,
      '',
    ].join('\n'), { prefix: PREFIX });
    expect(events.map((e) => [e.user, e.database, e.identity])).toEqual([['intern', 'shop', undefined]]);
  });

  it('stays unknown without a connection line', async () => {
    const { events } = await collectEvents(`${head('intern')}AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,scratch.a10,DROP TABLE scratch.a10;,<not logged>\n`, { prefix: PREFIX });
    expect(events.map((e) => [e.user, e.identity])).toEqual([[null, 'contested']]);
  });
});
