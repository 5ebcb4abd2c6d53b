import type { ParseSummary } from '../parse/ParseSummary';

/** What a scan should tell the operator about its input, beyond the counts. */
export function parseWarnings(summary: ParseSummary): string[] {
  const warnings: string[] = [];
  warnings.push(...summary.sourceNotes);
  // A source that says which fields it read also hears which prefix fitted (the note below says so when it was detected).
  if (summary.sourceNotes.length > 0 && summary.prefix !== null && summary.prefixNote === null) {
    warnings.push(`log_line_prefix ${JSON.stringify(summary.prefix)} (PG_LOG_LINE_PREFIX) fits the records read`);
  }
  if (summary.prefixNote) warnings.push(summary.prefixNote);
  if (summary.timeZoneNote) warnings.push(summary.timeZoneNote);
  if (summary.forged > 0) {
    warnings.push(
      `${summary.forged} forged log records: text that looks like pgAudit's or PostgreSQL's (RAISE LOG, an error's STATEMENT line, ` +
        'a name that reads as a record) was not written as such; each raised a log-forgery alert naming the session and user',
    );
  }
  if (summary.unverified > 0) {
    warnings.push(`${summary.unverified} AUDIT or connection records could not be verified (a CONTEXT in the same session and second): each was kept as its own event`);
  }
  if (summary.readWriteWithoutObject > 0) {
    warnings.push(
      `${summary.readWriteWithoutObject} READ/WRITE events carry no table name: pgaudit.log_relation is off, so rules on ` +
        'objects (sensitive-table-read) cannot fire for them. Fix: set the server parameter pgaudit.log_relation = on ' +
        '(Azure portal → server parameters, or ALTER SYSTEM SET pgaudit.log_relation = on; SELECT pg_reload_conf();).',
    );
  }
  for (const p of summary.problems) warnings.push(`${p.location}: ${p.message}`);
  const unreported = summary.malformed + summary.truncated + summary.oversized - summary.problems.length;
  if (unreported > 0) warnings.push(`... and ${unreported} more malformed, truncated or oversized records`);
  return warnings;
}
