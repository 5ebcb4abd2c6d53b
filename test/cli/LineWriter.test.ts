import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineWriter } from '../../shared/cli/LineWriter';

function capture(): { stream: PassThrough; text: () => string; writes: () => number } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8'), writes: () => chunks.length };
}

describe('LineWriter', () => {
  it('writes every line once, in order, UTF-8 encoded, in few chunks', async () => {
    const out = capture();
    const writer = new LineWriter(out.stream, 256);
    const lines = Array.from({ length: 500 }, (_, i) => `${i} é € 😀 ${'x'.repeat(i % 37)}`);
    for (const line of lines) {
      writer.add(line);
      await writer.flushIfFull();
    }
    await writer.flush();
    await new Promise((r) => setImmediate(r));
    expect(out.text()).toBe(lines.map((l) => `${l}\n`).join(''));
    expect(out.writes()).toBeLessThan(lines.length / 4);
  });

  it('writes a line longer than a chunk whole', async () => {
    const out = capture();
    const writer = new LineWriter(out.stream, 64);
    const long = 'ü'.repeat(1000);
    writer.add('a');
    writer.add(long);
    writer.add('b');
    await writer.flush();
    await new Promise((r) => setImmediate(r));
    expect(out.text()).toBe(`a\n${long}\nb\n`);
  });

  it('waits for drain when the stream asked for it, and writes nothing twice', async () => {
    const received: string[] = [];
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk.toString('utf8'));
        setTimeout(done, 2);
      },
    });
    const writer = new LineWriter(slow, 32);
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i} ${'-'.repeat(20)}`);
    for (const line of lines) writer.add(line);
    expect(slow.writableNeedDrain).toBe(true);
    await writer.flushIfFull();
    expect(slow.writableNeedDrain).toBe(false);
    await writer.flush();
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(received.join('')).toBe(lines.map((l) => `${l}\n`).join(''));
  });
});
