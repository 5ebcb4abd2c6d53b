import type { AuditEvent } from '../model/AuditEvent';
import type { AuditRecord } from '../parse/AuditRecord';
import type { LogRecord } from '../parse/LogRecord';
import { EventBuilder } from './EventBuilder';
import { markForeignKeyChecks } from './markForeignKeyChecks';
import type { SessionInfo } from './SessionTracker';

/** Events held at most (open or waiting for an earlier one) before the oldest is forced out: bounded memory. */
export const MAX_HELD_EVENTS = 10_000;
/**
 * Text (characters of the records' messages) held in those events at most: a statement may be 1 MiB
 * (MAX_RECORD_CHARS), so the count alone would let 20,000 open statements hold 20 GB.
 */
export const MAX_HELD_EVENT_CHARS = 32 * 1024 * 1024;
/** Lines of one statement are logged together; an event idle this long (in log time) is complete. */
const IDLE_MS = 10 * 60_000;

/**
 * Merges the lines of one statement into one event: same server + session + statement id +
 * substatement id. An event is complete when its session moves on to another statement, ends, or
 * falls idle. Events come out in the order their first line was read, so output follows the log.
 */
export class StatementMerger {
  /** Per session key, the statement whose lines are still arriving, with one builder per substatement. */
  private readonly statementOf = new Map<string, OpenStatement>();
  /** Builders in creation order; a slot is cleared once emitted so a finished event is not kept alive. */
  private queue: (EventBuilder | null)[] = [];
  private head = 0;
  /** Newest log time seen (ISO strings compare in time order, so no Date parsing per line). */
  private newest = '';
  private newestMs = Number.NEGATIVE_INFINITY;
  /** Characters of the messages held in queued builders (see MAX_HELD_EVENT_CHARS). */
  private heldChars = 0;

  /**
   * One AUDIT record. `unverified` (a reason) makes it an event of its own that nothing merges into and
   * that does not move the session's statement on: a record that may be forged can add an event, never
   * change or end another one. Returns the reason when the record contradicts another record of its
   * session (same ids, other text): one of the two is forged, which the caller reports.
   */
  add(record: LogRecord, audit: AuditRecord, session: SessionInfo, out: AuditEvent[], unverified: string | null = null): string | null {
    if (unverified !== null) {
      const alone = new EventBuilder(record, audit, session, unverified);
      this.track(record, alone);
      alone.done = true;
      this.queue.push(alone);
      this.forceOldest();
      this.drain(out);
      return null;
    }
    let statement = this.statementOf.get(session.key);
    if (statement && statement.statementId !== audit.statementId) {
      this.complete(session.key);
      statement = undefined;
    }
    // Builders are found by substatement within the session's statement: no key string per line.
    let builder: EventBuilder | undefined;
    if (statement) {
      for (const b of statement.builders) if (b.event.substatementId === audit.substatementId) builder = b;
      // Two records claiming the same ids but different text are two events, never one; the later one is
      // unverified (its own event, its own alert key), since PostgreSQL never logs that.
      if (builder && !builder.accepts(audit)) {
        const reason = 'another record of this session claims the same statement and substatement ids with another text';
        const alone = new EventBuilder(record, audit, session, reason);
        this.track(record, alone);
        alone.done = true;
        this.queue.push(alone);
        this.forceOldest();
        this.drain(out);
        return reason;
      }
    } else {
      statement = { statementId: audit.statementId, builders: [] };
      this.statementOf.set(session.key, statement);
    }
    if (builder) {
      builder.add(record, audit);
    } else {
      builder = new EventBuilder(record, audit, session);
      statement.builders.push(builder);
      this.queue.push(builder);
    }
    this.track(record, builder);
    this.forceOldest();
    this.drain(out);
    return null;
  }

  /** An event complete in itself (a forged record's), queued in input order. */
  addStandalone(event: AuditEvent, out: AuditEvent[]): void {
    const chars = event.statement?.length ?? 0;
    this.heldChars += chars;
    this.queue.push({ event, done: true, chars, waitsForIdentity: false } as EventBuilder);
    this.forceOldest();
    this.drain(out);
  }

