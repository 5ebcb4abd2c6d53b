import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditEventStringifier, stringifyAuditEvent } from '../../shared/cli/stringifyAuditEvent';
import type { AuditEvent } from '../../shared/model/AuditEvent';
import { collectEvents } from '../support/collectEvents';

// Strings as logs can hold them: escapes JSON must write (quote, backslash, controls, U+2028, lone
// surrogates), non-ASCII, and plain text.
const tricky = fc.constantFrom('"', '\\', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udfff', 'é', '€', '😀', '<', '/', ' ', 'a', 'Z', '0');
const text = fc.oneof(fc.string(), fc.fullUnicodeString(), fc.array(tricky, { maxLength: 20 }).map((c) => c.join('')));
const nullableText = fc.option(text, { nil: null });
const integer = fc.oneof(fc.integer(), fc.constantFrom(0, -0, 2 ** 53, 1e21, Number.NaN, Number.POSITIVE_INFINITY));
const nullableInteger = fc.option(integer, { nil: null });
const auditType = fc.constantFrom('SESSION' as const, 'OBJECT' as const);

const event: fc.Arbitrary<AuditEvent> = fc
  .record({
    server: nullableText,
    sessionId: nullableText,
    pid: nullableInteger,
    time: nullableText,
    user: nullableText,
    database: nullableText,
    application: nullableText,
    client: nullableText,
    auditType,
    statementId: integer,
    substatementId: integer,
    class: text,
    command: text,
    objects: fc.array(fc.record({ type: nullableText, name: text }), { maxLength: 4 }),
    lines: fc.array(
      fc.record({ auditType, class: text, command: text, objectType: nullableText, objectName: nullableText }),
      { maxLength: 4 },
    ),
    statement: nullableText,
    parameters: fc.option(fc.array(nullableText, { maxLength: 5 }), { nil: null }),
    rows: nullableInteger,
    truncated: fc.option(fc.constant(true as const), { nil: undefined }),
    trust: fc.option(fc.constantFrom('forged' as const, 'unverified' as const), { nil: undefined }),
    trustReason: fc.option(text, { nil: undefined }),
    identity: fc.option(fc.constant('contested' as const), { nil: undefined }),
    identityReason: fc.option(text, { nil: undefined }),
    origin: fc.option(fc.constant('foreign-key-check' as const), { nil: undefined }),
  })
  .map((e) => {
    // JSON.stringify omits an undefined key; the parser never sets one, so neither does this.
    for (const k of ['truncated', 'trust', 'trustReason', 'identity', 'identityReason', 'origin'] as const) if (e[k] === undefined) delete e[k];
    return e as AuditEvent;
  });

// Few distinct values, so that events share sessions, lines and objects with one field changed: what the
// caches must tell apart.
const few = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values);
const similarEvent: fc.Arbitrary<AuditEvent> = fc.record({
  server: few<string | null>('pg1', null, 'PG"1'),
  sessionId: few<string | null>('s.1', 's.2', null),
  pid: few<number | null>(1, 2, null, -0, Number.NaN),
  time: few<string | null>('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', null),
  user: few<string | null>('alice', 'bob', null),
  database: few<string | null>('shop', null),
  application: few<string | null>('psql', 'web\napp', null),
  client: few<string | null>('10.0.0.1', null),
  auditType,
  statementId: few(1, 2),
  substatementId: few(1, 2),
  class: few('READ', 'WRITE'),
  command: few('SELECT', 'INSERT'),
  objects: fc.array(fc.record({ type: few<string | null>('TABLE', 'VIEW', null), name: few('a.t', 'b.u', 'a"t') }), { maxLength: 3 }),
  lines: fc.array(
    fc.record({
      auditType, class: few('READ', 'WRITE'), command: few('SELECT', 'INSERT'), objectType: few<string | null>('TABLE', null),
      objectName: few<string | null>('a.t', 'b.u', null),
    }),
    { maxLength: 3 },
  ),
  statement: few<string | null>('SELECT 1', null),
  parameters: few<(string | null)[] | null>(null, [], [null, 'x']),
  rows: few<number | null>(null, 3),
}) as fc.Arbitrary<AuditEvent>;

describe('stringifyAuditEvent', () => {
  it('property: one stringifier over a run of similar events writes each as JSON.stringify does (caches never mix values)', () => {
    fc.assert(
      fc.property(fc.array(similarEvent, { minLength: 1, maxLength: 40 }), (events) => {
        const json = new AuditEventStringifier();
        for (const e of events) expect(json.stringify(e)).toBe(JSON.stringify(e));
      }),
      { numRuns: 500 },
    );
  });


  it('property: the same bytes as JSON.stringify for any event', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(stringifyAuditEvent(e)).toBe(JSON.stringify(e));
      }),
      { numRuns: 3000 },
    );
  });

  it('the same bytes as JSON.stringify for every event of the real-server fixtures', async () => {
    const root = resolve(__dirname, '../fixtures/pg15');
    let count = 0;
    for (const [file, prefix] of [
      ['azure/azure-diagnostics.ndjson', undefined],
      ['pid/postgresql.log', readFileSync(resolve(root, 'pid/prefix.txt'), 'utf8').replace(/\n$/, '')],
      ['user-db-app/postgresql.csv', undefined],
    ] as const) {
      const { events } = await collectEvents(readFileSync(resolve(root, file), 'utf8'), { prefix });
      for (const e of events) expect(stringifyAuditEvent(e)).toBe(JSON.stringify(e));
      count += events.length;
    }
    expect(count).toBeGreaterThan(50);
  });

  it('writes truncated only when set, after rows', () => {
    const e = JSON.parse(
      '{"server":null,"sessionId":null,"pid":null,"time":null,"user":null,"database":null,"application":null,"client":null,' +
        '"auditType":"SESSION","statementId":1,"substatementId":1,"class":"READ","command":"SELECT","objects":[],"lines":[],' +
        '"statement":"SELECT \'a\\nb\'","parameters":[null,"x"],"rows":null,"truncated":true}',
    ) as AuditEvent;
    expect(stringifyAuditEvent(e)).toBe(JSON.stringify(e));
    delete e.truncated;
    expect(stringifyAuditEvent(e)).not.toContain('truncated');
  });
});
