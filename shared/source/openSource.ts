import { detectFormat } from './detectFormat';
import { gunzipIfCompressed } from './gunzipIfCompressed';
import { peekLines } from './peekLines';
import { readLines } from './readLines';
import { readSourceRecords } from './readSourceRecords';
import type { SourceFormat, SourceItem } from './SourceRecord';

/** An input whose format is decided, as batches of source items. */
export interface OpenedSource {
  format: SourceFormat;
  items: AsyncIterable<SourceItem[]>;
}

/**
 * The source stage: bytes (gunzipped when compressed) → lines → format (decided once, from the first
 * non-empty line unless given) → items.
 */
export async function openSource(
  input: AsyncIterable<Buffer | string>,
  format: SourceFormat | 'auto',
  name: string,
  server: string | null,
): Promise<OpenedSource> {
  const damage: string[] = [];
  const { first, following, batches } = await peekLines(readLines(gunzipIfCompressed(input, (message) => damage.push(message))));
  const decided = format === 'auto' ? detectFormat(first ?? '', following) : format;
  return { format: decided, items: withDamage(readSourceRecords(decided, batches, name, server), damage, name) };
}

/** The items, then a problem for damaged compressed input (known only once it has been read). */
async function* withDamage(items: AsyncIterable<SourceItem[]>, damage: string[], name: string): AsyncGenerator<SourceItem[]> {
  yield* items;
  if (damage.length > 0) yield damage.map((message) => ({ problem: { location: name, message } }));
}
