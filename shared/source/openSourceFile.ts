import { createReadStream, statSync } from 'node:fs';
import { openSource, type OpenedSource } from './openSource';
import { canReadSourceInWorker, readSourceInWorker } from './readSourceInWorker';
import type { SourceFormat } from './SourceRecord';

/** Below this size a worker thread costs more to start than it saves. */
export const WORKER_MIN_BYTES = 4 << 20;

/**
 * openSource over a file: on a worker thread for large regular files (when running compiled), in
 * this thread otherwise. Both give the same items in the same order.
 */
export async function openSourceFile(path: string, format: SourceFormat | 'auto', name: string, server: string | null): Promise<OpenedSource> {
  if (canReadSourceInWorker() && isLargeFile(path)) return readSourceInWorker(path, format, name, server);
  return openSource(createReadStream(path), format, name, server);
}

function isLargeFile(path: string): boolean {
  try {
    const stat = statSync(path);
    return stat.isFile() && stat.size >= WORKER_MIN_BYTES;
  } catch {
    return false; // the in-thread reader reports the problem as before
  }
}
