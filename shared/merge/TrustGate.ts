import type { LogRecord } from '../parse/LogRecord';
import { ownCopy } from '../util/ownCopy';

/**
 * How far a record can be trusted to be what PostgreSQL itself wrote (issue 10: an attacker with a login
 * can make PostgreSQL log any text with `RAISE LOG` or a syntax error):
 * - `trusted`: a LOG record without CONTEXT, as genuine pgAudit and connection records always are;
 * - `unverified`: rows that arrive unordered, where a CONTEXT of the same session and second exists and
 *   could belong to this record or to another one of that second;
 * - `forged`: it carries a CONTEXT (PL/pgSQL's `... at RAISE`), or has another severity than LOG (an
 *   error's `STATEMENT:` line, a `DETAIL:`), so PostgreSQL did not write it as an AUDIT or connection record.
 */
export type Trust = 'trusted' | 'unverified' | 'forged';

/** A record that looks like pgAudit's or a connection line, waiting for its verdict. */
export interface Candidate {
  log: LogRecord;
  /** A connection line (LOG only) rather than an AUDIT record (LOG, or pgaudit.log_level's level with log_client). */
  connectionLine: boolean;
  /** `start`: a session's first record (connection received); `end`: its last (disconnection). */
  boundary?: 'start' | 'end';
}

/** Severities pgAudit can log at: LOG, or pgaudit.log_level (DEBUG1-5, INFO, NOTICE, WARNING) with log_client on. */
const AUDIT_SEVERITIES: ReadonlySet<string> = new Set(['LOG', 'WARNING', 'NOTICE', 'INFO', 'DEBUG', 'DEBUG1', 'DEBUG2', 'DEBUG3', 'DEBUG4', 'DEBUG5']);

export interface Verdict<C extends Candidate> {
  candidate: C;
  trust: Trust;
  /** Why it is not trusted, for the alert and the summary. */
  reason: string | null;
  /**
   * Set on an unverified record that is very likely forged (a STATEMENT row of its second holds its exact
   * text): reported as log forgery, while the record is still kept (unverified), so nothing is lost if
   * the guess is wrong.
   */
  suspect?: string;
  /** Set on connection lines unverified because several differing ones share a row time (the tracker reports that conflict). */
  contested?: true;
}

/** A candidate's place among the records of its session and second, as PostgreSQL logs them. */
export type Rank = (candidate: Candidate) => number;

/** In unordered rows, a candidate waits until the log has moved on this far (log time) past its second. */
export const UNORDERED_WINDOW_MS = 5_000;
/** Candidates held at most; beyond it the oldest is judged on what is known (bounded memory). */
const MAX_HELD = 20_000;
/** Characters of the held candidates' messages at most (a record may be 1 MiB), likewise. */
const MAX_HELD_CHARS = 16 * 1024 * 1024;
/** Characters of STATEMENT texts remembered at most; beyond it they are forgotten (evidence only). */
const MAX_STATEMENT_CHARS = 8 * 1024 * 1024;
/** Seconds with a CONTEXT remembered at most. */
const MAX_CONTEXT_SECONDS = 100_000;

/**
 * Decides which AUDIT and connection records to trust, by the CONTEXT PostgreSQL writes with every message
 * from PL/pgSQL (and never with pgAudit's or the connection lines, which hide it):
 * - structured records (csvlog, jsonlog, a Context column) carry their CONTEXT: judged at once;
 * - `ordered` line logs (the stderr file) write a record's CONTEXT line right after it, in one write:
 *   a candidate is judged by the next record of the input (whatever it is, so a CONTEXT that belongs to
 *   an error in between is never taken for the candidate's);
 * - unordered rows (Azure's tables, where rows of one session and second come in any order): a candidate
 *   waits until the log has moved UNORDERED_WINDOW_MS past its second; if a CONTEXT row of the same
 *   server, session and second was seen, it is `unverified` (which record the CONTEXT belongs to cannot be
 *   told), else trusted.
 * Verdicts come out in input order.
 */
