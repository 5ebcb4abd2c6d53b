import { describe, expect, it } from 'vitest';
import { parseConnectionMessage } from '../../shared/parse/parseConnectionMessage';

describe('parseConnectionMessage', () => {
  it('reads user, database and an application name with spaces', () => {
    expect(parseConnectionMessage('connection authorized: user=alice database=shop application_name=Power BI Desktop')).toEqual({
      kind: 'authorized', user: 'alice', database: 'shop', application: 'Power BI Desktop',
    });
  });

  it('strips the SSL and GSS suffixes', () => {
    expect(parseConnectionMessage('connection authorized: user=bob database=db1 application_name=psql SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)')).toEqual({
      kind: 'authorized', user: 'bob', database: 'db1', application: 'psql',
    });
    expect(parseConnectionMessage('connection authorized: user=bob database=db1 SSL enabled (protocol=TLSv1.2, cipher=X, bits=256) GSS (authenticated=yes, encrypted=no, principal=bob@EX)')).toEqual({
      kind: 'authorized', user: 'bob', database: 'db1', application: null,
    });
  });

  it('reads the client of connection received, and disconnections', () => {
    expect(parseConnectionMessage('connection received: host=10.0.0.4 port=50122')).toEqual({ kind: 'received', client: '10.0.0.4' });
    expect(parseConnectionMessage('connection received: host=[local]')).toEqual({ kind: 'received', client: '[local]' });
    expect(parseConnectionMessage('disconnection: session time: 0:00:01.002 user=a database=b host=c port=1')).toEqual({ kind: 'disconnection', readings: [{ user: 'a', database: 'b' }] });
    // No application_name in it: only a role or database named with the markers splits it.
    expect(parseConnectionMessage('disconnection: session time: 0:00:01.002 user=a database=b database=c host=d')).toEqual({
      kind: 'disconnection', readings: [{ user: 'a', database: 'b database=c' }, { user: 'a database=b', database: 'c' }],
    });
    expect(parseConnectionMessage('checkpoint starting: time')).toBeNull();
  });
});

describe('parseConnectionMessage: role names that could shift the fields (issue 10)', () => {
  it('keeps a role name with a trailing space, and exact case', () => {
    expect(parseConnectionMessage('connection authorized: user=etl  database=shop application_name=psql')).toEqual({
      kind: 'authorized', user: 'etl ', database: 'shop', application: 'psql',
    });
    expect(parseConnectionMessage('connection authorized: user=Etl database=shop')).toMatchObject({ user: 'Etl' });
  });

  it('marks a line that splits more than one way as ambiguous instead of guessing', () => {
    // Real output for the role "etl database=x" (test/fixtures/trust): user etl with database "x database=shop"?
    const shifted = parseConnectionMessage('connection authorized: user=etl database=x database=shop application_name=psql');
    expect(shifted).toMatchObject({ kind: 'authorized', ambiguous: expect.stringContaining('splits 2 ways') });
    const viaApp = parseConnectionMessage('connection authorized: user=a database=b application_name=c application_name=d');
    expect(viaApp).toMatchObject({ ambiguous: expect.any(String) });
  });

  it('a plain line is not ambiguous', () => {
    expect(parseConnectionMessage('connection authorized: user=etl database=shop application_name=etl database loader')).not.toHaveProperty('ambiguous');
  });
});
