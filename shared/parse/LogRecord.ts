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
}
