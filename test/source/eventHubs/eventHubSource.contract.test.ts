import { eventHubBatch } from '../../../shared/source/eventHubs/EventHubBatch';
import { eventHubSource } from '../../../shared/source/eventHubs/eventHubSource';
import { archiveLine, type ContractRecord } from '../../support/contractRecords';
import { logSourceContract } from '../../support/logSourceContract';

/**
 * The Event Hubs source: each run is one batch of what was sent since the last, as the host hands it over
 * (binary bodies of `{"records":[…]}`, several records per event, and the trigger metadata).
 */
logSourceContract('eventhubs', () => {
  let pending: ContractRecord[] = [];
  let sequence = 0;
  return {
    kind: 'stateless',
    rereadsCommitted: false,
    add: async (records) => void pending.push(...records),
    source: () => {
      const lines = pending.map(archiveLine);
      pending = [];
      const bodies: Buffer[] = [];
      for (let i = 0; i < lines.length; i += 25) bodies.push(Buffer.from(`{"records":[${lines.slice(i, i + 25).join(',')}]}`));
      const metadata = {
        partitionContext: { eventHubName: 'pgaudit-logs', partitionId: '0', consumerGroup: '$Default' },
        sequenceNumberArray: bodies.map(() => sequence++),
        enqueuedTimeUtcArray: bodies.map(() => new Date().toISOString().replace(/Z$/, '')),
      };
      return eventHubSource(eventHubBatch(bodies, metadata), { servers: [] });
    },
    nextRunTime: () => new Date(),
  };
});
