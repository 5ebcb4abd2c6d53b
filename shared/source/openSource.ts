import { detectFormat } from './detectFormat';
import { peekLines } from './peekLines';
import { readLines } from './readLines';
import { readSourceRecords } from './readSourceRecords';
import type { SourceFormat, SourceItem } from './SourceRecord';

/** An input whose format is decided, as batches of source items. */
export interface OpenedSource {
  format: SourceFormat;
  items: AsyncIterable<SourceItem[]>;
}

/** The source stage: lines → format (decided once, from the first non-empty line unless given) → items. */
export async function openSource(
  input: AsyncIterable<Buffer | string>,
  format: SourceFormat | 'auto',
  name: string,
  server: string | null,
): Promise<OpenedSource> {
  const { first, following, batches } = await peekLines(readLines(input));
  const decided = format === 'auto' ? detectFormat(first ?? '', following) : format;
  return { format: decided, items: readSourceRecords(decided, batches, name, server) };
}
