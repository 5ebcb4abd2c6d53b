import type { AuditEvent } from '../model/AuditEvent';
import type { LogLinePrefix } from '../parse/compileLogLinePrefix';
import type { AuditRecord } from '../parse/AuditRecord';
import type { LogRecord } from '../parse/LogRecord';
import { MalformedAuditRecord, parseAuditRecord } from '../parse/parseAuditRecord';
import { parseConnectionMessage } from '../parse/parseConnectionMessage';
import { MAX_REPORTED_PROBLEMS, type ParseSummary } from '../parse/ParseSummary';
import { toLogRecord } from '../parse/toLogRecord';
import { mayMatter } from '../source/mayMatter';
import { MAX_RECORD_CHARS } from '../source/sourceLimits';
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
    if (record.oversized) {
      this.summary.oversized++;
      this.note(record.location, `record longer than ${MAX_RECORD_CHARS >> 20} MiB: only its first ${MAX_RECORD_CHARS >> 20} MiB is read and matched`);
    }
    // Most lines of a busy log are neither AUDIT nor connection lines: skip them before any parsing.
    const raw = record.line ?? record.fields?.message ?? '';
    if (!mayMatter(raw)) return;
    let log = toLogRecord(record, this.prefix);
    if (!log) {
      if (raw.includes('AUDIT: ')) this.problem(record.location, `AUDIT line does not fit log_line_prefix ${JSON.stringify(this.prefix.text)}`);
      return;
    }
    let text = log.message;
    // A second `:  AUDIT: ` in the line, or an AUDIT line whose first split is not one: a free-text
    // prefix field (a client-chosen application_name such as "] LOG:  ") moved the split. Take the
    // first split whose record parses cleanly, so no client can hide or forge its own AUDIT lines.
    const ambiguous = record.line !== undefined && (text.startsWith('AUDIT: ') ? text.includes(':  AUDIT: ') : raw.includes(':  AUDIT: '));
    if (text.startsWith('AUDIT: ') || ambiguous) {
      this.summary.auditRecords++;
      let audit: AuditRecord | null = null;
      let failure: string | null = null;
      if (ambiguous) {
        ({ log, audit, failure } = this.resolveAmbiguous(record, log));
        text = log.message;
      } else {
        try {
          audit = parseAuditRecord(text.slice(7), record.oversized);
        } catch (err) {
          if (!(err instanceof MalformedAuditRecord)) throw err;
          failure = err.message;
        }
      }
      if (!audit) {
        this.problem(record.location, `malformed AUDIT record: ${failure}`);
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

  /** The first candidate split that parses cleanly; else the first that parses at all (truncated); else a failure. */
  private resolveAmbiguous(record: SourceRecord, first: LogRecord): { log: LogRecord; audit: AuditRecord | null; failure: string | null } {
    let fallback: { log: LogRecord; audit: AuditRecord } | null = null;
    let failure: string | null = null;
    for (const candidate of this.prefix.auditCandidates(record.line!)) {
      const log: LogRecord = { ...first, ...candidate, location: first.location, server: first.server, time: candidate.time ?? first.time, pid: candidate.pid ?? first.pid };
      try {
        const audit = parseAuditRecord(log.message.slice(7), record.oversized);
        if (!audit.truncated) return { log, audit, failure: null };
        fallback ??= { log, audit };
      } catch (err) {
        if (!(err instanceof MalformedAuditRecord)) throw err;
        failure ??= err.message;
      }
    }
    if (fallback) return { ...fallback, failure: null };
    return { log: first, audit: null, failure: failure ?? 'no split of the line into log_line_prefix and an AUDIT record' };
  }

  problem(location: string, message: string): void {
    this.summary.malformed++;
    this.note(location, message);
  }

  private note(location: string, message: string): void {
    if (this.summary.problems.length < MAX_REPORTED_PROBLEMS) this.summary.problems.push({ location, message });
  }
}
