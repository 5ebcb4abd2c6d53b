import type { DocumentFields } from './DocumentFields';

/**
 * Phrases of the records that can matter (mayMatter): pgAudit records, the connection lines that carry a
 * session's identity, and a CONTEXT written as a document of its own (if a shipper ever splits one off,
 * it must still make its record unverified). `match_phrase` works on the analysed `text` fields Aiven's
 * log documents have; an error whose STATEMENT holds AUDIT text matches too, and is reported as forged.
 */
export const MATTERING_PHRASES = ['AUDIT: SESSION', 'AUDIT: OBJECT', 'connection received', 'connection authorized', 'disconnection', 'CONTEXT'];

/** The lines that start, name and end a session. */
const SESSION_PHRASES = ['connection received', 'connection authorized', 'disconnection'];

/**
 * Documents of (fromMs, toMs] by their time that can matter, and the session lines of (sessionsFromMs,
 * fromMs]: without `%c` in the prefix (Aiven's has none) a session's id is derived from its pid and the
 * time of its `connection received` line, so every run must see that line to name the session as the
 * runs before did (else a statement re-read in the overlap would get another alert key). The filters run
 * on the service: only what can matter comes back.
 */
export function windowQuery(fields: DocumentFields, fromMs: number, toMs: number, sessionsFromMs: number): Record<string, unknown> {
  const phrases = (list: string[]) => list.map((phrase) => ({ match_phrase: { [fields.message]: phrase } }));
  return {
    bool: {
      should: [
        { bool: { filter: [timeRange(fields.time, fromMs, toMs)], should: phrases(MATTERING_PHRASES), minimum_should_match: 1 } },
        { bool: { filter: [timeRange(fields.time, sessionsFromMs, fromMs)], should: phrases(SESSION_PHRASES), minimum_should_match: 1 } },
      ],
      minimum_should_match: 1,
    },
  };
}

/** The connection lines of these `%c` sessions, whose prefix carries the id, in (fromMs, toMs]. */
export function sessionLookupQuery(fields: DocumentFields, server: string, sessionIds: readonly string[], fromMs: number, toMs: number): Record<string, unknown> {
  return {
    bool: {
      filter: [
        timeRange(fields.time, fromMs, toMs),
        ...(fields.server !== null ? [{ match_phrase: { [fields.server]: server } }] : []),
        { bool: { should: sessionIds.map((id) => ({ match_phrase: { [fields.message]: id } })), minimum_should_match: 1 } },
        { bool: { should: ['connection received', 'connection authorized'].map((p) => ({ match_phrase: { [fields.message]: p } })), minimum_should_match: 1 } },
      ],
    },
  };
}

function timeRange(field: string, fromMs: number, toMs: number): Record<string, unknown> {
  return { range: { [field]: { gt: new Date(fromMs).toISOString(), lte: new Date(toMs).toISOString(), format: 'strict_date_optional_time' } } };
}
