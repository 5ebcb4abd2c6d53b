/** One item at a time from a stream of batches. */
export async function* flattenBatches<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}
