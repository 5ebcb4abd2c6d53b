import type { ParseSummary } from '../parse/ParseSummary';

/** The stderr summary of a parse: counts, the prefix used, and where the first problems are. */
export function formatParseSummary(summary: ParseSummary): string {
  const lines = [
    `parsed ${summary.records} records (${summary.format ?? 'empty input'}${summary.prefix ? `, log_line_prefix ${JSON.stringify(summary.prefix)}` : ''}): ` +
      `${summary.auditRecords} AUDIT records, ${summary.events} events, ${summary.malformed} malformed, ${summary.truncated} truncated` +
      (summary.oversized > 0 ? `, ${summary.oversized} oversized` : ''),
  ];
  if (summary.prefixNote) lines.push(`note: ${summary.prefixNote}`);
  if (summary.timeZoneNote) lines.push(`note: ${summary.timeZoneNote}`);
  for (const p of summary.problems) lines.push(`  ${p.location}: ${p.message}`);
  const noted = summary.malformed + summary.truncated + summary.oversized;
  if (noted > summary.problems.length) {
    lines.push(`  ... ${noted - summary.problems.length} more`);
  }
  return lines.join('\n') + '\n';
}
