import type { ConnectionInfo, NamePair } from '../parse/parseConnectionMessage';
import type { LogRecord } from '../parse/LogRecord';
import { ownCopy } from '../util/ownCopy';

/** Who is behind a session, learned from its `connection received/authorized` lines. */
export interface SessionInfo {
  /** Merge key: server + session. */
  key: string;
  sessionId: string | null;
  user: string | null;
  database: string | null;
  application: string | null;
  client: string | null;
  /**
   * Set when who is behind the session cannot be told for certain (two different `connection authorized`
   * records, a connection line that splits more than one way): events then have a contested identity.
   */
  identityReason: string | null;
  /**
   * The user claimed is not to be named at all (a role name that splits the connection line more than
   * one way, a first connection line that may be forged): events then show the user as unknown. A later,
   * different connection line alone does not set it: PostgreSQL logs the genuine one before the session
   * can run anything, so the first (verified) claim stays the session's user.
   */
  claimUntrusted?: boolean;
  /**
   * Its connection line splits several ways and its disconnection line, which may narrow the readings,
   * has not come yet: the merger holds the session's events until it does (within its caps).
   */
  identityPending?: boolean;
}

interface PidSession extends SessionInfo {
  /** The record's server, as given (the key folds null and '' together; the index must not). */
  server: string | null;
  authorized: boolean;
  ended: boolean;
  lastLine: number | null;
  lastStatementId: number | null;
  /** The first `connection authorized` could not be verified (see TrustGate). */
  firstUnverified?: boolean;
  /** Every (user, database) an ambiguous connection line can be read as, until the disconnection line narrows them. */
  claims?: NamePair[];
}

/** Seconds after the session's start (`%c`) within which PostgreSQL logs `connection authorized`. */
const AUTHORIZED_WITHIN_S = 1;

/** Ended sessions remembered at most (see `ended`). */
const MAX_ENDED_SESSIONS = 10_000;

/**
 * Sessions remembered at most; the oldest are forgotten first (a 1 GB log must not grow memory without
 * bound). Far above the connections a server holds at once (Azure allows at most 5,000); a forgotten
 * session's later records have an unknown user, so no exception applies to them.
 */
