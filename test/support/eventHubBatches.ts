import { readFileSync } from 'node:fs';
import type { RpcTypedData } from './functionsWorker';

/**
 * Event Hubs batches as a diagnostic setting and the Functions host make them: each event's body is
 * `{"records":[…]}` with records shaped like the Storage archive's lines, and the host's trigger metadata
 * for cardinality many (the names and types of the Event Hubs extension's binding data, as the host sends
 * them over RPC: long[] as collectionSint64, string[] as collectionString, DateTime values and objects as
 * JSON; DateTime of kind UTC without a zone).
 */
export type DiagnosticRecord = Record<string, unknown> & { time: string; resourceId: string; properties: { message: string; timestamp?: string } };

/** The archive fixture's records (real PG15 + pgaudit output), optionally as another server's. */
export function diagnosticRecords(file: string, server?: string): DiagnosticRecord[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => {
    const record = JSON.parse(line) as DiagnosticRecord;
    if (server) record.resourceId = record.resourceId.replace(/[^/]+$/, server.toUpperCase());
    return record;
  });
}

/** Records into event bodies of `perEvent` records each. */
export function eventBodies(records: unknown[], perEvent: number): Buffer[] {
  const bodies: Buffer[] = [];
  for (let i = 0; i < records.length; i += perEvent) bodies.push(Buffer.from(JSON.stringify({ records: records.slice(i, i + perEvent) })));
  return bodies;
}

export interface BatchPosition {
  eventHubName: string;
  partitionId: string;
  /** Sequence number of the batch's first event. */
  firstSequence: number;
  count: number;
  enqueuedAt: Date;
}

export function eventHubTriggerMetadata(p: BatchPosition): Record<string, RpcTypedData> {
  const seq = Array.from({ length: p.count }, (_, i) => p.firstSequence + i);
  const enqueued = seq.map((_, i) => new Date(p.enqueuedAt.getTime() + i).toISOString().replace(/Z$/, ''));
  return {
    PartitionContext: { json: JSON.stringify({ FullyQualifiedNamespace: 'pgaudit-test.servicebus.windows.net', EventHubName: p.eventHubName, ConsumerGroup: '$Default', PartitionId: p.partitionId }) },
    SequenceNumberArray: { collectionSint64: { sint64: seq } },
    OffsetArray: { collectionString: { string: seq.map((s) => String(s * 1024)) } },
    EnqueuedTimeUtcArray: { json: JSON.stringify(enqueued) },
    PartitionKeyArray: { json: JSON.stringify(seq.map(() => null)) },
    PropertiesArray: { json: JSON.stringify(seq.map(() => ({}))) },
    SystemPropertiesArray: {
      json: JSON.stringify(seq.map((s, i) => ({ 'x-opt-sequence-number': s, 'x-opt-offset': s * 1024, 'x-opt-enqueued-time': `${enqueued[i]}+00:00`, SequenceNumber: s, Offset: s * 1024, PartitionKey: null, EnqueuedTimeUtc: enqueued[i] }))),
    },
    sys: { json: JSON.stringify({ MethodName: 'eventHubAudit', UtcNow: new Date().toISOString(), RandGuid: '3f1b0c9e-3c1e-4a55-9d7f-2f0b8f1c0a11' }) },
  };
}
