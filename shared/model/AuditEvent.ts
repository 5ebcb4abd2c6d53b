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
