/**
 * A KQL string literal. Kusto's double-quoted strings take the same backslash escapes as JSON, so any
 * text (a server name from the settings, a session id) becomes a literal that cannot end the string early.
 */
export function kqlString(text: string): string {
  return JSON.stringify(text);
}

/** A KQL `datetime(...)` literal in UTC with millisecond precision. */
export function kqlDateTime(time: Date): string {
  if (Number.isNaN(time.getTime())) throw new Error('kqlDateTime: invalid date');
  return `datetime(${time.toISOString()})`;
}
