import type { LogSource, SourceBatch } from '../LogSource';
import type { SourceItem } from '../SourceRecord';
import { decodeEventHubBatch } from './decodeEventHubBatch';
import type { EventHubBatch } from './EventHubBatch';

export interface EventHubSourceOptions {
  /** PG_SERVERS: records of other servers on the same hub are left out; empty = every server. */
  servers: readonly string[];
  /** Where a session's connection line is looked up when neither the batch nor the session cache has it (Log Analytics, where a workspace is set). */
  lookupSessions?: LogSource['lookupSessions'];
}

/**
 * One Event Hubs batch as a LogSource: the records of its events (decodeEventHubBatch), read once. It
 * keeps no position of its own: the Functions host checkpoints the batch when the function returns, which
 * the pipeline lets it do only after every alert is delivered or recorded (a failure throws, and the host
 * delivers the batch again).
 */
export function eventHubSource(batch: EventHubBatch, options: EventHubSourceOptions): LogSource<never> & { readonly malformedEvents: number } {
  const decoded = decodeEventHubBatch(batch);
  const servers = new Set(options.servers);
  const items = servers.size === 0 ? decoded.items : decoded.items.filter((i) => !('record' in i) || (i.record.server !== null && servers.has(i.record.server)));
  return {
    name: 'eventhubs',
    description: `event hub ${batch.eventHubName ?? '?'} partition ${batch.partitionId ?? '?'}`,
    scope: null,
    malformedEvents: decoded.malformedEvents,
    read: async () => ({ window: null, position: null, ordered: false, batches: once(items) }),
    commit: async () => {},
    ...(options.lookupSessions ? { lookupSessions: options.lookupSessions } : {}),
  };
}

async function* once(items: SourceItem[]): AsyncGenerator<SourceBatch<never>> {
  if (items.length > 0) yield { items };
}
