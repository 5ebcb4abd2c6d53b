import { BlobServiceClient } from '@azure/storage-blob';
import { MemoryBlobCursorStore } from '../../../shared/source/storageArchive/MemoryBlobCursorStore';
import { storageArchiveSource } from '../../../shared/source/storageArchive/storageArchiveSource';
import { appendToArchive } from '../../support/archiveBlobs';
import { useAzuriteBlob } from '../../support/azurite';
import type { ContractRecord } from '../../support/contractRecords';
import { logSourceContract } from '../../support/logSourceContract';

/**
 * The Storage archive source on Azurite's blob service with the real @azure/storage-blob client: records
 * are appended to their servers' hour blobs; each harness has its own container and cursor store.
 */
const azurite = useAzuriteBlob();
let containers = 0;

logSourceContract('storage', async () => {
  const container = BlobServiceClient.fromConnectionString(azurite().connectionString).getContainerClient(`contract-${++containers}`);
  await container.create();
  const cursors = new MemoryBlobCursorStore();
  let latest = 0;
  return {
    kind: 'stateful',
    rereadsCommitted: false,
    add: async (records: ContractRecord[]) => {
      await appendToArchive(container, records);
      for (const r of records) latest = Math.max(latest, Date.parse(r.time));
    },
    source: () => storageArchiveSource({ container, cursors, maxLatenessMs: 28 * 3_600_000, servers: [], log: { info: () => {}, warn: () => {}, error: () => {} } }),
    // Runs a few minutes after the newest record; the lateness window reaches back over the whole day.
    nextRunTime: () => new Date(latest + 5 * 60_000),
  };
});
