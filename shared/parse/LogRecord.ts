/** A log record with its prefix (or csvlog/jsonlog columns) understood: the merger's input. */
export interface LogRecord {
  location: string;
  server: string | null;
  time: string | null;
  pid: number | null;
  /** `%c` or the csvlog/jsonlog session_id; null when the prefix has no `%c`. */
  sessionId: string | null;
  sessionLine: number | null;
  user: string | null;
  database: string | null;
  application: string | null;
  client: string | null;
  severity: string;
  message: string;
  /**
   * The record's CONTEXT when the format carries it in the record (csvlog/jsonlog `context`, Azure's
   * `Context` column): null = known to have none; undefined = the format logs it as a separate line.
   */
  context?: string | null;
  /** True when the prefix's free-text fields (user, database, application) split more than one way. */
  ambiguous?: boolean;
}
