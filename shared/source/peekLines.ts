/** Reads ahead to the first non-empty line, and gives back batches that still hold every line. */
export async function peekLines(batches: AsyncIterable<string[]>): Promise<{ first: string | null; batches: AsyncIterable<string[]> }> {
  const iterator = batches[Symbol.asyncIterator]();
  const seen: string[][] = [];
  let first: string | null = null;
  while (first === null) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value);
    first = next.value.find((line) => line.trim() !== '') ?? null;
  }
  async function* replay(): AsyncGenerator<string[]> {
    yield* seen;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, batches: replay() };
}
