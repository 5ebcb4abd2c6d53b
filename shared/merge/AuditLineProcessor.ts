import type { AuditEvent } from '../model/AuditEvent';
import type { LogLinePrefix } from '../parse/compileLogLinePrefix';
import { MalformedAuditRecord, parseAuditRecord } from '../parse/parseAuditRecord';
import { parseConnectionMessage } from '../parse/parseConnectionMessage';
import { MAX_REPORTED_PROBLEMS, type ParseSummary } from '../parse/ParseSummary';
import { toLogRecord } from '../parse/toLogRecord';
import type { SourceRecord } from '../source/SourceRecord';
import type { SessionTracker } from './SessionTracker';
import type { StatementMerger } from './StatementMerger';

/**
 * Handles one source record: AUDIT lines go to the merger, connection lines to the session tracker,
 * everything else only counts. Runs once per input line, so it allocates as little as it can and
 * pushes completed events into the caller's array.
 */
export class AuditLineProcessor {
  prefix: LogLinePrefix;

  constructor(
    prefix: LogLinePrefix,
    private readonly tracker: SessionTracker,
    private readonly merger: StatementMerger,
    private readonly summary: ParseSummary,
  ) {
    this.prefix = prefix;
  }

  handle(record: SourceRecord, out: AuditEvent[]): void {
    this.summary.records++;
    // Most lines of a busy log are neither AUDIT nor connection lines: skip them before any parsing.
    const raw = record.line ?? record.fields?.message ?? '';
    if (!raw.includes('AUDIT: ') && !raw.includes('connection')) return;
    const log = toLogRecord(record, this.prefix);
    if (!log) {
      if (raw.includes('AUDIT: ')) this.problem(record.location, `AUDIT line does not fit log_line_prefix ${JSON.stringify(this.prefix.text)}`);
      return;
    }
    const text = log.message;
    if (text.startsWith('AUDIT: ')) {
      this.summary.auditRecords++;
      let audit;
      try {
        audit = parseAuditRecord(text.slice(7));
      } catch (err) {
        if (!(err instanceof MalformedAuditRecord)) throw err;
        this.problem(record.location, `malformed AUDIT record: ${err.message}`);
        return;
      }
      if (audit.truncated) {
        this.summary.truncated++;
        this.note(record.location, 'AUDIT record cut off (unterminated quote); kept as a truncated event');
      }
      this.merger.add(log, audit, this.tracker.observe(log, null, audit.statementId), out);
      return;
    }
    const connection = parseConnectionMessage(text);
    if (!connection) return;
    const session = this.tracker.observe(log, connection, null);
    if (connection.kind !== 'disconnection') return;
    this.tracker.forget(log, session);
    this.merger.endSession(session.key, out);
  }

  problem(location: string, message: string): void {
    this.summary.malformed++;
    this.note(location, message);
  }

  private note(location: string, message: string): void {
    if (this.summary.problems.length < MAX_REPORTED_PROBLEMS) this.summary.problems.push({ location, message });
  }
}
