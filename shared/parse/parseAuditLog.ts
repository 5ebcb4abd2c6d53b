import { type AuditEventStream, mergeAuditRecords, type MergeOptions } from '../merge/mergeAuditRecords';
import type { AuditEvent } from '../model/AuditEvent';
import { flattenBatches } from '../source/flattenBatches';
import { detectFormat } from '../source/detectFormat';
import { peekLines } from '../source/peekLines';
import { readLines } from '../source/readLines';
import { emptySummary } from './ParseSummary';
import { readSourceRecords } from '../source/readSourceRecords';
import type { SourceFormat } from '../source/SourceRecord';

export interface ParseOptions extends MergeOptions {
  /** `auto` (default) decides once per input from its first line. */
  format?: SourceFormat | 'auto';
  /** Server name for plain files (Azure rows carry their own). */
  server?: string | null;
  /** Name used in problem locations, e.g. the file name. */
  source?: string;
}

/** A log file or stream, in any supported format, to AuditEvents: source → parse → merge. */
export function parseAuditLog(input: AsyncIterable<Buffer | string>, options: ParseOptions = {}): AuditEventStream {
  let stream: AuditEventStream | null = null;
  let format: SourceFormat | null = null;
  async function* run(): AsyncGenerator<AuditEvent[]> {
    const { first, batches } = await peekLines(readLines(input));
    format = !options.format || options.format === 'auto' ? detectFormat(first ?? '') : options.format;
    const items = readSourceRecords(format, batches, options.source ?? 'input', options.server?.toLowerCase() ?? null);
    stream = mergeAuditRecords(items, options);
    yield* stream.batches;
  }
  const batches = run();
  return {
    events: flattenBatches(batches),
    batches,
    summary: () => {
      const summary = stream?.summary() ?? emptySummary();
      return { ...summary, format };
    },
  };
}
