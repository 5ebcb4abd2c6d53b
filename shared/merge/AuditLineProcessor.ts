import type { AuditEvent } from '../model/AuditEvent';
import type { LogLinePrefix, PrefixedLine } from '../parse/compileLogLinePrefix';
import type { AuditRecord } from '../parse/AuditRecord';
import type { LogRecord } from '../parse/LogRecord';
import { MalformedAuditRecord, parseAuditRecord } from '../parse/parseAuditRecord';
import { type ConnectionInfo, parseConnectionMessage } from '../parse/parseConnectionMessage';
import { MAX_REPORTED_PROBLEMS, type ParseSummary } from '../parse/ParseSummary';
import { toIsoTime } from '../parse/toIsoTime';
import { toLogRecord } from '../parse/toLogRecord';
import { mayMatter } from '../source/mayMatter';
import { MAX_RECORD_CHARS } from '../source/sourceLimits';
import type { SourceRecord } from '../source/SourceRecord';
import { forgedEvent } from './forgedEvent';
import type { SessionTracker } from './SessionTracker';
import type { StatementMerger } from './StatementMerger';
import { type Candidate, TrustGate, type Verdict } from './TrustGate';

/** An AUDIT or connection record on its way through the TrustGate. */
interface LineCandidate extends Candidate {
  source: SourceRecord;
  /** The raw text the record's message came from (the whole line for line formats). */
  raw: string;
  connection: ConnectionInfo | null;
}

/**
 * PostgreSQL's order of a session's records within one second: connection received, authorized, the
 * AUDIT records by statement and substatement id, disconnection.
 */
function rankInSecond(candidate: Candidate): number {
  const c = candidate as LineCandidate;
  // A record that is forged by itself (an error's STATEMENT line) goes last, so it is reported with
  // the identity the session's real connection line gives, before a disconnection ends the session.
  if (c.log.severity === 'STATEMENT') return Number.MAX_SAFE_INTEGER - 2;
  if (c.connection === null) {
    const ids = /^AUDIT: [A-Z]+,(\d{1,9}),(\d{1,6}),/.exec(c.log.message);
    return 10 + (ids ? Number(ids[1]) * 1e6 + Number(ids[2]) : 0);
  }
  return c.connection.kind === 'received' ? 0 : c.connection.kind === 'authorized' ? 1 : Number.MAX_SAFE_INTEGER - 1;
}

function connectionKind(connection: ConnectionInfo): string {
  return connection.kind === 'received' ? 'connection received' : connection.kind === 'authorized' ? 'connection authorized' : 'disconnection';
}

/**
 * Handles one source record: AUDIT lines go to the merger, connection lines to the session tracker,
 * CONTEXT lines to the trust gate, everything else only counts. AUDIT and connection records pass the
 * TrustGate first: what PostgreSQL did not write as such (RAISE LOG, an error's STATEMENT line) becomes
 * a forged event for the `log-forgery` alert and never reaches the merger or the session's identity.
 * Runs once per input line, so it allocates as little as it can and pushes completed events into the
 * caller's array.
 */
/** Disconnection lines in doubt held at once (see AuditLineProcessor.doubtedEnds); beyond, the oldest is reported. */
const MAX_DOUBTED_ENDS = 10_000;

export class AuditLineProcessor {
  prefix: LogLinePrefix;
  private readonly gate: TrustGate<LineCandidate>;
  /** Where verdicts push their events (set for the duration of each call). */
  private out: AuditEvent[] = [];
  /**
   * Disconnection lines that shared their row time with a CONTEXT row of their session, by session key.
   * PostgreSQL writes a session's disconnection line last, so a script whose last statement RAISEs a
   * note often logs both in one millisecond; such a line is reported as possibly forged only once its
   * session logs anything after it (a record, or another disconnection line), which a genuine one never
   * is. Until then it ends nothing (see connection()), so holding the report back removes no alert.
   */
  private readonly doubtedEnds = new Map<string, { candidate: LineCandidate; reason: string }>();

  constructor(
    prefix: LogLinePrefix,
    private readonly tracker: SessionTracker,
    private readonly merger: StatementMerger,
    private readonly summary: ParseSummary,
    ordered = false,
  ) {
    this.prefix = prefix;
    this.gate = new TrustGate<LineCandidate>(ordered, (verdict) => this.apply(verdict), rankInSecond);
  }

