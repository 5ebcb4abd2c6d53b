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
    expect(parseConnectionMessage('disconnection: session time: 0:00:01.002 user=a database=b host=c port=1')).toEqual({ kind: 'disconnection' });
    expect(parseConnectionMessage('checkpoint starting: time')).toBeNull();
  });
});
