import type { ParseSummary } from '../parse/ParseSummary';

/** The stderr summary of a parse: counts, the prefix used, and where the first problems are. */
export function formatParseSummary(summary: ParseSummary): string {
  const lines = [
    `parsed ${summary.records} records (${summary.format ?? 'empty input'}${summary.prefix ? `, log_line_prefix ${JSON.stringify(summary.prefix)}` : ''}): ` +
      `${summary.auditRecords} AUDIT records, ${summary.events} events, ${summary.malformed} malformed, ${summary.truncated} truncated` +
      (summary.oversized > 0 ? `, ${summary.oversized} oversized` : ''),
  ];
  if (summary.forged + summary.unverified > 0) {
    lines.push(
      `log forgery: ${summary.forged} records look like pgAudit's or PostgreSQL's but were not written as such (each raises a log-forgery alert); ` +
        `${summary.unverified} could not be verified (kept, each as its own event)`,
    );
  }
  for (const note of summary.sourceNotes) lines.push(`note: ${note}`);
  if (summary.prefixNote) lines.push(`note: ${summary.prefixNote}`);
  if (summary.timeZoneNote) lines.push(`note: ${summary.timeZoneNote}`);
  for (const p of summary.problems) lines.push(`  ${p.location}: ${p.message}`);
  const noted = summary.malformed + summary.truncated + summary.oversized;
  if (noted > summary.problems.length) {
    lines.push(`  ... ${noted - summary.problems.length} more`);
  }
  return lines.join('\n') + '\n';
}
