import type { AuditEvent } from '../model/AuditEvent';
import { choosePrefix, PREFIX_SAMPLE } from '../parse/choosePrefix';
import { compileLogLinePrefix } from '../parse/compileLogLinePrefix';
import { AZURE_DEFAULT_PREFIX } from '../parse/commonPrefixes';
import { MalformedAuditRecord, parseAuditRecord } from '../parse/parseAuditRecord';
import { parseConnectionMessage } from '../parse/parseConnectionMessage';
import { emptySummary, MAX_REPORTED_PROBLEMS, type ParseSummary } from '../parse/ParseSummary';
import { toLogRecord } from '../parse/toLogRecord';
import type { SourceItem, SourceRecord } from '../source/SourceRecord';
import { type SessionInfo, SessionTracker } from './SessionTracker';
import { StatementMerger } from './StatementMerger';

export interface MergeOptions {
  /** The servers' log_line_prefix (default Azure's `%t-%c-`); common ones are tried when it does not fit. */
  prefix?: string;
  /** Called when a session's `connection authorized` line is seen (the scan caches session context). */
  onSessionContext?: (server: string | null, session: SessionInfo) => void;
}

export interface AuditEventStream {
  events: AsyncIterable<AuditEvent>;
  /** Complete once `events` has been iterated to the end. */
  summary(): ParseSummary;
}

/**
 * The parse → merge stage: source records in, one AuditEvent per statement/substatement out.
 * Lines that are neither AUDIT nor connection lines only count as records. A malformed AUDIT record
 * is counted with its location and skipped; the run goes on.
 */
export function mergeAuditRecords(items: AsyncIterable<SourceItem>, options: MergeOptions = {}): AuditEventStream {
  const summary = emptySummary();
  const problem = (location: string, message: string): void => {
    summary.malformed++;
    if (summary.problems.length < MAX_REPORTED_PROBLEMS) summary.problems.push({ location, message });
  };
  const configured = compileLogLinePrefix(options.prefix ?? AZURE_DEFAULT_PREFIX);

  async function* run(): AsyncGenerator<AuditEvent> {
    const tracker = new SessionTracker(options.onSessionContext);
    const merger = new StatementMerger();
    let prefix = configured;
    let sample: SourceRecord[] | null = [];
    let relevant = 0;

    const handle = (record: SourceRecord): AuditEvent[] => {
      summary.records++;
      const log = toLogRecord(record, prefix);
      const text = log?.message ?? record.line ?? '';
      const auditAt = text.indexOf('AUDIT: ');
      if (!log) {
        if (auditAt !== -1) problem(record.location, `AUDIT line does not fit log_line_prefix ${JSON.stringify(prefix.text)}`);
        return [];
      }
      if (auditAt === 0) {
        summary.auditRecords++;
        let audit;
        try {
          audit = parseAuditRecord(text.slice(7));
        } catch (err) {
          if (!(err instanceof MalformedAuditRecord)) throw err;
          problem(record.location, `malformed AUDIT record: ${err.message}`);
          return [];
        }
        if (audit.truncated) {
          summary.truncated++;
          if (summary.problems.length < MAX_REPORTED_PROBLEMS) summary.problems.push({ location: record.location, message: 'AUDIT record cut off (unterminated quote); kept as a truncated event' });
        }
        const session = tracker.observe(log, null, audit.statementId);
        return merger.add(log, audit, session);
      }
      const connection = parseConnectionMessage(text);
      if (!connection) return [];
      const session = tracker.observe(log, connection, null);
      if (connection.kind !== 'disconnection') return [];
      tracker.forget(log, session);
      return merger.endSession(session.key);
    };

    const decide = (records: SourceRecord[]): SourceRecord[] => {
      const choice = choosePrefix(configured, records);
      prefix = choice.prefix;
      summary.prefix = choice.prefix.text;
      summary.prefixNote = choice.note;
      return records;
    };

    for await (const item of items) {
      if ('problem' in item) {
        summary.records++;
        problem(item.problem.location, item.problem.message);
        continue;
      }
      if (sample !== null && item.record.line !== undefined) {
        // Decide the prefix on the first lines that matter, then replay them.
        sample.push(item.record);
        if (/AUDIT: |connection /.test(item.record.line)) relevant++;
        if (relevant < PREFIX_SAMPLE && sample.length < PREFIX_SAMPLE * 20) continue;
        yield* count(decide(sample).flatMap(handle));
        sample = null;
        continue;
      }
      yield* count(handle(item.record));
    }
    if (sample !== null && sample.length > 0) yield* count(decide(sample).flatMap(handle));
    yield* count(merger.flushAll());
  }

  function* count(events: AuditEvent[]): Generator<AuditEvent> {
    for (const event of events) {
      summary.events++;
      if ((event.class === 'READ' || event.class === 'WRITE') && event.objects.length === 0) summary.readWriteWithoutObject++;
      yield event;
    }
  }

  return { events: run(), summary: () => summary };
}
