import { describe, expect, it } from 'vitest';
import { MemoryBlobCursorStore } from '../../../shared/source/storageArchive/MemoryBlobCursorStore';
import { StorageArchiveError } from '../../../shared/source/storageArchive/StorageArchiveError';
import { TableBlobCursorStore } from '../../../shared/source/storageArchive/TableBlobCursorStore';
import { AZURITE_KEY, useAzuriteTable } from '../../support/azurite';
import { blobCursorStoreContract } from '../../support/blobCursorStoreContract';

const azurite = useAzuriteTable();
let tables = 0;
const freshTable = () => `c${process.pid}n${++tables}Cursors`;

blobCursorStoreContract('MemoryBlobCursorStore', () => new MemoryBlobCursorStore());
blobCursorStoreContract('TableBlobCursorStore on Azurite', () =>
  TableBlobCursorStore.fromConnectionString(azurite().connectionString, freshTable()));

describe('TableBlobCursorStore specifics', () => {
  it('reports a rejected request naming the table, never the key', async () => {
    const wrongKey = Buffer.from('not the azurite key, 64 bytes long......................').toString('base64');
    const store = TableBlobCursorStore.fromConnectionString(azurite().connectionString.replace(AZURITE_KEY, wrongKey), freshTable());
    const err = await store.get('some/blob.json').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StorageArchiveError);
    expect((err as StorageArchiveError).message).toMatch(/^Storage archive: creating table c\d+n\d+Cursors failed: HTTP 403/);
    expect((err as StorageArchiveError).statusCode).toBe(403);
    expect((err as Error).message).not.toContain(wrongKey);
    expect((err as Error).message).not.toContain(AZURITE_KEY);
  });
});
