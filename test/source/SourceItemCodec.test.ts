import { createReadStream, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeAuditRecords } from '../../shared/merge/mergeAuditRecords';
import type { AuditEvent } from '../../shared/model/AuditEvent';
import { openSource } from '../../shared/source/openSource';
import { SourceItemDecoder, SourceItemEncoder } from '../../shared/source/SourceItemCodec';
import type { SourceItem } from '../../shared/source/SourceRecord';

const FIXTURES = resolve(__dirname, '../fixtures/pg15');

async function collect(batches: AsyncIterable<SourceItem[]>, prefix?: string): Promise<{ events: AuditEvent[]; summary: unknown }> {
  const stream = mergeAuditRecords(batches, { prefix });
  const events: AuditEvent[] = [];
  for await (const e of stream.events) events.push(e);
  return { events, summary: stream.summary() };
}

/** What the source worker does to each batch, and the main thread undoes. */
async function* throughCodec(batches: AsyncIterable<SourceItem[]>): AsyncGenerator<SourceItem[]> {
  const encoder = new SourceItemEncoder();
  const decoder = new SourceItemDecoder();
  // A structured clone, as postMessage makes.
  for await (const batch of batches) yield decoder.decode(structuredClone(encoder.encode(batch)));
}

const files = ['azure', 'pid', 'user-db-app'].flatMap((run) =>
  readdirSync(join(FIXTURES, run)).filter((f) => f !== 'prefix.txt').map((f) => join(run, f)),
);

describe('SourceItemCodec', () => {
  it.each(files)('%s: events and summary are the same through encode/decode as without', async (file) => {
    const path = join(FIXTURES, file);
    const prefix = file.startsWith('pid/') ? '%m [%p] ' : undefined;
    const direct = await openSource(createReadStream(path), 'auto', 'f', 'Srv');
    const coded = await openSource(createReadStream(path), 'auto', 'f', 'Srv');
    const expected = await collect(direct.items, prefix);
    expect(expected.events.length).toBeGreaterThan(0);
    expect(await collect(throughCodec(coded.items), prefix)).toEqual(expected);
  });

  it('keeps every item that matters as it was, problems included, and counts the rest', () => {
    const items: SourceItem[] = [
      { problem: { location: 'f:1', message: 'not a JSON row' } },
      { record: { location: 'f:2', server: 'a', line: 'x LOG:  checkpoint starting', rowTime: 't', rowPid: 1 } },
      { record: { location: 'f:3', server: 'a', line: 'x LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,SELECT 1,<none>', rowTime: 't', rowPid: 1 } },
      { record: { location: 'f:4', server: 'b', line: 'x LOG:  connection received: host=h', rowTime: null, rowPid: null } },
      {
        record: {
          location: 'f:5', server: null, rowTime: null, rowPid: null,
          fields: { time: 't', pid: 7, sessionId: 's', sessionLine: 1, user: 'u', database: 'd', application: 'a', client: 'c', severity: 'LOG', context: null, message: 'AUDIT: x' },
        },
      },
      {
        record: {
          location: 'f:6', server: null, rowTime: null, rowPid: null,
          fields: { time: 't', pid: 7, sessionId: 's', sessionLine: 2, user: 'u', database: 'd', application: 'a', client: 'c', severity: 'LOG', context: null, message: 'statement: SELECT 1' },
        },
      },
    ];
    const decoded = new SourceItemDecoder().decode(structuredClone(new SourceItemEncoder().encode(items)));
    expect(decoded).toHaveLength(items.length);
    for (const i of [0, 2, 3, 4]) expect(decoded[i]).toEqual(items[i]);
    // Records that only count keep whether they were lines (the merger samples lines for the prefix).
    expect(decoded[1]).toMatchObject({ record: { line: '' } });
    expect(decoded[5]).toMatchObject({ record: { fields: { message: '' } } });
    expect('line' in (decoded[5] as { record: object }).record).toBe(false);
  });
});
