import { describe, expect, it } from 'vitest';
import { SourceItemDecoder, SourceItemEncoder } from '../../shared/source/SourceItemCodec';
import { readStderrRecords } from '../../shared/source/readStderrRecords';
import type { SourceItem } from '../../shared/source/SourceRecord';
import { collectEvents } from '../support/collectEvents';

/**
 * stderr: a first line with a log timestamp but no `SEVERITY:  ` is joined to the next line (a prefix cut by
 * a newline inside a role name, which PostgreSQL does not indent), but only where the joined text fits the
 * log_line_prefix: a stray line with a timestamp must never swallow the genuine record after it.
 */
const PREFIX = '%m [%p] [user=%u,db=%d,app=%a] ';
const audit = (user: string, table: string) =>
  `2026-12-02 07:07:27.500 UTC [28541] [user=${user},db=shop,app=etl-nightly-l6] LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,${table},DROP TABLE ${table};,<not logged>`;

async function records(text: string): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const batch of readStderrRecords((async function* () { yield { lines: text.split('\n'), cut: null }; })(), 'log', null)) out.push(...batch);
  return out;
}

describe('the stderr join of a line cut by a newline in a name', () => {
  it('keeps a record whose %u holds a newline whole (the role "etl_loader\\ndatabase=shop")', async () => {
    const { events } = await collectEvents(`${audit('etl_loader\ndatabase=shop', 'scratch.l6')}\n`, { prefix: PREFIX });
    expect(events.map((e) => [e.user, e.statement])).toEqual([['etl_loader\ndatabase=shop', 'DROP TABLE scratch.l6;']]);
  });

  it('a stray line with a timestamp (not a PostgreSQL record) does not swallow the record after it', async () => {
    const text = `2026-12-02 07:07:27 backup agent started\n${audit('intern', 'scratch.a20')}\n`;
    const items = await records(text.trimEnd());
    // The source cannot tell the two apart: it joins and marks the join.
    expect(items.map((i) => ('record' in i ? i.record.joins : null))).toEqual([['2026-12-02 07:07:27 backup agent started'.length]]);
    const { events, summary } = await collectEvents(text, { prefix: PREFIX });
    expect(events.map((e) => [e.user, e.statement])).toEqual([['intern', 'DROP TABLE scratch.a20;']]);
    expect(summary).toMatchObject({ records: 2, auditRecords: 1, malformed: 0 });
  });

  it('nor do several stray lines in a row', async () => {
    const text = `2026-12-02 07:07:26 one\n2026-12-02 07:07:27 two\n${audit('intern', 'scratch.a21')}\n`;
    const { events, summary } = await collectEvents(text, { prefix: PREFIX });
    expect(events.map((e) => e.statement)).toEqual(['DROP TABLE scratch.a21;']);
    expect(summary.records).toBe(3);
  });

  it('the join survives the source worker\'s encoding, and a joined record that does not matter counts as its lines', async () => {
    const items = await records(`2026-12-02 07:07:27 stray\n${audit('intern', 'scratch.a22')}\n2026-12-02 07:07:28 x\n2026-12-02 07:07:29 y`);
    const decoded = new SourceItemDecoder().decode(new SourceItemEncoder().encode(items));
    expect(decoded[0]).toEqual(items[0]);
    // The second join (two stray lines) does not matter: sent as a count of 2 lines.
    expect(items).toHaveLength(2);
    expect(decoded).toHaveLength(3);
  });
});
