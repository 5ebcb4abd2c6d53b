/** Reads ahead to the first non-empty line, and gives back an iterable that still yields every line. */
export async function peekLines(lines: AsyncIterable<string>): Promise<{ first: string | null; lines: AsyncIterable<string> }> {
  const iterator = lines[Symbol.asyncIterator]();
  const seen: string[] = [];
  let first: string | null = null;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value);
    if (next.value.trim() !== '') {
      first = next.value;
      break;
    }
  }
  async function* replay(): AsyncGenerator<string> {
    yield* seen;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, lines: replay() };
}
