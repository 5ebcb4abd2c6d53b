import type { ConnectionInfo } from '../parse/parseConnectionMessage';
import type { LogRecord } from '../parse/LogRecord';

/** Who is behind a session, learned from its `connection received/authorized` lines. */
export interface SessionInfo {
  /** Merge key: server + session. */
  key: string;
  sessionId: string | null;
  user: string | null;
  database: string | null;
  application: string | null;
  client: string | null;
}

interface PidSession extends SessionInfo {
  /** The record's server, as given (the key folds null and '' together; the index must not). */
  server: string | null;
  authorized: boolean;
  ended: boolean;
  lastLine: number | null;
  lastStatementId: number | null;
}

/** Sessions remembered at most; the oldest are forgotten first (a 1 GB log must not grow memory without bound). */
const MAX_SESSIONS = 200_000;

/**
 * Identifies the backend session of each record. With `%c` (or csvlog/jsonlog session_id) that is given.
 * Otherwise a pid is reused, so a new session on a pid starts at a `connection received` line, a second
 * `connection authorized`, a line after `disconnection`, `%l` restarting, or statement ids going back;
 * its id is derived PostgreSQL-style from the session's first time and pid (`hex(seconds).hex(pid)`).
 */
export class SessionTracker {
  private readonly sessions = new Map<string, PidSession>();
  /** The same sessions by session id alone, checked against the server: no key string per line. */
  private readonly bySessionIdOnly = new Map<string, PidSession>();
  private readonly byPid = new Map<string, PidSession>();

  constructor(private readonly onContext?: (server: string | null, session: SessionInfo) => void) {}

  observe(record: LogRecord, connection: ConnectionInfo | null, statementId: number | null): SessionInfo {
    const session = record.sessionId !== null ? this.bySessionId(record) : this.byProcess(record, connection, statementId);
    if (record.sessionLine !== null) session.lastLine = record.sessionLine;
    if (statementId !== null) session.lastStatementId = statementId;
    if (connection) this.learn(record, session, connection);
    return session;
  }

  private bySessionId(record: LogRecord): PidSession {
    const sessionId = record.sessionId!;
    const known = this.bySessionIdOnly.get(sessionId);
    if (known !== undefined && known.server === record.server) return known;
    const key = `${record.server ?? ''}\u0000${sessionId}`;
    let session = this.sessions.get(key);
    if (!session) {
      session = newSession(key, sessionId, record.server);
      const evicted = this.remember(this.sessions, key, session);
      if (evicted) this.unindex(evicted);
    }
    this.bySessionIdOnly.set(sessionId, session);
    return session;
  }

  private unindex(session: PidSession): void {
    if (session.sessionId !== null && this.bySessionIdOnly.get(session.sessionId) === session) this.bySessionIdOnly.delete(session.sessionId);
  }

  private byProcess(record: LogRecord, connection: ConnectionInfo | null, statementId: number | null): PidSession {
    const pidKey = `${record.server ?? ''}\u0000${record.pid ?? '?'}`;
    const current = this.byPid.get(pidKey);
    const startsNew =
      !current ||
      current.ended ||
      connection?.kind === 'received' ||
      (connection?.kind === 'authorized' && current.authorized) ||
      (record.sessionLine !== null && current.lastLine !== null && record.sessionLine <= current.lastLine) ||
      (statementId !== null && current.lastStatementId !== null && statementId < current.lastStatementId);
    if (current && !startsNew) return current;
    let sessionId = derivedSessionId(record);
    if (current && current.sessionId !== null && current.sessionId.split('~')[0] === sessionId) {
      // Same pid, same second: keep ids unique within the input.
      const n = Number(current.sessionId.split('~')[1] ?? 1) + 1;
      sessionId = `${sessionId}~${n}`;
    }
    const session = newSession(`${pidKey}\u0000${sessionId}`, sessionId, record.server);
    this.remember(this.byPid, pidKey, session);
    return session;
  }

  private learn(record: LogRecord, session: PidSession, connection: ConnectionInfo): void {
    if (connection.kind === 'received') {
      session.client = connection.client;
    } else if (connection.kind === 'authorized') {
      session.authorized = true;
      session.user = connection.user;
      session.database = connection.database;
      session.application = connection.application;
      this.onContext?.(record.server, session);
    } else {
      session.ended = true;
    }
  }

  /** Forgets a session that ended (its last statement was flushed by the caller). */
  forget(record: LogRecord, session: SessionInfo): void {
    if (record.sessionId === null) return;
    const remembered = this.sessions.get(session.key);
    if (remembered) this.unindex(remembered);
    this.sessions.delete(session.key);
  }

  /** Returns the session forgotten to stay within MAX_SESSIONS, if any. */
  private remember(map: Map<string, PidSession>, key: string, session: PidSession): PidSession | undefined {
    map.delete(key);
    map.set(key, session);
    if (map.size <= MAX_SESSIONS) return undefined;
    const oldest = map.keys().next().value!;
    const evicted = map.get(oldest);
    map.delete(oldest);
    return evicted;
  }
}

function newSession(key: string, sessionId: string | null, server: string | null): PidSession {
  return {
    key, sessionId, user: null, database: null, application: null, client: null,
    authorized: false, ended: false, lastLine: null, lastStatementId: null, server,
  };
}

function derivedSessionId(record: LogRecord): string | null {
  if (record.pid === null) return null;
  const seconds = record.time === null ? null : Math.floor(Date.parse(record.time) / 1000);
  return seconds === null ? `pid.${record.pid.toString(16)}` : `${seconds.toString(16)}.${record.pid.toString(16)}`;
}