  handle(record: SourceRecord, out: AuditEvent[]): void {
    this.out = out;
    // A stderr record the source joined across a newline (a prefix cut inside a role name) stays joined
    // only when the joined text fits the prefix; else a stray line with a timestamp would swallow the
    // record after it: its pieces are records of their own.
    if (record.joins !== undefined && record.line !== undefined && record.line !== '' && this.prefix.parse(record.line) === null) {
      let from = 0;
      for (const at of [...record.joins, record.line.length]) {
        this.handle({ ...record, line: record.line.slice(from, at), joins: undefined }, out);
        from = at + 1;
      }
      return;
    }
    this.summary.records++;
    if (record.oversized) {
      this.summary.oversized++;
      this.note(record.location, `record longer than ${MAX_RECORD_CHARS >> 20} MiB: only its first ${MAX_RECORD_CHARS >> 20} MiB is read and matched`);
    }
    // Most lines of a busy log are neither AUDIT nor connection lines: skip them before any parsing.
    const raw = record.line ?? record.fields?.message ?? '';
    if (!mayMatter(raw)) return this.gate.other(null);
    if (record.line !== undefined && this.prefix.freeText) {
      const readings = this.prefix.readings(record.line);
      if (readings.length > 1) return this.readings(record, readings);
    }
    const log = toLogRecord(record, this.prefix);
    if (!log) {
      if (raw.includes('AUDIT: ')) this.problem(record.location, `AUDIT line does not fit log_line_prefix ${JSON.stringify(this.prefix.text)}`);
      return this.gate.other(null);
    }
    if (log.severity === 'CONTEXT') return this.gate.context(log);
    const text = log.message;
    // An error's STATEMENT that looks like a record is itself a forgery attempt (judged below); any
    // other one can still tell, in unordered rows, whose text a RAISE'd record of its second was.
    if (log.severity === 'STATEMENT' && !text.startsWith('AUDIT: ') && parseConnectionMessage(text) === null) return this.gate.statement(log);
    if (text.startsWith('AUDIT: ')) {
      this.summary.auditRecords++;
      return this.gate.candidate({ log, source: record, raw, connection: null, connectionLine: false });
    }
    const connection = parseConnectionMessage(text);
    if (!connection) return this.gate.other(log);
    const boundary = connection.kind === 'received' ? 'start' : connection.kind === 'disconnection' ? 'end' : undefined;
    this.gate.candidate({ log, source: record, raw, connection, connectionLine: true, ...(boundary ? { boundary } : {}) });
  }

  /** End of input: records still waiting for their verdict get it. */
  finish(out: AuditEvent[]): void {
    this.out = out;
    this.gate.finish();
  }

  private apply({ candidate, trust, reason, suspect, contested }: Verdict<LineCandidate>): void {
    const { log, connection } = candidate;
    if (trust === 'forged') return this.forged(candidate, reason!);
    // A suspect connection line never sets who is behind the session (if it was the real one, the session's
    // user is unknown: its events alert without exceptions). A suspect AUDIT record is reported and still kept
    // as unverified: a wrong guess then costs an extra alert, never a lost one.
    if (suspect !== undefined && connection !== null) return this.forged(candidate, suspect);
    if (suspect !== undefined) this.forged(candidate, suspect, false);
    // Any other record whose trust cannot be established (rows in any order) is reported as possibly
    // forged, and still kept: it adds an alert, it never removes or rewrites one. Differing connection
    // lines of one row time are reported by the session tracker, as the conflict they are.
    else if (trust === 'unverified' && contested !== true && connection?.kind !== 'disconnection') this.forged(candidate, `possibly forged: ${reason!}`, false);
    if (trust === 'unverified') this.summary.unverified++;
    if (connection) return this.connection(log, connection, trust, reason, suspect === undefined && contested !== true ? candidate : null);
    this.audit(candidate, trust, reason);
  }

