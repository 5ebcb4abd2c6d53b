import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAuditLog } from '../../shared/merge/parseAuditLog';
import { exceedsJsonDepth } from '../../shared/source/exceedsJsonDepth';
import { parseJsonPrefix } from '../../shared/source/parseJsonPrefix';
import { MAX_JSON_DEPTH } from '../../shared/source/sourceLimits';
import { collectEvents } from '../support/collectEvents';
import { textStream } from '../support/textStream';

const AZURE = join(__dirname, '../fixtures/pg15/azure');
const rows = readFileSync(join(AZURE, 'azure-diagnostics.ndjson'), 'utf8').trim().split('\n');
const jsonlog = readFileSync(join(AZURE, 'postgresql.json'), 'utf8').trim().split('\n');

describe('JSON rows: bounded whatever the row', () => {
  it('NDJSON whose first row is broken is streamed: rows after it give events before the input ends', async () => {
    // Before, a broken first row made the reader take the whole input for one JSON document: nothing came
    // out until the end (and a large file did not fit in memory).
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    async function* input() {
      yield Buffer.from(rows[0]!.slice(0, 40) + '\n' + rows.join('\n') + '\n');
      await held; // the input does not end until an event has come out
      yield Buffer.from(rows[rows.length - 1]! + '\n');
    }
    const parsed = parseAuditLog(input(), { format: 'auto' });
    let seen = 0;
    for await (const batch of parsed.batches) {
      seen += batch.length;
      release();
    }
    expect(seen).toBeGreaterThan(100);
    expect(parsed.summary()).toMatchObject({ format: 'azure-diagnostics', malformed: 1 });
    expect(parsed.summary().problems[0]).toEqual({ location: 'input:1', message: 'not a JSON row' });
  });

  it.each([
    ['azure-diagnostics', rows],
    ['jsonlog', jsonlog],
  ])('%s: a row nested a million deep is refused before it is parsed, the rows after it are read', async (format, lines) => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    const deepObject = '{"a":'.repeat(100) + '1' + '}'.repeat(100);
    const text = [lines[0], deep, deepObject, ...lines.slice(1)].join('\n') + '\n';
    const all = await collectEvents(textStream(lines.join('\n') + '\n', 65536), { format: format as 'jsonlog' });
    const { events, summary } = await collectEvents(textStream(text, 65536), { format: format as 'jsonlog' });
    expect(events).toEqual(all.events);
    expect(summary.malformed).toBe(2);
    expect(summary.problems.slice(0, 2)).toEqual([
      { location: 'input:2', message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` },
      { location: 'input:3', message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  });

  it('exceedsJsonDepth ignores brackets inside strings and counts only nesting', () => {
    expect(exceedsJsonDepth(JSON.stringify({ m: '['.repeat(100) }), 3)).toBe(false);
    expect(exceedsJsonDepth('[' + '[],'.repeat(100) + '[]]', 3)).toBe(false);
    expect(exceedsJsonDepth('[[[[1]]]]', 3)).toBe(true);
    expect(exceedsJsonDepth('[[[1]]]', 3)).toBe(false);
    expect(exceedsJsonDepth(JSON.stringify({ m: 'a\\"[[[[' }) + '[[', 3)).toBe(false);
  });

  it('parseJsonPrefix keeps what a cut row holds, up to the cut', () => {
    const row = { Category: 'PostgreSQLLogs', Message: 'AUDIT: x "y" \\ \u00fc😀 z', nested: { a: [1, 2, { b: 'c' }] }, after: 1 };
    const full = JSON.stringify(row);
    expect(parseJsonPrefix(full, 8)).toEqual(row);
    for (let cut = 1; cut < full.length; cut++) {
      const value = parseJsonPrefix(full.slice(0, cut), 8) as Record<string, unknown>;
      expect(value).toBeTypeOf('object');
      if (typeof value.Message === 'string') expect(row.Message.startsWith(value.Message)).toBe(true);
    }
    expect(parseJsonPrefix('{"Message":"AUDIT: SESSION,1,1,READ,SELECT,TABLE,t,SELECT 1 FROM t WHERE a = ', 8)).toEqual({
      Message: 'AUDIT: SESSION,1,1,READ,SELECT,TABLE,t,SELECT 1 FROM t WHERE a = ',
    });
    expect(parseJsonPrefix('not json', 8)).toBeUndefined();
    expect(parseJsonPrefix('[[[[', 3)).toBeUndefined();
  });
});
