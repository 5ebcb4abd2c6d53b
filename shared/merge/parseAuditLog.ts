import { type AuditEventStream, mergeAuditRecords, type MergeOptions } from './mergeAuditRecords';
import type { AuditEvent } from '../model/AuditEvent';
import { flattenBatches } from '../util/flattenBatches';
import { openSource, type OpenedSource } from '../source/openSource';
import { openSourceFile } from '../source/openSourceFile';
import { emptySummary } from '../parse/ParseSummary';
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
  return parseOpenedSource((format, name, server) => openSource(input, format, name, server), options);
}

/**
 * parseAuditLog over a file by path: the same events and summary, but a large file's source stage
 * (reading and decoding rows) runs on a worker thread, in parallel with parsing and merging here.
 */
export function parseAuditLogFile(path: string, options: ParseOptions = {}): AuditEventStream {
  return parseOpenedSource((format, name, server) => openSourceFile(path, format, name, server), options);
}

type Opener = (format: SourceFormat | 'auto', name: string, server: string | null) => Promise<OpenedSource>;

function parseOpenedSource(open: Opener, options: ParseOptions): AuditEventStream {
  let stream: AuditEventStream | null = null;
  let format: SourceFormat | null = null;
  async function* run(): AsyncGenerator<AuditEvent[]> {
    const source = await open(options.format || 'auto', options.source ?? 'input', options.server?.toLowerCase() ?? null);
    format = source.format;
    stream = mergeAuditRecords(source.items, { ...options, ordered: source.format === 'stderr' });
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
