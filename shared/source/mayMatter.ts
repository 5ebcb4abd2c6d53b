/**
 * Whether a record's text can be more than a count: an AUDIT line, a connection line that carries
 * session context, or a CONTEXT line (which tells that the record before it came from PL/pgSQL, not from
 * pgAudit or PostgreSQL: see TrustGate). Every other line only adds to `records`, so stages may skip it
 * before any parsing; the source worker sends such records without their text.
 */
export function mayMatter(text: string): boolean {
  return text.includes('AUDIT: ') || text.includes('connection') || text.includes('CONTEXT:  ');
}
