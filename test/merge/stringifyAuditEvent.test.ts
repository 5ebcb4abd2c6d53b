import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringifyAuditEvent } from '../../shared/merge/stringifyAuditEvent';
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
  })
  .map((e) => {
    // JSON.stringify omits an undefined key; the parser never sets one, so neither does this.
    if (e.truncated === undefined) delete e.truncated;
    return e as AuditEvent;
  });

describe('stringifyAuditEvent', () => {
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
