import type { TableClient } from '@azure/data-tables';
import { forEachLimited } from '../util/forEachLimited';
import { statusCodeOf } from './StateStoreError';

/**
 * Deletes the rows matching `filter`, each conditional on the etag it was listed with, so a row written
 * again in the meantime (a session seen anew) survives. Returns how many were deleted.
 */
export async function deleteRows(client: TableClient, filter: string, parallel = 8): Promise<number> {
  const rows: { partitionKey: string; rowKey: string; etag: string }[] = [];
  const pages = client.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } });
  for await (const row of pages) rows.push({ partitionKey: row.partitionKey ?? '', rowKey: row.rowKey ?? '', etag: row.etag });

  let deleted = 0;
  await forEachLimited(rows, parallel, async (row) => {
    try {
      await client.deleteEntity(row.partitionKey, row.rowKey, { etag: row.etag });
      deleted++;
    } catch (err) {
      const status = statusCodeOf(err);
      if (status !== 404 && status !== 412) throw err; // gone already, or changed since listed: leave it
    }
  });
  return deleted;
}
