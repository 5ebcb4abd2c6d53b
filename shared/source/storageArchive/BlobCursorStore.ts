/**
 * How far the Storage archive reader has read one blob. Append blobs only grow, so the bytes before `offset`
 * (always just after a newline: whole JSON lines only) never need reading again.
 */
export interface BlobCursor {
  /** The blob's full name in its container. */
  blob: string;
  /** Bytes consumed: everything before this offset was complete lines, handed to the caller. */
  offset: number;
  /** Records (non-blank lines) consumed, so the next one's location (`<blob>:<n>`) stays true across runs. */
  lines: number;
  /** The blob's etag when `offset` was read (unchanged etag → nothing new to read). */
  etag: string;
  /** The blob's creation time (ISO); a different one means the blob was deleted and written anew. */
  createdOn: string | null;
}

/** A cursor as stored, with the store's concurrency token. */
export interface StoredBlobCursor extends BlobCursor {
  version: string;
}

/**
 * Where cursors live between runs. Two implementations (memory, Table Storage), one contract test suite.
 * `put` is conditional: `expectedVersion` null means "only if no cursor exists yet", a string means "only if
 * the stored cursor still has that version"; otherwise BlobCursorConflictError (another run moved it first).
 */
export interface BlobCursorStore {
  get(blob: string): Promise<StoredBlobCursor | null>;
  /** Resolves to the new version. */
  put(cursor: BlobCursor, expectedVersion: string | null): Promise<string>;
  /**
   * Deletes the cursors of blobs filed under an hour before `hour` (from the blob name): no run lists those
   * hours again. Cursors of names without an hour are kept. Resolves to how many were deleted.
   */
  prune(hour: Date): Promise<number>;
}

export class BlobCursorConflictError extends Error {
  override readonly name = 'BlobCursorConflictError';
  constructor(readonly blob: string) {
    super(`The cursor of blob ${blob} was moved by another run`);
  }
}
