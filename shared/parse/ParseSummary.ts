import type { SourceFormat, SourceProblem } from '../source/SourceRecord';

/** What a parse saw, for the one-line summary on stderr and for tests. */
export interface ParseSummary {
  format: SourceFormat | null;
  /** The log_line_prefix used (null for csvlog/jsonlog, which carry columns instead). */
  prefix: string | null;
  /** Set when the configured prefix did not fit and a common one was detected instead. */
  prefixNote: string | null;
  /** Set when timestamps were refused for an ambiguous zone abbreviation (once per input, with the count). */
  timeZoneNote: string | null;
  records: number;
  auditRecords: number;
  events: number;
  malformed: number;
  truncated: number;
  /**
   * Records that look like pgAudit's or a connection line but PostgreSQL did not write as such (RAISE
   * LOG, an error's STATEMENT line, a line that reads as several records): each raises a `log-forgery` alert.
   */
  forged: number;
  /** AUDIT or connection records that could not be verified (see TrustGate): kept, never merged. */
  unverified: number;
  /** Records longer than MAX_RECORD_CHARS, cut there for matching (each also counted where it lands). */
  oversized: number;
  /** READ/WRITE events without an object name: pgaudit.log_relation is off, object rules cannot fire. */
  readWriteWithoutObject: number;
  /** The first few problems, with their locations. */
  problems: SourceProblem[];
  /** What the source said about itself (SourceRecord.note), at most MAX_REPORTED_PROBLEMS. */
  sourceNotes: string[];
}

export const MAX_REPORTED_PROBLEMS = 10;

export function emptySummary(): ParseSummary {
  return {
    format: null, prefix: null, prefixNote: null, timeZoneNote: null, records: 0, auditRecords: 0, events: 0, malformed: 0,
    truncated: 0, oversized: 0, forged: 0, unverified: 0, readWriteWithoutObject: 0, problems: [], sourceNotes: [],
  };
}
