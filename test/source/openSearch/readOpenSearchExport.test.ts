import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../../shared/source/openSource';
import { SourceItemDecoder, SourceItemEncoder } from '../../../shared/source/SourceItemCodec';
import type { SourceItem } from '../../../shared/source/SourceRecord';
import { AIVEN_DOCUMENTS, AIVEN_PREFIX, AIVEN_TRAITS, aivenFixture } from '../../support/aivenDocuments';
import { collectEvents } from '../../support/collectEvents';
import { compareEvents } from '../../support/compareEvents';
import { expectedEvents } from '../../support/jsonlogExpectations';

// parse --format opensearch: the fixture's documents (real PG15 + pgaudit output under Aiven's prefix,
// rendered as Aiven documents by scripts/fixtures/toOpenSearchDocuments.mjs) as an export.
const ndjson = readFileSync(AIVEN_DOCUMENTS, 'utf8');
const { docs, records, genuine } = aivenFixture(JSON.parse(ndjson.split('\n')[0]!).timestamp as string);
const expected = expectedEvents(records, genuine);
const hits = docs.map((d, i) => ({ _index: `logs-${String(d.timestamp).slice(0, 10)}`, _id: `id${i}`, _score: null, _source: d, sort: [Date.parse(String(d.timestamp))] }));
const response = { took: 3, timed_out: false, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 }, hits: { hits } };

describe('parse --format opensearch (an export of Aiven documents)', () => {
  it.each([
    ['NDJSON of _source documents', ndjson],
    ['NDJSON of search hits', hits.map((h) => JSON.stringify(h)).join('\n')],
    ['a search response', JSON.stringify(response)],
    ['a pretty-printed search response', JSON.stringify(response, null, 2)],
  ])('%s: detected, the events are the jsonlog’s, the forged records reported, the fields and prefix named', async (_name, text) => {
    // One chunk, as a file is read (64 KiB at a time): detection sees the lines after a lone `{`.
    const { events, summary } = await collectEvents(Readable.from([Buffer.from(text)]), { server: 'ignored-when-documents-name-it', source: 'export' });
    expect(summary.format).toBe('opensearch');
    expect(summary.prefix).toBe(AIVEN_PREFIX);
    expect(summary.sourceNotes).toEqual(['export: OpenSearch document fields message MESSAGE (detected), time timestamp (detected), server HOSTNAME (detected)']);
    expect(compareEvents(events.filter((e) => e.trust !== 'forged'), expected, AIVEN_TRAITS)).toEqual([]);
    expect(summary).toMatchObject({ malformed: 0, truncated: 0, forged: 3, unverified: 0 });
    expect(events.filter((e) => e.trust === 'forged').map((e) => `${e.command} by ${e.user}: ${e.trustReason}`)).toEqual([
      'AUDIT by mallory: it carries a CONTEXT (PL/pgSQL function inline_code_block line 1 at RAISE), which pgAudit and connection records never have',
      'connection authorized by mallory: it carries a CONTEXT (PL/pgSQL function inline_code_block line 1 at RAISE), which pgAudit and connection records never have',
      "AUDIT by mallory: it is an error's STATEMENT line (the text a client sent), a severity pgAudit records are never logged with",
    ]);
  });

  it('a broken line is counted with its location and the rest is read; a document without the server field takes --server', async () => {
    const lines = ndjson.split('\n').filter((l) => l !== '');
    const noServer = lines.map((l) => { const d = JSON.parse(l) as Record<string, unknown>; delete d.HOSTNAME; return JSON.stringify(d); });
    const text = [...noServer.slice(0, 60), '{"timestamp": "2026-12-02T09:05:24Z", "MESSAGE": ', ...noServer.slice(60)].join('\n');
    const { events, summary } = await collectEvents(text, { format: 'opensearch', server: 'PG-From-Flag', source: 'cut.ndjson' });
    expect(summary.malformed).toBe(1);
    expect(summary.problems[0]).toEqual({ location: 'cut.ndjson:61', message: 'not a JSON row' });
    expect(compareEvents(events.filter((e) => e.trust !== 'forged'), expected, { ...AIVEN_TRAITS, server: 'pg-from-flag' })).toEqual([]);
    expect(summary.sourceNotes[0]).toBe('cut.ndjson: OpenSearch document fields message MESSAGE (detected), time timestamp (detected), server none (default)');
  });

  it('the fields note survives the source worker’s encoding (a large file is read on a second thread)', async () => {
    const direct = await openSource(Readable.from([Buffer.from(ndjson)]), 'opensearch', 'f', null);
    const encoder = new SourceItemEncoder();
    const decoder = new SourceItemDecoder();
    const plain: SourceItem[] = [];
    const coded: SourceItem[] = [];
    for await (const batch of direct.items) {
      plain.push(...batch);
      coded.push(...decoder.decode(structuredClone(encoder.encode(batch))));
    }
    const notes = (items: SourceItem[]) => items.flatMap((i) => ('record' in i && i.record.note !== undefined ? [i.record.note] : []));
    expect(notes(coded)).toEqual(notes(plain));
    expect(notes(plain)).toHaveLength(1);
  });
});
