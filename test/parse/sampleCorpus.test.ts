import { createReadStream } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectEvents } from '../support/collectEvents';
import { compareEvents } from '../support/compareEvents';
import { fixtureCases } from '../support/fixtureCases';
import { expectedEvents, readJsonlogFile } from '../support/jsonlogExpectations';
import { normalizedAcrossFormats } from '../support/normalizedAcrossFormats';

// The pgAudit research run (PostgreSQL 15.20 + pgaudit 1.7.0), copied from ../shared/samples/pg15-pgaudit17/:
// prefix '%t %p %l-1 db-%d,user-%u,app-%a,client-%h ' (no session id), settings switched mid-session,
// WARNING-level audit lines (log_client/log_level), extended-protocol bind parameters, CRLF, object auditing.
const DIR = resolve(__dirname, '../fixtures/samples-pg15-pgaudit17');

describe('sample corpus pg15-pgaudit17', () => {
  const records = readJsonlogFile(join(DIR, 'postgresql.json'));
  const cases = fixtureCases(DIR, null);

  it.each(cases.map((c) => [basename(c.file), c] as const))('%s: events match the jsonlog-derived expectation', async (_name, c) => {
    const { events, summary } = await collectEvents(createReadStream(c.file), { format: c.format, prefix: c.prefix ?? undefined });
    const expected = expectedEvents(records);
    expect(expected.length).toBeGreaterThan(150);
    expect(compareEvents(events, expected, c.traits)).toEqual([]);
    expect(summary).toMatchObject({ format: c.format, malformed: 0, truncated: 0, events: expected.length });
  });

  it('detects the stderr prefix without being told, and all formats agree', async () => {
    const normalized = [];
    for (const c of cases) {
      const { events, summary } = await collectEvents(createReadStream(c.file));
      expect(summary.format).toBe(c.format);
      if (c.prefix !== null) expect(summary.prefix).toBe(c.prefix);
      normalized.push(normalizedAcrossFormats(events, null));
    }
    expect(normalized[1]).toEqual(normalized[0]);
    expect(normalized[2]).toEqual(normalized[0]);
  });

  it('keeps CRLF, bind parameters with NULL and newline, and WARNING-level audit lines', async () => {
    const { events } = await collectEvents(createReadStream(join(DIR, 'postgresql.log')), { prefix: '%t %p %l-1 db-%d,user-%u,app-%a,client-%h ' });
    expect(events.some((e) => e.statement === 'SELECT id,\r\n       name\r\n  FROM audit_demo.customers\r\n WHERE id = 1')).toBe(true);
    const bind = events.find((e) => e.application === 'node-extended' && e.command === 'INSERT' && e.substatementId === 1);
    expect(bind?.parameters).toEqual(['1', null, 'bind\nnewline']);
    expect(events.some((e) => e.statement === "SELECT 'shown as WARNING' AS lvl;")).toBe(true);
  });
});
