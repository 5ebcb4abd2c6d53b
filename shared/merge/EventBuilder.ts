import type { AuditEvent, AuditLine, AuditObject } from '../model/AuditEvent';
import type { AuditRecord } from '../parse/AuditRecord';
import type { LogRecord } from '../parse/LogRecord';
import type { SessionInfo } from './SessionTracker';
import { contestIdentity } from '../model/contestIdentity';

/** Accumulates the lines of one statement/substatement into an AuditEvent. */
export class EventBuilder {
  readonly event: AuditEvent;
  readonly sessionKey: string;
  private lastTime: string | null;
  private parsedTime: string | null = null;
  private parsedMs = Number.NaN;
  /** Set once no more lines can join (the session moved on, ended, or the event fell idle). */
  done = false;
  /** Characters of the records' messages merged into it (the merger's memory cap counts them). */
  chars = 0;
  /** Held after completion until its session's identity is settled (see SessionInfo.identityPending). */
  waitsForIdentity = false;

  /** `unverified`: the reason this record's event must stand alone (see TrustGate). */
  constructor(record: LogRecord, audit: AuditRecord, session: SessionInfo, unverified: string | null = null) {
    this.sessionKey = session.key;
    this.waitsForIdentity = session.identityPending === true && record.user === null;
    this.lastTime = record.time;
    this.event = {
      server: record.server,
      sessionId: session.sessionId,
      pid: record.pid,
      time: record.time,
      // The prefix knows the current values (application_name can change mid-session); the session's
      // connection line fills in what the prefix does not carry.
      user: record.user ?? session.user,
      database: record.database ?? session.database,
      application: record.application ?? session.application,
      client: record.client ?? session.client,
      auditType: audit.auditType,
      statementId: audit.statementId,
      substatementId: audit.substatementId,
      class: audit.class,
      command: audit.command,
      objects: [],
      lines: [],
      statement: null,
      parameters: null,
      rows: null,
    };
    if (unverified !== null) {
      this.event.trust = 'unverified';
      this.event.trustReason = unverified;
    }
    // The record's own user (a %u prefix, csvlog/jsonlog's column) is PostgreSQL's and decides, unless the
    // prefix splits more than one way; otherwise the session's connection line does.
    const contested = record.ambiguous
      ? 'the log_line_prefix fields (%u, %d, %a) of its line split more than one way (a role or application name contains the prefix\'s separators)'
      : record.user === null ? session.identityReason : null;
    if (contested !== null) contestIdentity(this.event, contested, record.ambiguous || session.claimUntrusted === true);
    this.add(record, audit);
    // No %c on the line: the session id was made from the pid (see AuditEvent.sessionIdFrom and alertKey).
    if (record.sessionId === null && session.sessionId !== null) this.event.sessionIdFrom = 'pid';
  }

  /** Whether a record with these ids may join this event: same text (or a marker), same trust. */
  accepts(audit: AuditRecord): boolean {
    const text = this.event.statement;
    return this.event.trust === undefined && (text === null || audit.statement === null || text === audit.statement);
  }

  /** Tells the builder the ms of a time the caller has already parsed (the newest time, mostly its own). */
  knowTimeMs(time: string, ms: number): void {
    if (time === this.lastTime) {
      this.parsedTime = time;
      this.parsedMs = ms;
    }
  }

  /** Time of the latest line, in ms (NaN when unknown). */
  lastTimeMs(): number {
    // Asked for on every line the merger reads, of the same oldest event: parse once per new time.
    if (this.lastTime !== this.parsedTime) {
      this.parsedTime = this.lastTime;
      this.parsedMs = this.lastTime === null ? Number.NaN : Date.parse(this.lastTime);
    }
    return this.parsedMs;
  }

  add(record: LogRecord, audit: AuditRecord): void {
    const e = this.event;
    if (record.time !== null) this.lastTime = record.time;
    const line: AuditLine = {
      auditType: audit.auditType,
      class: audit.class,
      command: audit.command,
      objectType: audit.objectType,
      objectName: audit.objectName,
    };
    if (!e.lines.some((l) => sameLine(l, line))) e.lines.push(line);
    if (audit.objectName !== null && !e.objects.some((o) => o.name === audit.objectName && o.type === audit.objectType)) {
      const object: AuditObject = { type: audit.objectType, name: audit.objectName };
      e.objects.push(object);
    }
    // With log_statement_once later lines say <previously logged>: the text is the first one logged.
    e.statement ??= audit.statement;
    e.parameters ??= audit.parameters;
    e.rows ??= audit.rows;
    if (audit.truncated) e.truncated = true;
  }
}

function sameLine(a: AuditLine, b: AuditLine): boolean {
  return a.auditType === b.auditType && a.class === b.class && a.command === b.command &&
    a.objectType === b.objectType && a.objectName === b.objectName;
}
