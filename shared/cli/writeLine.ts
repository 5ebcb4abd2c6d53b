import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes one line and waits for the stream to drain when its buffer is full (constant memory on big outputs). */
export async function writeLine(out: Writable, text: string): Promise<void> {
  if (!out.write(text + '\n')) await once(out, 'drain');
}