const MAX_SESSIONS = 50_000;

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
  /**
   * Sessions (with an id) whose disconnection line was seen, newest last: a later record of one of them
   * means that disconnection was forged (PostgreSQL logs it last), and the session goes on as it was.
   */
  private readonly ended = new Map<string, PidSession>();
  /** A conflict found by the last observe(): two different `connection authorized` records of one session. */
  private conflict: string | null = null;
  /** peek(): find the session without reviving an ended one or reporting anything. */
  private peeking = false;
  /** A session whose shown user the last observe() changed (its disconnection narrowed the readings), with the former reason. */
  private reidentified: { session: SessionInfo; formerReason: string } | null = null;

  constructor(private readonly onContext?: (server: string | null, session: SessionInfo) => void) {}

  /**
   * The record's session, learning from a connection line. `unverified` (a reason) marks a connection line
   * that may be forged (see TrustGate): it never starts a new session or ends one, and sets the identity
   * only as the session's first `connection authorized`, logged in its first second.
   */
  observe(record: LogRecord, connection: ConnectionInfo | null, statementId: number | null, unverified: string | null = null): SessionInfo {
    const starting = unverified === null ? connection : null;
    const session = record.sessionId !== null ? this.bySessionId(record) : this.byProcess(record, starting, statementId);
    if (record.sessionLine !== null && unverified === null) session.lastLine = record.sessionLine;
    if (statementId !== null) session.lastStatementId = statementId;
    if (connection) this.learn(record, session, connection, unverified);
    return session;
  }

  /** The session a record belongs to, as known (for a forged record, which must not change it). */
  peek(record: LogRecord): SessionInfo {
    this.peeking = true;
    try {
      return this.observe(record, null, null, null);
    } finally {
      this.peeking = false;
    }
  }

  /** The session whose shown user the last observe() changed, with its former identityReason (once), or null. */
  takeReidentified(): { session: SessionInfo; formerReason: string } | null {
    const r = this.reidentified;
    this.reidentified = null;
    return r;
  }

  /** The conflict the last observe() found (once), or null. */
  takeConflict(): string | null {
    const conflict = this.conflict;
    this.conflict = null;
    return conflict;
  }

  private bySessionId(record: LogRecord): PidSession {
    const sessionId = record.sessionId!;
    const known = this.bySessionIdOnly.get(sessionId);
    if (known !== undefined && known.server === record.server) return known;
    const key = `${record.server ?? ''}\u0000${sessionId}`;
    let session = this.sessions.get(key);
    const ended = session === undefined ? this.ended.get(key) : undefined;
    if (ended !== undefined) {
      if (this.peeking) return ended;
      // Its disconnection line came before this record: one of the two is not PostgreSQL's order of
      // things, and the disconnection (a RAISE'd text where the format shows no CONTEXT) is the one that
      // can be forged without a trace. The session keeps its identity; the caller reports the forgery.
      this.ended.delete(key);
      this.conflict = 'a record of this session comes after its disconnection line, which PostgreSQL logs last: that disconnection line (or a second one) is forged';
      session = ended;
      const evicted = this.remember(this.sessions, key, session);
      if (evicted) this.unindex(evicted);
    }
    if (!session) {
      session = newSession(ownCopy(key), ownCopy(sessionId), record.server);
      const evicted = this.remember(this.sessions, key, session);
      if (evicted) this.unindex(evicted);
    }
    this.bySessionIdOnly.set(session.sessionId!, session);
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

  /** Only the first `connection authorized` of a session sets who is behind it; a later one never does. */
  private learn(record: LogRecord, session: PidSession, connection: ConnectionInfo, unverified: string | null): void {
    if (connection.kind === 'received') {
      session.client ??= ownCopy(connection.client);
    } else if (connection.kind === 'authorized') {
      if (!session.authorized) {
        session.authorized = true;
        session.user = ownCopy(connection.user);
        session.database = ownCopy(connection.database);
        session.application = ownCopy(connection.application);
        if (unverified !== null) session.firstUnverified = true;
        if (connection.ambiguous) {
          // Contested either way (rules take the user as unknown); the alert names the plausible reading
          // when there is one (every marker inside the client-chosen application_name), else nobody.
          session.identityReason ??= `the role name is ambiguous: ${connection.ambiguous}`;
          if (connection.plausible !== true) session.claimUntrusted = true;
          if (connection.readings !== undefined) {
            session.claims = connection.readings;
            session.identityPending = true;
          }
        }
        if (unverified !== null && !atSessionStart(record)) {
          session.identityReason ??= `its connection authorized line may be forged (${unverified}) and was not logged when the session started`;
          session.claimUntrusted = true;
        }
        this.onContext?.(record.server, session);
      } else if (session.user !== connection.user || session.database !== connection.database || session.application !== connection.application) {
        // One session, two different identities: one record is forged, and unless the other was proven
        // genuine (the forged one was caught by TrustGate before coming here) which is which is unknown.
        const reason = `two different connection authorized records (user=${JSON.stringify(session.user)} database=${JSON.stringify(session.database)}, then user=${JSON.stringify(connection.user)} database=${JSON.stringify(connection.database)}): one of them is forged`;
        this.conflict = reason;
        // The first is PostgreSQL's (it logs the genuine one before the session can run anything) unless it
        // could not be verified itself (rows of one second in any order): then the user is unknown.
        if (session.firstUnverified === true) session.claimUntrusted = true;
        if (session.identityReason === null) {
          session.identityReason = reason;
          this.onContext?.(record.server, session);
        }
      }
    } else if (unverified === null) {
      session.ended = true;
      if (session.claims !== undefined) this.narrow(session, connection.readings);
    }
  }

  /**
   * The disconnection line (`user=%s database=%s host=%s`) has no application_name: a reading of the
   * ambiguous connection line that it cannot be read as too is not the session's. One user left: the alert
   * may name it; several: none is named. Only what is shown changes: the identity stays contested for the
   * rules (a disconnection line can be forged where rows carry no CONTEXT).
   */
  private narrow(session: PidSession, readings: NamePair[]): void {
    const fits = session.claims!.filter((c) => readings.some((r) => r.user === c.user && r.database === c.database));
    session.claims = undefined;
    session.identityPending = false;
    const formerReason = session.identityReason ?? '';
    // The events held for this are let out, whatever the disconnection line says.
    this.reidentified = { session, formerReason };
    const users = [...new Set(fits.map((c) => c.user))];
    if (users.length === 1) {
      if (session.user === users[0] && session.claimUntrusted !== true) return;
      session.user = users[0]!;
      session.database = fits[0]!.database;
      session.claimUntrusted = false;
      session.identityReason = `${formerReason}; its disconnection line fits only the reading with user ${JSON.stringify(users[0])}`;
    } else {
      if (session.claimUntrusted === true) return;
      session.claimUntrusted = true;
      session.identityReason = `${formerReason}; its disconnection line fits ${users.length === 0 ? 'none' : users.length} of the readings (${users.map((u) => JSON.stringify(u)).join(' or ')}), so no user is named`;
    }
  }

  /** Forgets a session that ended (its last statement was flushed by the caller). */
  forget(record: LogRecord, session: SessionInfo): void {
    if (record.sessionId === null) return;
    const remembered = this.sessions.get(session.key);
    if (remembered) this.unindex(remembered);
    this.sessions.delete(session.key);
    if (remembered === undefined) return;
    // Kept a while (bounded) so that a record after a forged disconnection keeps the session's identity.
    this.ended.set(session.key, remembered);
    if (this.ended.size > MAX_ENDED_SESSIONS) this.ended.delete(this.ended.keys().next().value!);
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
    key, sessionId, user: null, database: null, application: null, client: null, identityReason: null,
    authorized: false, ended: false, lastLine: null, lastStatementId: null, server,
  };
}

/** Whether the record was logged in the first second(s) of its `%c` session (true when that is unknown). */
function atSessionStart(record: LogRecord): boolean {
  if (record.sessionId === null || record.time === null) return true;
  const start = parseInt(record.sessionId.split('.')[0]!, 16);
  const at = Math.floor(Date.parse(record.time) / 1000);
  return !Number.isFinite(start) || !Number.isFinite(at) || at - start <= AUTHORIZED_WITHIN_S;
}

function derivedSessionId(record: LogRecord): string | null {
  if (record.pid === null) return null;
  const seconds = record.time === null ? null : Math.floor(Date.parse(record.time) / 1000);
  return seconds === null ? `pid.${record.pid.toString(16)}` : `${seconds.toString(16)}.${record.pid.toString(16)}`;
}
