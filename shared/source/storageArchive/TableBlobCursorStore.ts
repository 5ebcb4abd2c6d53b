import { createHash } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { azureStatusCode } from '../../errors/describeAzureError';
import { hourOfBlob } from './archiveBlobNames';
import { BlobCursorConflictError, type BlobCursor, type BlobCursorStore, type StoredBlobCursor } from './BlobCursorStore';
import { StorageArchiveError } from './StorageArchiveError';

interface CursorRow {
  partitionKey: string;
  rowKey: string;
  blob: string;
  offset: number;
  lines: number;
  blobEtag: string;
  createdOn: string;
}

/** One partition: cursors are read and written one at a time; only pruning lists them (a few per server and hour of the window). */
const PARTITION = 'cursor';

/**
 * BlobCursorStore on Azure Table Storage (table `pgauditCursors` by default, created on first use). Blob
 * names hold `/` and `=` and can pass 1 KiB, none of which a row key allows: the row key is the SHA-256 of
 * the name, and the name is kept in the row. Writes are conditional on the row's etag (412/409 → conflict).
 */
export class TableBlobCursorStore implements BlobCursorStore {
  private ready: Promise<void> | null = null;

  constructor(private readonly table: TableClient) {}

  /** Account key, SAS or `UseDevelopmentStorage=true`; http endpoints (Azurite) allowed. */
  static fromConnectionString(connectionString: string, tableName = 'pgauditCursors'): TableBlobCursorStore {
    const insecure = /DefaultEndpointsProtocol=http;|TableEndpoint=http:\/\//i.test(connectionString);
    return new TableBlobCursorStore(TableClient.fromConnectionString(connectionString, tableName,
      insecure ? { allowInsecureConnection: true } : {}));
  }

  /** Identity-based: needs Storage Table Data Contributor on the account. */
  static fromAccount(endpoint: string, credential: TokenCredential, tableName = 'pgauditCursors'): TableBlobCursorStore {
    return new TableBlobCursorStore(new TableClient(endpoint, tableName, credential));
  }

  async get(blob: string): Promise<StoredBlobCursor | null> {
    await this.ensureTable();
    try {
      const row = await this.table.getEntity<CursorRow>(PARTITION, rowKeyOf(blob));
      return {
        blob: row.blob, offset: row.offset, lines: row.lines, etag: row.blobEtag,
        createdOn: row.createdOn === '' ? null : row.createdOn, version: row.etag,
      };
    } catch (err) {
      if (azureStatusCode(err) === 404) return null;
      throw new StorageArchiveError('reading the cursor of', `${cursorTarget(this.table, blob)}`, err);
    }
  }

  async put(cursor: BlobCursor, expectedVersion: string | null): Promise<string> {
    await this.ensureTable();
    const entity: CursorRow = {
      partitionKey: PARTITION, rowKey: rowKeyOf(cursor.blob), blob: cursor.blob,
      offset: cursor.offset, lines: cursor.lines, blobEtag: cursor.etag, createdOn: cursor.createdOn ?? '',
    };
    try {
      const response = expectedVersion === null
        ? await this.table.createEntity(entity)
        : await this.table.updateEntity(entity, 'Replace', { etag: expectedVersion });
      return response.etag ?? '';
    } catch (err) {
      const status = azureStatusCode(err);
      if (status === 409 || status === 412 || status === 404) throw new BlobCursorConflictError(cursor.blob);
      throw new StorageArchiveError('writing the cursor of', cursorTarget(this.table, cursor.blob), err);
    }
  }

  async prune(hour: Date): Promise<number> {
    await this.ensureTable();
    let deleted = 0;
    try {
      const rows = this.table.listEntities<Pick<CursorRow, 'blob'>>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'`, select: ['blob'] } });
      for await (const row of rows) {
        const filed = hourOfBlob(row.blob ?? '');
        if (filed === null || filed.getTime() >= hour.getTime()) continue;
        try {
          await this.table.deleteEntity(PARTITION, rowKeyOf(row.blob!));
          deleted++;
        } catch (err) {
          if (azureStatusCode(err) !== 404) throw err; // another run pruned it first
        }
      }
    } catch (err) {
      throw new StorageArchiveError('pruning', `table ${this.table.tableName}`, err);
    }
    return deleted;
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.table.createTable().catch((err: unknown) => {
      this.ready = null; // let the next call try again
      throw new StorageArchiveError('creating', `table ${this.table.tableName}`, err);
    });
    return this.ready;
  }
}

function rowKeyOf(blob: string): string {
  return createHash('sha256').update(blob).digest('hex');
}

function cursorTarget(table: TableClient, blob: string): string {
  return `${blob} (table ${table.tableName})`;
}
