import { BlobServiceClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { appendToArchive } from '../../support/archiveBlobs';
import { useAzuriteBlob } from '../../support/azurite';
import { DEMO_LISTS, twoServerDay } from '../../support/contractRecords';
import { runCliCapture } from '../../support/runCliCapture';

/**
 * `doctor --source storage`: the pipeline's Storage archive source (real @azure/storage-blob client on
 * Azurite) holding two servers' day of real pgAudit output, read over a window without any state store.
 */
const azurite = useAzuriteBlob();

describe('pgaudit-alerts doctor --source storage', () => {
  it('reads the archive window per server and finds every default rule able to fire', async () => {
    const container = BlobServiceClient.fromConnectionString(azurite().connectionString).getContainerClient('insights-logs-postgresqllogs');
    await container.create();
    const records = twoServerDay();
    await appendToArchive(container, records);
    const now = new Date(Date.parse(records.at(-1)!.time) + 5 * 60_000);
    const lists = Object.entries(DEMO_LISTS).flatMap(([name, values]) => ['--list', `${name}=${values.join(',')}`]);
    // No AzureWebJobsStorage: doctor keeps the blob cursors in memory and commits nothing.
    const run = await runCliCapture(['doctor', '--source', 'storage', '--since', 'P2D', ...lists], { env: { ARCHIVE_STORAGE_CONNECTION: azurite().connectionString }, now });
    expect(run.stdout).toContain('doctor: Storage archive');
    expect([...run.stdout.matchAll(/^server (\S+)$/gm)].map((m) => m[1])).toEqual(['pg-demo-1', 'pg-demo-2']);
    expect(run.stdout).not.toContain('CANNOT FIRE');
    expect(run.code, run.stderr).toBe(0);
  });
});
