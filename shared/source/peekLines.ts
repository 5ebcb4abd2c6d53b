import type { LineBatch } from './readLines';

/** Reads ahead to the first non-empty line, and gives back batches that still hold every line. */
export async function peekLines(batches: AsyncIterable<LineBatch>): Promise<{ first: string | null; batches: AsyncIterable<LineBatch> }> {
  const iterator = batches[Symbol.asyncIterator]();
  const seen: LineBatch[] = [];
  let first: string | null = null;
  while (first === null) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value);
    first = next.value.lines.find((line) => line.trim() !== '') ?? null;
  }
  async function* replay(): AsyncGenerator<LineBatch> {
    yield* seen;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, batches: replay() };
}
