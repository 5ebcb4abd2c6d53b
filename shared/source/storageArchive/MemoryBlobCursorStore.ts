import { hourOfBlob } from './archiveBlobNames';
import { BlobCursorConflictError, type BlobCursor, type BlobCursorStore, type StoredBlobCursor } from './BlobCursorStore';

/** BlobCursorStore in memory: tests and one-off CLI runs. Same conditional semantics as the table store. */
export class MemoryBlobCursorStore implements BlobCursorStore {
  private readonly cursors = new Map<string, StoredBlobCursor>();
  private versions = 0;

  async get(blob: string): Promise<StoredBlobCursor | null> {
    const found = this.cursors.get(blob);
    return found ? { ...found } : null;
  }

  async put(cursor: BlobCursor, expectedVersion: string | null): Promise<string> {
    const current = this.cursors.get(cursor.blob);
    if ((current?.version ?? null) !== expectedVersion) throw new BlobCursorConflictError(cursor.blob);
    const version = `v${++this.versions}`;
    this.cursors.set(cursor.blob, { ...cursor, version });
    return version;
  }

  async prune(hour: Date): Promise<number> {
    let deleted = 0;
    for (const blob of [...this.cursors.keys()]) {
      const filed = hourOfBlob(blob);
      if (filed !== null && filed.getTime() < hour.getTime()) deleted += Number(this.cursors.delete(blob));
    }
    return deleted;
  }
}
