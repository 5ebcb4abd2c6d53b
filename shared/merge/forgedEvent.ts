import type { AuditEvent } from '../model/AuditEvent';
import type { LogRecord } from '../parse/LogRecord';
import type { SessionInfo } from './SessionTracker';
import { contestIdentity } from '../model/contestIdentity';

export interface Forgery {
  /** What the record pretends to be: `AUDIT`, `connection authorized`, ... */
  kind: string;
  /** The text as it was written (the record's message, or the whole line). */
  text: string;
  reason: string;
  /** The ids an AUDIT record claims (0 when none). */
  statementId: number;
  substatementId: number;
}

/**
 * The event for a record that looks like pgAudit's or PostgreSQL's but was not written as one (see
 * TrustGate): who is behind the session as known (never as the record claims), class `FORGED`, the
 * claimed kind as command, the written text as statement. Only the built-in `log-forgery` rule sees it.
 */
export function forgedEvent(log: LogRecord, session: SessionInfo, forgery: Forgery): AuditEvent {
  const event: AuditEvent = {
    server: log.server,
    sessionId: session.sessionId,
    pid: log.pid,
    time: log.time,
    user: (log.ambiguous ? null : log.user) ?? session.user,
    database: (log.ambiguous ? null : log.database) ?? session.database,
    application: (log.ambiguous ? null : log.application) ?? session.application,
    client: log.client ?? session.client,
    auditType: 'SESSION',
    statementId: forgery.statementId,
    substatementId: forgery.substatementId,
    class: 'FORGED',
    command: forgery.kind,
    objects: [],
    lines: [{ auditType: 'SESSION', class: 'FORGED', command: forgery.kind, objectType: null, objectName: null }],
    statement: forgery.text,
    parameters: null,
    rows: null,
    trust: 'forged',
    trustReason: forgery.reason,
  };
  if (session.identityReason !== null && (log.user === null || log.ambiguous)) {
    contestIdentity(event, session.identityReason, log.ambiguous || session.claimUntrusted === true);
  }
  return event;
}
