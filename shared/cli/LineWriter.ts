import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Buffers output lines and writes them in large chunks, waiting for the stream to drain when its buffer
 * is full: one write (or one await) per line costs more than the parsing itself on big inputs.
 */
export class LineWriter {
  private buffer = '';
  constructor(private readonly out: Writable, private readonly chunkSize = 1 << 16) {}

  add(text: string): void {
    this.buffer += text + '\n';
  }

  async flushIfFull(): Promise<void> {
    if (this.buffer.length >= this.chunkSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}
