import type { AuditEvent } from '../model/AuditEvent';
import { flattenBatches } from '../util/flattenBatches';
import { choosePrefix, PREFIX_SAMPLE } from '../parse/choosePrefix';
import { compileLogLinePrefix } from '../parse/compileLogLinePrefix';
import { AZURE_DEFAULT_PREFIX } from '../parse/commonPrefixes';
import { LogTimestamps } from '../parse/LogTimestamps';
import { emptySummary, MAX_REPORTED_PROBLEMS, type ParseSummary } from '../parse/ParseSummary';
import { mayMatter } from '../source/mayMatter';
import type { SourceItem, SourceRecord } from '../source/SourceRecord';
import { AuditLineProcessor } from './AuditLineProcessor';
import { lacksRelation } from './lacksRelation';
import { type SessionInfo, SessionTracker } from './SessionTracker';
import { StatementMerger } from './StatementMerger';

export interface MergeOptions {
  /** The servers' log_line_prefix (default Azure's `%t-%c-`); common ones are tried when it does not fit. */
  prefix?: string;
  /**
   * The input is a log file in write order (stderr): a record's CONTEXT line is the next line. Otherwise
   * (Azure rows) rows of one second may come in any order (see TrustGate).
   */
  ordered?: boolean;
  /** The servers' log_timezone (IANA name): resolves zone abbreviations such as IST that name several zones. */
  logTimezone?: string | null;
  /** Called when a session's `connection authorized` line is seen (the scan caches session context). */
  onSessionContext?: (server: string | null, session: SessionInfo) => void;
}

export interface AuditEventStream {
  events: AsyncIterable<AuditEvent>;
  /** The same events in batches (cheaper to iterate on large inputs). Iterate one of the two, once. */
  batches: AsyncIterable<AuditEvent[]>;
  /** Complete once `events` has been iterated to the end. */
  summary(): ParseSummary;
}

/**
 * The parse → merge stage: source records in, one AuditEvent per statement/substatement out.
 * The prefix is decided on the first lines that matter, which are then replayed. A record the source
 * could not read, or a malformed AUDIT record, is counted with its location; the run goes on.
 */
export function mergeAuditRecords(batches: AsyncIterable<SourceItem[]>, options: MergeOptions = {}): AuditEventStream {
  const summary = emptySummary();
  const configured = compileLogLinePrefix(options.prefix ?? AZURE_DEFAULT_PREFIX, new LogTimestamps(options.logTimezone ?? null));

  async function* run(): AsyncGenerator<AuditEvent[]> {
    const merger = new StatementMerger();
    const processor = new AuditLineProcessor(configured, new SessionTracker(options.onSessionContext), merger, summary, options.ordered ?? false);
    let out: AuditEvent[] = [];
    let sample: SourceRecord[] | null = [];
    let relevant = 0;
    const decide = (): void => {
      const choice = choosePrefix(configured, sample!);
      processor.prefix = choice.prefix;
      summary.prefix = choice.prefix.text;
      summary.prefixNote = choice.note;
      for (const record of sample!) processor.handle(record, out);
      sample = null;
    };

    for await (const batch of batches) {
      for (const item of batch) {
        if ('problem' in item) {
          summary.records++;
          processor.problem(item.problem.location, item.problem.message);
          continue;
        }
        if (item.record.note !== undefined && summary.sourceNotes.length < MAX_REPORTED_PROBLEMS) summary.sourceNotes.push(item.record.note);
        if (sample !== null && item.record.line !== undefined) {
          sample.push(item.record);
          if (mayMatter(item.record.line)) relevant++;
          if (relevant >= PREFIX_SAMPLE || sample.length >= PREFIX_SAMPLE * 20) decide();
        } else {
          processor.handle(item.record, out);
        }
      }
      if (out.length === 0) continue;
      yield tally(out);
      out = [];
    }
    if (sample !== null && (sample as SourceRecord[]).length > 0) decide();
    processor.finish(out);
    merger.flushAll(out);
    summary.timeZoneNote = configured.timestamps.note();
    if (out.length > 0) yield tally(out);
  }


  function tally(events: AuditEvent[]): AuditEvent[] {
    for (const event of events) {
      summary.events++;
      if (lacksRelation(event)) summary.readWriteWithoutObject++;
    }
    return events;
  }

  const batchesOut = run();
  return { events: flattenBatches(batchesOut), batches: batchesOut, summary: () => summary };
}
