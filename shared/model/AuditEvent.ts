/**
 * One audited statement (or substatement) after its log lines were merged.
 * The JSON shape is public: `parse` prints it, rules match it, alerts carry it
 * (see docs/formats.md). Key order here is the print order.
 */
export interface AuditEvent {
  /** Lower-case Flexible Server name, `--server` for plain files, else null. */
  server: string | null;
  /** `%c` when the prefix has it, otherwise derived from pid and session start. */
  sessionId: string | null;
  pid: number | null;
  /** ISO 8601 (UTC) time of the event's first line. */
  time: string | null;
  user: string | null;
  database: string | null;
  application: string | null;
  client: string | null;
  auditType: AuditType;
  statementId: number;
  substatementId: number;
  class: string;
  command: string;
  objects: AuditObject[];
  lines: AuditLine[];
  statement: string | null;
  parameters: (string | null)[] | null;
  rows: number | null;
  /** Present (true) only when a record's quoting was cut off (Azure truncates long messages). */
  truncated?: true;
  /**
   * Present (true) only when the event was let out before its statement was known to be complete, to keep
   * the merge within its memory cap (too many statements or too much text held open): lines of the same
   * statement read later become an event of their own. Nothing is dropped.
   */
  incomplete?: true;
  /**
   * Present only when the record cannot be taken as PostgreSQL's own (see docs in README, "Trust"):
   * `forged` — it looks like an AUDIT or connection record but PostgreSQL did not write it as one (it carries
   * a CONTEXT, is an error's STATEMENT, or has another severity than LOG); only the built-in `log-forgery`
   * rule sees it. `unverified` — a CONTEXT of the same session and second could belong to it (rows that
   * arrive unordered): it is matched like any event but never merged with another record.
   */
  trust?: 'forged' | 'unverified';
  /** Why `trust` is set, in words, for the alert. */
  trustReason?: string;
  /**
   * Present (`contested`) only when the session's user cannot be told for certain: two different
   * `connection authorized` records, a role name that makes the connection line or the log_line_prefix
   * split more than one way. Rules then treat user, database and application as unknown (exceptions on
   * them do not apply), and the alert shows why.
   */
  identity?: 'contested';
  /** Why the identity is contested, in words, for the alert. */
  identityReason?: string;
  /**
   * Present (`pid`) only when the log carries no `%c` (and no session_id column): `sessionId` was then made
   * from the pid and the time the session's first record was seen, which another run over an overlapping
   * window (or a connection line that arrives late) can see differently. The alert key then names the
   * session by pid and the event's own time instead, so the same statement keeps one key in every run.
   */
  sessionIdFrom?: 'pid';
  /**
   * Present (`foreign-key-check`) only on a READ substatement that PostgreSQL's referential-integrity
   * trigger ran for a write of the same statement: the query text has exactly a shape ri_triggers.c
   * generates (PG 13–17) on the event's one table, and the statement wrote before it (see isForeignKeyCheck).
   */
  origin?: 'foreign-key-check';
}

export type AuditType = 'SESSION' | 'OBJECT';

/** One pgaudit line of a statement; the lines of one statement can differ. */
export interface AuditLine {
  auditType: AuditType;
  class: string;
  command: string;
  objectType: string | null;
  objectName: string | null;
}

export interface AuditObject {
  type: string | null;
  name: string;
}