  private track(record: LogRecord, builder: EventBuilder): void {
    builder.chars += record.message.length;
    this.heldChars += record.message.length;
    if (record.time !== null && record.time > this.newest) {
      this.newest = record.time;
      this.newestMs = Date.parse(record.time);
    }
    // In a log in time order the line is the newest: its builder need not parse the time again.
    if (record.time === this.newest) builder.knowTimeMs(this.newest, this.newestMs);
  }

  /**
   * The session's shown user changed (its disconnection line narrowed an ambiguous connection line): the
   * events of the session still held, contested for that reason, show the new one. Events already let
   * out keep what they showed.
   */
  reidentify(session: SessionInfo, formerReason: string): void {
    for (let i = this.head; i < this.queue.length; i++) {
      const builder = this.queue[i]!;
      const event = builder.event;
      if (builder.sessionKey !== session.key) continue;
      builder.waitsForIdentity = false;
      if (event.identity !== 'contested' || !(event.identityReason ?? '').startsWith(formerReason) || session.identityReason === formerReason) continue;
      if (session.claimUntrusted === true) {
        if (event.user !== null) event.identityReason = `${session.identityReason} (the log claims user ${JSON.stringify(event.user)})`;
        else event.identityReason = session.identityReason ?? formerReason;
        event.user = null;
      } else {
        event.user = session.user;
        event.database = session.database;
        event.identityReason = session.identityReason ?? formerReason;
      }
    }
  }

  /** The session ended (disconnection): its statement is complete. */
  endSession(sessionKey: string, out: AuditEvent[]): void {
    this.complete(sessionKey);
    this.drain(out);
  }

  flushAll(out: AuditEvent[]): void {
    for (const sessionKey of [...this.statementOf.keys()]) this.complete(sessionKey);
    for (let i = this.head; i < this.queue.length; i++) this.queue[i]!.waitsForIdentity = false;
    this.drain(out);
  }

  /** `incomplete`: let out early to stay within the caps (flagged on the event), not known complete. */
  private complete(sessionKey: string, incomplete = false): void {
    const statement = this.statementOf.get(sessionKey);
    if (!statement) return;
    this.statementOf.delete(sessionKey);
    markForeignKeyChecks(statement.builders);
    for (const builder of statement.builders) {
      if (incomplete && !builder.done) builder.event.incomplete = true;
      builder.done = true;
    }
  }

  /**
   * Events that wait too long are let out: idle in log time (complete), or beyond MAX_HELD_EVENTS events
   * or MAX_HELD_EVENT_CHARS of text held (flagged incomplete), oldest first. Never dropped.
   */
  private forceOldest(): void {
    let count = this.queue.length - this.head - MAX_HELD_EVENTS; // > 0: events to let out
    let chars = this.heldChars - MAX_HELD_EVENT_CHARS; // > 0: text to let out
    for (let i = this.head; i < this.queue.length; i++) {
      const builder = this.queue[i]!; // slots from head on are never cleared
      if (!builder.done || builder.waitsForIdentity) {
        const over = count > 0 || chars > 0;
        const idle = this.newestMs - builder.lastTimeMs() > IDLE_MS;
        if (!over && !idle) return;
        if (!builder.done) this.complete(builder.sessionKey, over && !idle);
        // Its session's disconnection line did not come in time: let out with the identity as it stands.
        builder.waitsForIdentity = false;
      }
      // Everything up to here is done now, so it drains: it no longer counts against the caps.
      count--;
      chars -= builder.chars;
    }
  }

  /** Emits completed events in the order they were created. */
  private drain(out: AuditEvent[]): void {
    for (let b = this.queue[this.head]; b !== undefined && b !== null && b.done && !b.waitsForIdentity; b = this.queue[this.head]) {
      out.push(b.event);
      this.heldChars -= b.chars;
      this.queue[this.head++] = null;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

interface OpenStatement {
  statementId: number;
  builders: EventBuilder[];
}
