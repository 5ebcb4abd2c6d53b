import type { AuditEvent } from '../model/AuditEvent';
import type { AuditRecord } from '../parse/AuditRecord';
import type { LogRecord } from '../parse/LogRecord';
import { EventBuilder } from './EventBuilder';
import type { SessionInfo } from './SessionTracker';

/** Events held at most (open or waiting for an earlier one) before the oldest is forced out: bounded memory. */
const MAX_HELD = 20_000;
/** Lines of one statement are logged together; an event idle this long (in log time) is complete. */
const IDLE_MS = 10 * 60_000;

/**
 * Merges the lines of one statement into one event: same server + session + statement id +
 * substatement id. An event is complete when its session moves on to another statement, ends, or
 * falls idle. Events come out in the order their first line was read, so output follows the log.
 */
export class StatementMerger {
  private readonly open = new Map<string, EventBuilder>();
  private readonly statementOf = new Map<string, { statementId: number; keys: string[] }>();
  private queue: EventBuilder[] = [];
  private head = 0;
  /** Newest log time seen (ISO strings compare in time order, so no Date parsing per line). */
  private newest = '';
  private newestMs = Number.NEGATIVE_INFINITY;

  add(record: LogRecord, audit: AuditRecord, session: SessionInfo, out: AuditEvent[]): void {
    const current = this.statementOf.get(session.key);
    if (current && current.statementId !== audit.statementId) this.complete(session.key);
    const key = `${session.key}\u0000${audit.statementId}.${audit.substatementId}`;
    const builder = this.open.get(key);
    if (builder) {
      builder.add(record, audit);
    } else {
      const created = new EventBuilder(record, audit, session);
      this.open.set(key, created);
      this.queue.push(created);
      const statement = this.statementOf.get(session.key) ?? { statementId: audit.statementId, keys: [] };
      statement.keys.push(key);
      this.statementOf.set(session.key, statement);
    }
    if (record.time !== null && record.time > this.newest) {
      this.newest = record.time;
      this.newestMs = Date.parse(record.time);
    }
    this.forceOldest();
    this.drain(out);
  }

  /** The session ended (disconnection): its statement is complete. */
  endSession(sessionKey: string, out: AuditEvent[]): void {
    this.complete(sessionKey);
    this.drain(out);
  }

  flushAll(out: AuditEvent[]): void {
    for (const sessionKey of [...this.statementOf.keys()]) this.complete(sessionKey);
    this.drain(out);
  }

  private complete(sessionKey: string): void {
    const statement = this.statementOf.get(sessionKey);
    if (!statement) return;
    this.statementOf.delete(sessionKey);
    for (const key of statement.keys) {
      const builder = this.open.get(key);
      if (builder) builder.done = true;
      this.open.delete(key);
    }
  }

  /** An event that waits too long (idle in log time, or too many held) is taken as complete. */
  private forceOldest(): void {
    const held = this.queue.length - this.head;
    for (let i = this.head; i < this.queue.length; i++) {
      const builder = this.queue[i]!;
      if (builder.done) continue;
      if (held <= MAX_HELD && !(this.newestMs - builder.lastTimeMs() > IDLE_MS)) return;
      this.complete(builder.sessionKey);
      if (held <= MAX_HELD) continue;
      return; // one forced completion per added line keeps the queue at its cap
    }
  }

  /** Emits completed events in the order they were created. */
  private drain(out: AuditEvent[]): void {
    while (this.head < this.queue.length && this.queue[this.head]!.done) {
      out.push(this.queue[this.head]!.event);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
