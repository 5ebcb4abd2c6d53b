import type { DocumentFields } from './DocumentFields';

/**
 * Phrases of the records that can matter (mayMatter): pgAudit records, the connection lines that carry a
 * session's identity, and a CONTEXT written as a document of its own (if a shipper ever splits one off,
 * it must still make its record unverified). `match_phrase` works on the analysed `text` fields Aiven's
 * log documents have; an error whose STATEMENT holds AUDIT text matches too, and is reported as forged.
 */
export const MATTERING_PHRASES = ['AUDIT: SESSION', 'AUDIT: OBJECT', 'connection received', 'connection authorized', 'disconnection', 'CONTEXT'];

/** Documents of (fromMs, toMs] by their time, that can matter; the server filter keeps the rest on the service. */
export function windowQuery(fields: DocumentFields, fromMs: number, toMs: number): Record<string, unknown> {
  return {
    bool: {
      filter: [timeRange(fields.time, fromMs, toMs)],
      should: MATTERING_PHRASES.map((phrase) => ({ match_phrase: { [fields.message]: phrase } })),
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