  private connection(log: LogRecord, connection: ConnectionInfo, trust: 'trusted' | 'unverified', reason: string | null, candidate: LineCandidate | null): void {
    const session = this.tracker.observe(log, connection, null, trust === 'unverified' ? reason : null);
    this.reportDoubtedEnd(session.key);
    if (trust === 'unverified' && connection.kind === 'disconnection' && candidate !== null) this.doubtEnd(session.key, candidate, reason!);
    const conflict = this.tracker.takeConflict();
    if (conflict !== null) this.reportForgery(log, log.message, connectionKind(connection), conflict, 0, 0, session);
    const changed = this.tracker.takeReidentified();
    if (changed !== null) this.merger.reidentify(changed.session, changed.formerReason);
    // An unverified disconnection (it may be a RAISE) must not end the session it names.
    if (connection.kind !== 'disconnection' || trust !== 'trusted') return;
    this.tracker.forget(log, session);
    this.merger.endSession(session.key, this.out);
  }

  private audit(candidate: LineCandidate, trust: 'trusted' | 'unverified', reason: string | null): void {
    const { log, source } = candidate;
    let audit: AuditRecord;
    try {
      audit = parseAuditRecord(log.message.slice(7), source.oversized);
    } catch (err) {
      if (!(err instanceof MalformedAuditRecord)) throw err;
      return this.problem(source.location, `malformed AUDIT record: ${err.message}`);
    }
    this.noteTruncated(source.location, audit);
    const statementId = trust === 'trusted' ? audit.statementId : null;
    const session = this.tracker.observe(log, null, statementId, null);
    this.reportDoubtedEnd(session.key);
    const ended = this.tracker.takeConflict();
    if (ended !== null) this.reportForgery(log, log.message, 'disconnection', ended, 0, 0, session);
    if (log.ambiguous === true && source.line !== undefined) this.resolvePrefix(log, source.line, session);
    const conflict = this.merger.add(log, audit, session, this.out, trust === 'trusted' ? null : reason);
    // Two records with the same ids and different text: PostgreSQL never logs that, so one is forged
    // (a RAISE'd AUDIT text where the format shows no CONTEXT). Both stay events; the forgery is reported.
    if (conflict !== null) {
      this.summary.unverified++;
      this.reportForgery(log, log.message, 'AUDIT', conflict, audit.statementId, audit.substatementId, this.tracker.peek(log));
    }
  }

  /**
   * A line whose prefix fields (`%u`, `%d`, `%a`) split more than one way, such as an application_name
   * `x] [user=etl,db=shop,app=y` under `[user=%u,db=%d,app=%a] `: PostgreSQL prints the session's login
   * user and database in every line, so when the session's own connection line named them unambiguously
   * and the line fits the prefix with exactly those values, they are the record's (only the
   * application_name, which any client sets, may still split: it is then left to the connection line's).
   */
  private resolvePrefix(log: LogRecord, line: string, session: ReturnType<SessionTracker['peek']>): void {
    if (session.user === null || session.identityReason !== null) return;
    const reading = this.prefix.withIdentity(line, session.user, session.database);
    if (reading === null || reading.message !== log.message) return;
    log.user = reading.user;
    log.database = reading.database;
    log.application = reading.ambiguous ? null : reading.application;
    log.ambiguous = false;
  }

