/**
 * One log record as a source read it, before the prefix is understood.
 * Line sources (stderr files, Azure `Message` columns, the Storage archive) give the whole line in
 * `line`; structured sources (csvlog, jsonlog) give their columns in `fields`.
 */
export interface SourceRecord {
  /** Where it came from, for messages: `postgresql.log:120`, `rows.ndjson:7`. */
  location: string;
  server: string | null;
  line?: string;
  fields?: StructuredFields;
  /** The row's own time as the row wrote it (TimeGenerated, archive timestamp), used only when the line has none. */
  rowTime: string | null;
  /** The row's process id column, used only when the line has none. */
  rowPid: number | null;
  /** The row's CONTEXT column (PGSQLServerLogs `Context`, the archive's `properties.context`), when it has one. */
  rowContext?: string | null;
  /**
   * The record was longer than MAX_RECORD_CHARS: its text holds only the first MAX_RECORD_CHARS, and an
   * AUDIT record in it reads as cut short (truncated), never as malformed.
   */
  oversized?: true;
  /**
   * What the run summary should say about the source, carried by the record read after it happened: the
   * document fields an OpenSearch source chose, a point in time it had to reopen.
   */
  note?: string;
  /**
   * stderr: where `line` joins a first line that starts with a log timestamp but has no `SEVERITY:  ` to
   * the lines after it (offsets of the newlines put in). The join is a guess the source cannot check (a
   * prefix cut by a newline in a role name, or a stray line): the parse stage keeps it only when the joined
   * text fits the log_line_prefix, and otherwise reads the pieces as records of their own.
   */
  joins?: number[];
}

/**
 * The fields of one log line: csvlog/jsonlog columns, or what a `log_line_prefix` yields (parse/).
 * `sessionId` is `%c` or the session_id column; null when the prefix has no `%c`.
 */
export interface StructuredFields {
  /**
   * In a SourceRecord, the timestamp as the log wrote it (`2026-11-22 12:00:46.123 IST`): only the parse
   * stage knows the servers' log_timezone. In a PrefixedLine or LogRecord, ISO 8601 UTC.
   */
  time: string | null;
  pid: number | null;
  sessionId: string | null;
  sessionLine: number | null;
  user: string | null;
  database: string | null;
  application: string | null;
  client: string | null;
  severity: string;
  message: string;
  /** The record's CONTEXT (csvlog `context`, jsonlog `context`); null when it has none. */
  context: string | null;
}

/** A row or line the source could not read at all (bad JSON, wrong columns); counted, never fatal. */
export interface SourceProblem {
  location: string;
  message: string;
}

export type SourceItem = { record: SourceRecord } | { problem: SourceProblem };

export const SOURCE_FORMATS = ['stderr', 'csvlog', 'jsonlog', 'azure-diagnostics', 'pgsql-server-logs', 'azure-blob', 'opensearch'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];
