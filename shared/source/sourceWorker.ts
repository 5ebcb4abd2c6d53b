import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openSource } from './openSource';
import { SourceItemEncoder } from './SourceItemCodec';
import type { SourceFormat, SourceItem } from './SourceRecord';

/** What readSourceInWorker passes to the worker. */
export interface SourceWorkerData {
  path: string;
  format: SourceFormat | 'auto';
  name: string;
  server: string | null;
  /** Batches sent ahead of the reader at most: bounds memory whatever the input size. */
  window: number;
}

/** Messages from the worker, in order: one `format`, any `items`, then `end` or `error`. */
export type SourceWorkerMessage =
  | { kind: 'format'; format: SourceFormat }
  | { kind: 'items'; data: (string | number | null)[] }
  | { kind: 'end' }
  | { kind: 'error'; message: string; code: string | null };

// Reads of 1 MiB (fewer round trips to the I/O threads), decoded in pieces of 64 KiB (larger strings
// made line splitting and decoding measurably slower).
const READ_CHUNK = 1 << 20;
const DECODE_PIECE = 1 << 16;
// Items are gathered into messages of about POST_CHARS characters of text: each post has a fixed cost
// on both threads, but V8 deserializes a message of over 100 KB straight into the old generation
// (ValueDeserializer pretenures large payloads), and those short-lived rows then cost full GCs on the
// main thread. 32 K characters stay under that even as two-byte strings.
const POST_CHARS = 32 * 1024;
/** Characters counted per item for its location, numbers and tags. */
const ITEM_OVERHEAD = 48;

async function* pieces(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += DECODE_PIECE) yield chunk.subarray(at, at + DECODE_PIECE);
  }
}

/**
 * The source stage on its own thread: read, split lines, decode rows (JSON.parse is most of a parse's
 * cost), post compact batches. The main thread acknowledges each batch it has taken, so the worker
 * never runs more than `window` batches ahead.
 */
async function run(port: NonNullable<typeof parentPort>, data: SourceWorkerData): Promise<void> {
  let credits = data.window;
  let wake: (() => void) | null = null;
  const onAck = (): void => {
    credits++;
    wake?.();
    wake = null;
  };
  port.on('message', onAck);
  try {
    const source = await openSource(pieces(createReadStream(data.path, { highWaterMark: READ_CHUNK })), data.format, data.name, data.server);
    port.postMessage({ kind: 'format', format: source.format } satisfies SourceWorkerMessage);
    const encoder = new SourceItemEncoder();
    let gathered: SourceItem[] = [];
    let chars = 0;
    const post = async (): Promise<void> => {
      if (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
      port.postMessage({ kind: 'items', data: encoder.encode(gathered) } satisfies SourceWorkerMessage);
      gathered = [];
      chars = 0;
    };
    for await (const batch of source.items) {
      for (const item of batch) {
        gathered.push(item);
        chars += textLength(item) + ITEM_OVERHEAD;
        if (chars >= POST_CHARS) await post();
      }
    }
    if (gathered.length > 0) await post();
    port.postMessage({ kind: 'end' } satisfies SourceWorkerMessage);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    port.postMessage({ kind: 'error', message: e instanceof Error ? e.message : String(err), code: e?.code ?? null } satisfies SourceWorkerMessage);
  } finally {
    port.off('message', onAck); // lets the thread exit
  }
}

function textLength(item: SourceItem): number {
  if ('problem' in item) return item.problem.message.length;
  const r = item.record;
  return r.line?.length ?? r.fields?.message.length ?? 0;
}

if (parentPort) void run(parentPort, workerData as SourceWorkerData);
