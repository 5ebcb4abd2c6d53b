import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Buffers output lines and writes them in chunks of about `chunkSize` bytes, waiting for the stream to
 * drain when its buffer is full: one write (or one await) per line costs more than the parsing itself
 * on big inputs. Lines are encoded (UTF-8) straight into the chunk: concatenating them into one string
 * first meant flattening and copying every byte once more.
 */
export class LineWriter {
  private chunk: Buffer;
  private used = 0;

  constructor(private readonly out: Writable, private readonly chunkSize = 1 << 16) {
    this.chunk = Buffer.allocUnsafe(chunkSize);
  }

  add(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const most = text.length * 3 + 1;
    if (this.used + most > this.chunk.length) this.next(most);
    this.used += this.chunk.write(text, this.used);
    this.chunk[this.used++] = 10; // \n
  }

  /** Full chunks were written by add(): waits if the stream asked to, so output stays bounded. */
  async flushIfFull(): Promise<void> {
    if (this.out.writableNeedDrain) await once(this.out, 'drain');
  }

  async flush(): Promise<void> {
    if (this.used > 0 && !this.write()) await once(this.out, 'drain');
  }

  /** Writes the chunk so far; the next one is a new buffer, as the stream may still hold this one. */
  private write(): boolean {
    const full = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(this.chunkSize);
    this.used = 0;
    return this.out.write(full);
  }

  private next(need: number): void {
    if (this.used > 0) this.write();
    if (need > this.chunk.length) this.chunk = Buffer.allocUnsafe(need);
  }
}