  /**
   * A line that splits into prefix + message more than one way: a free-text prefix field (`%a`, `%u`) holds
   * `SEVERITY:  ` text. Which split is PostgreSQL's cannot be told from the line, so none is dropped and
   * none is trusted: every reading that is an AUDIT record (clean ones; cut-off ones only when no reading is
   * clean) or a connection line is kept as unverified (an AUDIT reading becomes its own unmerged event, so
   * the real one still alerts), and two or more such readings are reported as log forgery.
   */
  private readings(record: SourceRecord, readings: PrefixedLine[]): void {
    this.gate.other(null);
    const clean: { log: LogRecord; audit: AuditRecord }[] = [];
    const cut: { log: LogRecord; audit: AuditRecord }[] = [];
    const connections: { log: LogRecord; connection: ConnectionInfo }[] = [];
    let failure: string | null = null;
    for (const reading of readings) {
      const log: LogRecord = { ...reading, location: record.location, server: record.server, time: reading.time ?? toIsoTime(record.rowTime, this.prefix.timestamps), pid: reading.pid ?? record.rowPid };
      if (log.message.startsWith('AUDIT: ')) {
        try {
          const audit = parseAuditRecord(log.message.slice(7), record.oversized);
          (audit.truncated ? cut : clean).push({ log, audit });
        } catch (err) {
          if (!(err instanceof MalformedAuditRecord)) throw err;
          failure ??= err.message;
        }
        continue;
      }
      const connection = parseConnectionMessage(log.message);
      if (connection !== null) connections.push({ log, connection });
    }
    const audits = clean.length > 0 ? clean : cut;
    // Every reading that is a record counts for the report (a cut-off one inside a name is an attempt too).
    const found = clean.length + cut.length + connections.length;
    if (audits.length + connections.length === 0) {
      if (record.line!.includes('AUDIT: ')) {
        this.summary.auditRecords++;
        this.problem(record.location, `malformed AUDIT record: ${failure ?? 'no reading of the line is an AUDIT record'}`);
      }
      return;
    }
    const why = `the line reads ${readings.length} ways (a log_line_prefix field such as %a or %u contains "SEVERITY:  " text); which reading is PostgreSQL's cannot be told`;
    for (const { log, audit } of audits) {
      this.summary.auditRecords++;
      this.summary.unverified++;
      this.noteTruncated(record.location, audit);
      this.merger.add(log, audit, this.tracker.observe(log, null, null, null), this.out, why);
    }
    for (const { log, connection } of connections) {
      this.summary.unverified++;
      this.tracker.observe(log, connection, null, why);
      const conflict = this.tracker.takeConflict();
      if (conflict !== null) this.reportForgery(log, log.message, 'connection authorized', conflict, 0, 0, this.tracker.peek(log));
    }
    if (found > 1) {
      const log = (audits[0] ?? connections[0])!.log;
      this.reportForgery(log, record.line!, 'a line that reads as several records', why, 0, 0, this.tracker.peek(log));
    }
  }

  /** Holds back the report of a disconnection line in doubt (see doubtedEnds); bounded: beyond it, reported. */
  private doubtEnd(sessionKey: string, candidate: LineCandidate, reason: string): void {
    this.doubtedEnds.set(sessionKey, { candidate, reason });
    if (this.doubtedEnds.size <= MAX_DOUBTED_ENDS) return;
    this.reportDoubtedEnd(this.doubtedEnds.keys().next().value!);
  }

  /** The session logged more after a disconnection line in doubt: that line was not PostgreSQL's last. */
  private reportDoubtedEnd(sessionKey: string): void {
    const doubted = this.doubtedEnds.get(sessionKey);
    if (doubted === undefined) return;
    this.doubtedEnds.delete(sessionKey);
    this.forged(doubted.candidate, `possibly forged: ${doubted.reason}; and its session logged more after it, while PostgreSQL logs a session's disconnection line last`, false);
  }

  private forged(candidate: LineCandidate, reason: string, instead = true): void {
    const { log, connection } = candidate;
    const kind = connection === null ? 'AUDIT' : connectionKind(connection);
    let ids: [number, number] = [0, 0];
    if (connection === null) {
      if (instead) this.summary.auditRecords--; // not an AUDIT record after all
      const payload = log.message.indexOf('AUDIT: ');
      try {
        const claim = parseAuditRecord(log.message.slice(payload + 7), candidate.source.oversized);
        ids = [claim.statementId, claim.substatementId];
      } catch (err) {
        if (!(err instanceof MalformedAuditRecord)) throw err;
      }
    }
    // The session as known, never as the forged record claims it to be.
    const session = this.tracker.peek(log);
    this.reportForgery(log, log.message, kind, reason, ids[0], ids[1], session);
  }

  private reportForgery(
    log: LogRecord,
    text: string,
    kind: string,
    reason: string,
    statementId: number,
    substatementId: number,
    session: ReturnType<SessionTracker['peek']>,
  ): void {
    this.summary.forged++;
    this.note(log.location, `log forgery (${kind}): ${reason}`);
    this.merger.addStandalone(forgedEvent(log, session, { kind, text, reason, statementId, substatementId }), this.out);
  }

  private noteTruncated(location: string, audit: AuditRecord): void {
    if (!audit.truncated) return;
    this.summary.truncated++;
    this.note(location, 'AUDIT record cut off (unterminated quote); kept as a truncated event');
  }

  problem(location: string, message: string): void {
    this.summary.malformed++;
    this.note(location, message);
  }

  private note(location: string, message: string): void {
    if (this.summary.problems.length < MAX_REPORTED_PROBLEMS) this.summary.problems.push({ location, message });
  }
}
