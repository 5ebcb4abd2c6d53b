import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SourceItemDecoder, SourceItemEncoder } from '../../shared/source/SourceItemCodec';
import { MAX_RECORD_CHARS } from '../../shared/source/sourceLimits';
import { collectEvents } from '../support/collectEvents';

const BOUNDS = join(__dirname, '../fixtures/bounds');
const text = (file: string) => gunzipSync(readFileSync(join(BOUNDS, file))).toString('utf8');
/** Real output in 64 KiB chunks, as a file is read. */
function chunks(body: string): Readable {
  const bytes = Buffer.from(body);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 65536) out.push(bytes.subarray(i, i + 65536));
  return Readable.from(out);
}

describe('records longer than MAX_RECORD_CHARS (real pgAudit output of two 3 MiB statements)', () => {
  it.each(['postgresql.log.gz', 'postgresql.csv.gz', 'postgresql.json.gz'])('%s: cut for matching, flagged, counted; every statement still an event', async (file) => {
    const { events, summary } = await collectEvents(chunks(text(file)));
    expect(events.map((e) => [e.statementId, e.class, e.command, e.objects.map((o) => o.name), e.truncated ?? false])).toEqual([
      [1, 'DDL', 'CREATE TABLE', [], false],
      [2, 'READ', 'SELECT', ['public.cards'], true],
      [3, 'READ', 'SELECT', ['public.cards'], true],
      [4, 'WRITE', 'INSERT', ['public.cards'], false],
      [5, 'DDL', 'DROP TABLE', [], false],
    ]);
    expect(events[1]!.statement!.startsWith("SELECT pan FROM cards WHERE pan = 'ppp")).toBe(true);
    expect(events[2]!.statement!.startsWith("SELECT pan, 1 FROM cards WHERE pan IN ('a', 'b') OR pan = 'q,\"q,\"")).toBe(true);
    for (const e of events.slice(1, 3)) expect(e.statement!.length).toBeLessThan(MAX_RECORD_CHARS);
    expect(events[3]!.statement).toBe("INSERT INTO cards VALUES ('4111111111111111');");
    expect(events[0]!.user).toBe('postgres');
    expect(summary).toMatchObject({ oversized: 2, truncated: 2, malformed: 0, auditRecords: 5, events: 5 });
    expect(summary.problems.filter((p) => /longer than 1 MiB/.test(p.message))).toHaveLength(2);
  });

  it('the oversized flag survives the worker codec, also on a record that does not matter', () => {
    const items = [
      { record: { location: 'f:1', server: null, line: 'x'.repeat(10), rowTime: null, rowPid: null, oversized: true as const } },
      { record: { location: 'f:2', server: null, line: 'AUDIT: y', rowTime: null, rowPid: null } },
    ];
    const decoded = new SourceItemDecoder().decode(structuredClone(new SourceItemEncoder().encode(items)));
    expect(decoded).toEqual(items);
  });
});
