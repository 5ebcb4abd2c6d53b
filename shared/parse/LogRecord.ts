import type { StructuredFields } from '../source/SourceRecord';

/** A log record with its prefix (or csvlog/jsonlog columns) understood: the merger's input. */
export interface LogRecord extends Omit<StructuredFields, 'context'> {
  location: string;
  server: string | null;
  /**
   * The record's CONTEXT when the format carries it in the record (csvlog/jsonlog `context`, Azure's
   * `Context` column): null = known to have none; undefined = the format logs it as a separate line.
   */
  context?: string | null;
  /** True when the prefix's free-text fields (user, database, application) split more than one way. */
  ambiguous?: boolean;
  /**
   * The row's own time (Azure's TimeGenerated, the archive's timestamp) as ISO UTC, when it is finer than
   * the second `%t` gives: rows of one session with different such times are in PostgreSQL's order; only
   * rows that share it may come in any order (see TrustGate).
   */
  tieTime?: string;
}
