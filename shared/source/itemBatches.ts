import type { SourceBatch } from './LogSource';
import type { SourceItem } from './SourceRecord';

/** Batches of items as SourceBatches without cursors (sources whose position is not per batch). */
export async function* itemBatches(items: AsyncIterable<SourceItem[]>): AsyncGenerator<SourceBatch<never>> {
  for await (const batch of items) yield { items: batch };
}