export class TrustGate<C extends Candidate> {
  /** ordered: the one candidate waiting for the next record. */
  private held: C | null = null;
  /** unordered: candidates in input order, each with its group (session, second, run of rows). */
  private queue: C[] = [];
  private groups: string[] = [];
  /** Per session: the second of its last queued candidate and the current group's serial number. */
  private readonly runs = new Map<string, { second: string; serial: number; start: boolean; end: boolean }>();
  private head = 0;
  private readonly contextSeconds = new Set<string>();
  /** The same CONTEXT rows by session and the row's finer time (tieTime), where rows carry one. */
  private readonly contextTies = new Set<string>();
  /** unordered: STATEMENT texts by session and second (only ones that can hold a forged record's text). */
  private readonly statements = new Map<string, string[]>();
  private statementChars = 0;
  /** Characters of the queued candidates' messages (see MAX_HELD_CHARS). */
  private heldChars = 0;
  private newestMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ordered: boolean,
    private readonly emit: (verdict: Verdict<C>) => void,
    /** unordered: the order candidates of one session and second are released in (connection lines first). */
    private readonly rank: Rank = () => 0,
  ) {}

  /** A STATEMENT line or row (the query text of an error, or of a RAISE'd message). */
  statement(log: LogRecord): void {
    if (this.ordered) return this.other(log);
    const key = secondKey(log);
    // Evidence only (it marks an unverified record as very likely forged): forgotten past the bounds.
    if (this.statements.size >= MAX_CONTEXT_SECONDS || this.statementChars + log.message.length > MAX_STATEMENT_CHARS) {
      this.statements.clear();
      this.statementChars = 0;
    }
    const list = this.statements.get(key);
    if (list === undefined) {
      this.statements.set(ownCopy(key), [log.message]);
      this.statementChars += log.message.length;
    } else if (list.length < 100) {
      list.push(log.message);
      this.statementChars += log.message.length;
    }
    this.advance(log);
  }

  /** A record that is no candidate and no CONTEXT: in an ordered log it settles the held candidate. */
  other(log: LogRecord | null): void {
    if (this.ordered) this.releaseHeld(false);
    else if (log !== null) this.advance(log);
  }

  /** A CONTEXT line or row. */
  context(log: LogRecord): void {
    if (this.ordered) {
      // Another session's CONTEXT (possible only when logs of several processes interleave) says nothing.
      this.releaseHeld(this.held !== null && sameProcess(this.held.log, log));
      return;
    }
    this.rememberContext(log);
    this.advance(log);
  }

  candidate(candidate: C): void {
    const log = candidate.log;
    if (this.ordered) this.releaseHeld(false);
    const judged = judgeAlone(log, candidate.connectionLine);
    if (judged !== null) {
      // Decided by the record itself; in unordered mode it still waits its turn, so verdicts keep input order.
      if (this.ordered || this.head === this.queue.length) {
        this.emit({ candidate, ...judged });
        if (!this.ordered) this.advance(log);
        return;
      }
    }
    if (this.ordered) {
      this.held = candidate;
      return;
    }
    this.queue.push(candidate);
    this.heldChars += log.message.length;
    this.groups.push(this.groupOf(log, candidate.boundary));
    this.advance(log);
  }

  /**
   * The group a queued candidate is ordered within: its session's run of rows with one second. A run
   * ends when the session's rows move to another second (input that repeats itself starts new runs).
   */
  private groupOf(log: LogRecord, boundary: 'start' | 'end' | undefined): string {
    const session = sessionKey(log);
    const second = log.time === null ? '?' : log.time.slice(0, 19);
    let run = this.runs.get(session);
    if (run === undefined) {
      if (this.runs.size >= MAX_CONTEXT_SECONDS) this.runs.clear();
      run = { second: ownCopy(second), serial: 0, start: false, end: false };
      this.runs.set(ownCopy(session), run);
    } else if (run.second !== second || (log.sessionId === null && ((boundary === 'start' && run.start) || (boundary === 'end' && run.end)))) {
      // A new second, or (sessions known only by pid, which a new session may reuse within a second) a
      // second start or end in one second: a new run. A session with an id has one run per second, so a
      // forged disconnection line cannot cut it in two and put the genuine connection line out of reach.
      run.second = ownCopy(second);
      run.serial++;
      run.start = false;
      run.end = false;
    }
    if (boundary === 'start') run.start = true;
    if (boundary === 'end') run.end = true;
    return `${session}\u0000${run.serial}`;
  }

  /** End of input: every candidate gets its verdict. */
  finish(): void {
    if (this.ordered) this.releaseHeld(false);
    else this.release(Number.POSITIVE_INFINITY);
  }

  private releaseHeld(followedByContext: boolean): void {
    const held = this.held;
    if (held === null) return;
    this.held = null;
    if (followedByContext) this.emit({ candidate: held, trust: 'forged', reason: 'PostgreSQL logged a CONTEXT line with it (a RAISE from PL/pgSQL or another procedural language), which pgAudit and connection records never have' });
    else this.emit({ candidate: held, trust: 'trusted', reason: null });
  }

  private advance(log: LogRecord): void {
    if (log.time !== null) {
      const ms = Date.parse(log.time);
      if (ms > this.newestMs) this.newestMs = ms;
    }
    this.release(this.newestMs - UNORDERED_WINDOW_MS);
  }

  /**
   * Judges queued candidates whose second ended before `untilMs` (all of them past MAX_HELD). Within each
   * session and second they are put in PostgreSQL's order (by `rank`), in the slots the group had: rows
   * of one second may arrive reversed (a disconnection before the statements, an AUDIT row before the
   * connection line that says whose it is).
   */
  private release(untilMs: number): void {
    const start = this.head;
    while (this.head < this.queue.length) {
      const candidate = this.queue[this.head]!;
      const time = candidate.log.time;
      const settled = this.queue.length - this.head > MAX_HELD || this.heldChars > MAX_HELD_CHARS || time === null || secondEndMs(time) <= untilMs;
      if (!settled && untilMs !== Number.POSITIVE_INFINITY) break;
      this.heldChars -= candidate.log.message.length;
      this.head++;
    }
    if (this.head === start) return;
    const batch = this.queue.slice(start, this.head);
    const groups = this.groups.slice(start, this.head);
    const slots = new Map<string, number[]>();
    batch.forEach((_, i) => {
      const key = groups[i]!;
      const list = slots.get(key);
      if (list === undefined) slots.set(key, [i]);
      else list.push(i);
    });
    const verdicts = batch.map((c) => this.judgeQueued(c));
    const ordered = verdicts.slice();
    // What is (likely) forged goes after the genuine connection lines of its second, so it is reported
    // with the session's real identity and can never be taken for it. The rest: rows with different row
    // times in time order (PostgreSQL's), rows that share one in PostgreSQL's order of a session.
    const late = (v: Verdict<C>): boolean => v.trust === 'forged' || v.suspect !== undefined;
    const order = (v: Verdict<C>): number => (late(v) ? Number.MAX_SAFE_INTEGER - 2 : this.rank(v.candidate));
    const tie = (v: Verdict<C>): string => (late(v) ? '' : v.candidate.log.tieTime ?? '');
    for (const indices of slots.values()) {
      if (indices.length < 2) continue;
      const sorted = indices
        .map((i) => ({ v: verdicts[i]!, i }))
        .sort((a, b) => (late(a.v) === late(b.v) ? compare(tie(a.v), tie(b.v)) : 0) || order(a.v) - order(b.v) || a.i - b.i)
        .map((x) => x.v);
      contestConnections(sorted);
      indices.forEach((slot, k) => (ordered[slot] = sorted[k]!));
    }
    for (const verdict of ordered) this.emit(verdict);
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.groups = this.groups.slice(this.head);
      this.head = 0;
    }
  }

  private judgeQueued(candidate: C): Verdict<C> {
    const alone = judgeAlone(candidate.log, candidate.connectionLine);
    if (alone !== null) return { candidate, ...alone };
    const key = secondKey(candidate.log);
    if (this.mayOwnContext(candidate.log)) {
      const verdict: Verdict<C> = {
        candidate,
        trust: 'unverified',
        reason: `a CONTEXT row of the same session and ${candidate.log.tieTime !== undefined ? 'row time' : 'second'} exists, and such rows arrive in any order: it may belong to this record (a RAISE from PL/pgSQL)`,
      };
      const message = candidate.log.message;
      if ((this.statements.get(key) ?? []).some((text) => text.includes(message))) {
        verdict.suspect = 'a CONTEXT row and a STATEMENT row holding exactly its text (the query a client sent) share its session and second: it was very likely written with RAISE';
      }
      return verdict;
    }
    return { candidate, trust: 'trusted', reason: null };
  }

  private rememberContext(log: LogRecord): void {
    if (this.contextSeconds.size >= MAX_CONTEXT_SECONDS) this.contextSeconds.clear();
    this.contextSeconds.add(ownCopy(secondKey(log)));
    if (log.tieTime === undefined) return;
    if (this.contextTies.size >= MAX_CONTEXT_SECONDS) this.contextTies.clear();
    this.contextTies.add(ownCopy(tieKey(log)));
  }

  /**
   * Whether a CONTEXT row may belong to the candidate: one of its session with the same row time (rows
   * with different TimeGenerated are in PostgreSQL's order, and a CONTEXT row has its record's time), or
   * of the same second where rows carry no finer time.
   */
  private mayOwnContext(log: LogRecord): boolean {
    return log.tieTime !== undefined ? this.contextTies.has(tieKey(log)) : this.contextSeconds.has(secondKey(log));
  }
}

