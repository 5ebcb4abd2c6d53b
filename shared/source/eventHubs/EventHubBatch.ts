/**
 * One invocation's events as the Functions host hands them over (cardinality many): the bodies, in
 * partition order, and the trigger metadata the host sends alongside, which the library camel-cases
 * (`PartitionContext` → `partitionContext.partitionId`, `SequenceNumberArray` → `sequenceNumberArray`).
 */
export interface EventHubEvent {
  body: unknown;
  sequenceNumber: number | null;
  /** When Event Hubs accepted the event (EnqueuedTimeUtcArray). */
  enqueuedTime: Date | null;
}

export interface EventHubBatch {
  eventHubName: string | null;
  partitionId: string | null;
  events: EventHubEvent[];
}

type Metadata = Record<string, unknown> | undefined;

/** The host's batch and trigger metadata → one EventHubBatch. Missing or odd metadata is null, never fatal. */
export function eventHubBatch(messages: unknown, metadata: Metadata): EventHubBatch {
  // cardinality many always passes an array; a single body (cardinality one, a hand-made call) is a batch of one.
  const bodies = Array.isArray(messages) ? messages : [messages];
  const partition = isObject(metadata?.partitionContext) ? metadata.partitionContext : {};
  const sequenceNumbers = arrayOf(metadata?.sequenceNumberArray);
  const enqueuedTimes = arrayOf(metadata?.enqueuedTimeUtcArray);
  return {
    eventHubName: text(partition.eventHubName),
    partitionId: text(partition.partitionId),
    events: bodies.map((body, i) => ({
      body,
      sequenceNumber: toSequenceNumber(sequenceNumbers[i]),
      enqueuedTime: toUtcDate(enqueuedTimes[i]),
    })),
  };
}

/** `event hub pgaudit-logs partition 1 sequence 59`, for messages and problem locations. */
export function eventLocation(batch: EventHubBatch, index: number): string {
  const event = batch.events[index];
  const sequence = event?.sequenceNumber ?? null;
  return `event hub ${batch.eventHubName ?? '?'} partition ${batch.partitionId ?? '?'} ${sequence === null ? `event ${index}` : `sequence ${sequence}`}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : null;
}

function toSequenceNumber(value: unknown): number | null {
  // collectionSint64 may carry 64-bit numbers as strings or Long-like objects.
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number(String(value ?? 'x'));
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** The host serialises .NET DateTime values of kind UTC without a zone (`2026-12-02T09:41:07.25`): read them as UTC. */
function toUtcDate(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}
