import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { OpenedSource } from './openSource';
import { SourceItemDecoder } from './SourceItemCodec';
import type { SourceFormat, SourceItem } from './SourceRecord';
import type { SourceWorkerData, SourceWorkerMessage } from './sourceWorker';

const WORKER_FILE = join(__dirname, 'sourceWorker.js');
/** Batches (of up to 256 KiB of input each) in flight between the threads. */
const WINDOW = 8;

/** Whether the source stage can run on a worker thread: only from compiled JavaScript (not under a TS loader). */
export function canReadSourceInWorker(): boolean {
  return __filename.endsWith('.js') && existsSync(WORKER_FILE);
}

/** Error from the worker's source stage, with the original's `code` (ENOENT, EISDIR, ...). */
export class SourceWorkerError extends Error {
  override readonly name = 'SourceWorkerError';
  constructor(message: string, readonly code: string | null) {
    super(message);
  }
}

/**
 * Runs openSource over a file on a worker thread, so reading and decoding rows use the second core
 * while this thread merges and writes. Items arrive in input order; at most WINDOW batches are held,
 * so memory stays constant. Stopping the iteration early ends the worker.
 */
export async function readSourceInWorker(path: string, format: SourceFormat | 'auto', name: string, server: string | null): Promise<OpenedSource> {
  const data: SourceWorkerData = { path, format, name, server, window: WINDOW };
  const worker = new Worker(WORKER_FILE, { workerData: data });
  const queue: SourceWorkerMessage[] = [];
  let waiting: ((message: SourceWorkerMessage) => void) | null = null;
  const deliver = (message: SourceWorkerMessage): void => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(message);
    } else {
      queue.push(message);
    }
  };
  let finished = false; // the reader is done with the worker (ended, failed, or stopped early)
  let lastSent = false; // the worker sent its last message (`end` or `error`): its exit is expected
  worker.on('message', (message: SourceWorkerMessage) => {
    if (message.kind === 'end' || message.kind === 'error') lastSent = true;
    deliver(message);
  });
  worker.on('error', (err) => {
    lastSent = true;
    deliver({ kind: 'error', message: `source worker failed: ${err.message}`, code: null });
  });
  // Node delivers a worker's messages before its exit event.
  worker.on('exit', (code) => {
    if (!lastSent && !finished) deliver({ kind: 'error', message: `source worker exited (code ${code}) before the end of ${name}`, code: null });
  });
  const next = (): Promise<SourceWorkerMessage> =>
    queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => (waiting = resolve));

  const first = await next();
  if (first.kind !== 'format') {
    finished = true;
    void worker.terminate();
    throw first.kind === 'error' ? new SourceWorkerError(first.message, first.code) : new Error(`source worker sent ${first.kind} before the format`);
  }
  async function* items(): AsyncGenerator<SourceItem[]> {
    const decoder = new SourceItemDecoder();
    try {
      for (;;) {
        const message = await next();
        if (message.kind === 'items') {
          worker.postMessage(0); // ack: the worker may read one more batch
          yield decoder.decode(message.data);
        } else if (message.kind === 'end') {
          finished = true;
          return;
        } else if (message.kind === 'error') {
          finished = true;
          throw new SourceWorkerError(message.message, message.code);
        }
      }
    } finally {
      if (!finished) {
        finished = true;
        void worker.terminate();
      }
    }
  }
  return { format: first.format, items: items() };
}