/**
 * What the record alone says: a severity other than LOG, or a CONTEXT it carries, makes it forged; a
 * structured record known to carry none is trusted; null when neighbouring records must decide.
 */
function judgeAlone(log: LogRecord, connectionLine: boolean): { trust: Trust; reason: string | null } | null {
  if (connectionLine ? log.severity !== 'LOG' : !AUDIT_SEVERITIES.has(log.severity)) {
    const what = log.severity === 'STATEMENT' ? "an error's STATEMENT line (the text a client sent)" : `a ${log.severity} record`;
    return { trust: 'forged', reason: `it is ${what}, a severity ${connectionLine ? 'connection lines' : 'pgAudit records'} are never logged with` };
  }
  if (typeof log.context === 'string' && log.context !== '') {
    return { trust: 'forged', reason: `it carries a CONTEXT (${firstLine(log.context)}), which pgAudit and connection records never have` };
  }
  if (log.context === null) return { trust: 'trusted', reason: null };
  return null;
}

/**
 * Connection authorized lines of one session that share a row time (or a second, where rows carry no
 * finer time) come in any order: when they differ, which is PostgreSQL's cannot be told, so none is
 * trusted (the session's identity is then contested: its user unknown, its exceptions off).
 */
function contestConnections<C extends Candidate>(verdicts: Verdict<C>[]): void {
  const byTie = new Map<string, Verdict<C>[]>();
  for (const v of verdicts) {
    if (v.trust === 'forged' || v.suspect !== undefined || !v.candidate.connectionLine || v.candidate.boundary !== undefined) continue;
    const key = v.candidate.log.tieTime ?? (v.candidate.log.time ?? '?').slice(0, 19);
    const list = byTie.get(key);
    if (list === undefined) byTie.set(key, [v]);
    else list.push(v);
  }
  for (const list of byTie.values()) {
    if (new Set(list.map((v) => v.candidate.log.message)).size < 2) continue;
    for (const v of list) {
      v.trust = 'unverified';
      v.contested = true;
      v.reason = `${list.length} different connection authorized lines of this session share one row time, and such rows arrive in any order: which one PostgreSQL wrote cannot be told`;
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Server, session (or pid) and the row's finer time. */
function tieKey(log: LogRecord): string {
  return `${sessionKey(log)}\u0000${log.tieTime ?? '?'}`;
}

/** Whether two records can be of one backend: same session id, or same pid, where the format says. */
function sameProcess(a: LogRecord, b: LogRecord): boolean {
  if (a.server !== b.server) return false;
  if (a.sessionId !== null && b.sessionId !== null) return a.sessionId === b.sessionId;
  if (a.pid !== null && b.pid !== null) return a.pid === b.pid;
  return true;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]!;
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

/** Server and session (or pid). */
function sessionKey(log: LogRecord): string {
  return `${log.server ?? ''}\u0000${log.sessionId ?? `pid:${log.pid ?? '?'}`}`;
}

/** Server, session (or pid) and the second of the record's time. */
function secondKey(log: LogRecord): string {
  return `${sessionKey(log)}\u0000${log.time === null ? '?' : log.time.slice(0, 19)}`;
}

/** The end of the second a record's time falls in (its CONTEXT has the same `%t` second). */
function secondEndMs(time: string): number {
  return Math.floor(Date.parse(time) / 1000) * 1000 + 1000;
}
