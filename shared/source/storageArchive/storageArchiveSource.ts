import type { ContainerClient } from '@azure/storage-blob';
import type { Logger } from '../../util/Logger';
import type { LogSource, SourceBatch } from '../LogSource';
import { BlobCursorConflictError, type BlobCursor, type BlobCursorStore } from './BlobCursorStore';
import { StorageArchiveReader, type ArchiveWindow } from './StorageArchiveReader';

export interface StorageArchiveSourceOptions {
  container: ContainerClient;
  /** Where the blob cursors live between runs (TableBlobCursorStore; memory for one-off runs). */
  cursors: BlobCursorStore;
  /** ARCHIVE_MAX_LATENESS: every run lists the hour folders from now − this on (blobs written late). */
  maxLatenessMs: number;
  /** Lower-case server names (PG_SERVERS); empty = all. */
  servers: readonly string[];
  log: Logger;
}

/**
 * The `storage` source: the diagnostic setting's archive container, read by StorageArchiveReader. Each
 * run reads the new bytes of every blob in the hour folders of [now − ARCHIVE_MAX_LATENESS, now]; the
 * blobs' cursors are committed only after delivery (at-least-once: a killed run's bytes are read again,
 * and the ledger drops alerts already sent). The archive cannot be searched for a session's connection
 * line: sessions that began in an earlier run are known from the session cache.
 */
export function storageArchiveSource(o: StorageArchiveSourceOptions): LogSource<BlobCursor> {
  const servers = o.servers.length > 0 ? [...o.servers].sort().join(',') : '*';
  const where = `${o.container.accountName}/${o.container.containerName}`;
  let reader: StorageArchiveReader | null = null;
  let windowStart: Date | null = null;
  return {
    name: 'storage',
    description: `Storage archive ${where}`,
    scope: `storage|${where}|${servers}`,
    async read({ now }) {
      // One reader per run: it remembers the cursor versions it read, which the commit is conditional on.
      reader = new StorageArchiveReader(o.container, o.cursors, { servers: o.servers });
      const window = { start: new Date(now.getTime() - o.maxLatenessMs), end: now };
      windowStart = window.start;
      return {
        window: { from: window.start.toISOString(), to: window.end.toISOString() },
        position: now.toISOString(),
        ordered: false,
        batches: batchesOf(reader, window, o.log),
      };
    },
    async commit(cursors) {
      if (reader === null) return;
      const last = new Map<string, BlobCursor>();
      for (const cursor of cursors) last.set(cursor.blob, cursor);
      for (const cursor of last.values()) {
        try {
          await reader.commit([cursor]);
        } catch (err) {
          // An overlapping run moved this blob's cursor first: its position stands. Bytes it had not read
          // are read again by the next run; the ledger drops what both runs alerted on.
          if (!(err instanceof BlobCursorConflictError)) throw err;
          o.log.warn(`another run moved the cursor of ${cursor.blob} first; keeping its value`);
        }
      }
      // Hours before the window are never listed again: their cursors would only pile up (Table Storage has no TTL).
      if (windowStart !== null) await o.cursors.prune(hourStart(windowStart));
    },
  };
}

function hourStart(t: Date): Date {
  return new Date(Math.floor(t.getTime() / 3_600_000) * 3_600_000);
}

async function* batchesOf(reader: StorageArchiveReader, window: ArchiveWindow, log: Logger): AsyncGenerator<SourceBatch<BlobCursor>> {
  const replaced = new Set<string>();
  for await (const batch of reader.read(window)) {
    if (batch.replaced && !replaced.has(batch.blob)) {
      replaced.add(batch.blob);
      log.warn(`blob ${batch.blob} was replaced since it was last read: reading it again from the start (alerts already sent are not sent again)`);
    }
    yield { items: batch.items, cursor: batch.cursor };
  }
}
