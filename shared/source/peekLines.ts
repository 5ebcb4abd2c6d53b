import type { LineBatch } from './readLines';

/** Lines after the first non-empty one handed to format detection, from what was read anyway. */
const FOLLOWING = 20;

/**
 * Reads ahead to the first non-empty line, and gives back batches that still hold every line.
 * `following`: up to 20 non-empty lines after it that were in the same batches (no more is read for them).
 */
export async function peekLines(batches: AsyncIterable<LineBatch>): Promise<{ first: string | null; following: string[]; batches: AsyncIterable<LineBatch> }> {
  const iterator = batches[Symbol.asyncIterator]();
  const seen: LineBatch[] = [];
  let first: string | null = null;
  while (first === null) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value);
    first = next.value.lines.find((line) => line.trim() !== '') ?? null;
  }
  const following = seen
    .flatMap((b) => b.lines)
    .filter((line) => line.trim() !== '')
    .slice(1, 1 + FOLLOWING);
  async function* replay(): AsyncGenerator<LineBatch> {
    yield* seen;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, following, batches: replay() };
}
