import { describe, expect, it } from 'vitest';
import { decodeEventHubBatch } from '../../../shared/source/eventHubs/decodeEventHubBatch';
import { eventHubBatch } from '../../../shared/source/eventHubs/EventHubBatch';

const RECORD = {
  time: '2026-11-25T12:20:21.107Z',
  resourceId: '/SUBSCRIPTIONS/X/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.DBFORPOSTGRESQL/FLEXIBLESERVERS/PG-PROD-1',
  category: 'PostgreSQLLogs',
  properties: { message: '2026-11-25 12:20:21 UTC-6b06d285.1914-LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,public.t,DROP TABLE t,<not logged>', processId: 6420 },
};

describe('eventHubBatch (the host trigger metadata, camel-cased by the library)', () => {
  it('reads partition, sequence numbers and the zone-less UTC enqueued times the host sends', () => {
    const batch = eventHubBatch([Buffer.from('{}'), Buffer.from('{}')], {
      partitionContext: { fullyQualifiedNamespace: 'ns.servicebus.windows.net', eventHubName: 'logs', consumerGroup: '$Default', partitionId: '3' },
      sequenceNumberArray: [59, '60'],
      enqueuedTimeUtcArray: ['2026-12-02T09:41:07.25', '2026-12-02T09:41:08Z'],
    });
    expect(batch).toMatchObject({ eventHubName: 'logs', partitionId: '3' });
    expect(batch.events.map((e) => [e.sequenceNumber, e.enqueuedTime?.toISOString()])).toEqual([
      [59, '2026-12-02T09:41:07.250Z'],
      [60, '2026-12-02T09:41:08.000Z'],
    ]);
  });

  it('takes missing or odd metadata as unknown, never as an error', () => {
    const batch = eventHubBatch('one body', { sequenceNumberArray: 'x', enqueuedTimeUtcArray: [{}] });
    expect(batch).toMatchObject({ eventHubName: null, partitionId: null, events: [{ body: 'one body', sequenceNumber: null, enqueuedTime: null }] });
  });
});

describe('decodeEventHubBatch', () => {
  const meta = { partitionContext: { eventHubName: 'logs', partitionId: '1' }, sequenceNumberArray: [7, 8, 9, 10, 11] };

  it("reads each record like the Storage archive's lines, whatever form the body takes (bytes, text, parsed JSON)", () => {
    const body = { records: [RECORD, { ...RECORD, category: 'PostgreSQLFlexSessions' }] };
    const { items, malformedEvents } = decodeEventHubBatch(eventHubBatch([Buffer.from(JSON.stringify(body)), JSON.stringify(body), body], meta));
    expect(malformedEvents).toBe(0);
    // Other categories of the same setting are not PostgreSQL log lines: skipped, not malformed.
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({ record: expect.objectContaining({ server: 'pg-prod-1', line: RECORD.properties.message, rowPid: 6420, location: 'event hub logs partition 1 sequence 7 records[0]' }) });
  });

  it('names each bad event and record by partition, sequence and index, and reads the rest', () => {
    const deep = `{"records":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const { items, malformedEvents } = decodeEventHubBatch(eventHubBatch([
      Buffer.from('{"records":[ cut'), Buffer.from(deep), Buffer.from('{"value":[]}'),
      Buffer.from(JSON.stringify({ records: [{ ...RECORD, properties: {} }, 'text', RECORD] })), Buffer.from(JSON.stringify({ records: [RECORD] })),
    ], meta));
    expect(malformedEvents).toBe(3);
    expect(items.filter((i) => 'problem' in i)).toEqual([
      { problem: { location: 'event hub logs partition 1 sequence 7', message: 'event body: not JSON' } },
      { problem: { location: 'event hub logs partition 1 sequence 8', message: 'event body: JSON nested deeper than 32 levels' } },
      { problem: { location: 'event hub logs partition 1 sequence 9', message: 'event body is not a diagnostic setting payload ({"records":[…]})' } },
      { problem: { location: 'event hub logs partition 1 sequence 10 records[0]', message: 'row has no Message (or properties.message) text' } },
      { problem: { location: 'event hub logs partition 1 sequence 10 records[1]', message: 'row is not a JSON object' } },
    ]);
    expect(items.filter((i) => 'record' in i)).toHaveLength(2);
  });
});
