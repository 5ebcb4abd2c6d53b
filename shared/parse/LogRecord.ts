import type { StructuredFields } from '../source/SourceRecord';

/** A log record with its prefix (or csvlog/jsonlog columns) understood: the merger's input. */
export interface LogRecord extends StructuredFields {
  location: string;
  server: string | null;
}
