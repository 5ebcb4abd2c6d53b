import type { ContainerClient } from '@azure/storage-blob';
import { archiveLine, RESOURCE_PREFIX, type ContractRecord } from './contractRecords';

/** The archive blob of a server's UTC hour, named as a diagnostic setting names it. */
export function archiveBlobName(server: string, time: string): string {
  const [y, m, d, h] = time.split(/[-T:]/);
  return `resourceId=${RESOURCE_PREFIX}${server.toUpperCase()}/y=${y}/m=${m}/d=${d}/h=${h}/m=00/PT1H.json`;
}

/**
 * Appends records to their servers' hour blobs (append blobs, created on first use) as the diagnostic
 * setting does: one JSON line each, the blob of the record's own hour.
 */
export async function appendToArchive(container: ContainerClient, records: ContractRecord[]): Promise<void> {
  const byBlob = new Map<string, string[]>();
  for (const r of records) {
    const name = archiveBlobName(r.server, r.time);
    byBlob.set(name, [...(byBlob.get(name) ?? []), archiveLine(r)]);
  }
  for (const [name, lines] of byBlob) {
    const blob = container.getAppendBlobClient(name);
    await blob.createIfNotExists();
    const body = Buffer.from(lines.join('\n') + '\n', 'utf8');
    await blob.appendBlock(body, body.length);
  }
}
