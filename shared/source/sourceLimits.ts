/**
 * Resource bounds of the source stage, whatever the input. A database user controls the length of what
 * PostgreSQL logs (statement text, RAISE messages), so no record may cost more than these.
 */

/**
 * The longest line or record kept, in UTF-16 code units (1 MiB): what lies beyond is dropped as it is
 * read, so the record is cut for matching, flagged `oversized` and counted. Its prefix, ids, class,
 * command and object come first in every format, so a cut record still raises its alerts.
 */
export const MAX_RECORD_CHARS = 1 << 20;

/**
 * Deepest JSON nesting read (Azure rows are 2 deep, a Log Analytics query response 5). Deeper rows are
 * refused by a scan of the text before JSON.parse builds anything: a row of a million `[` would
 * otherwise build a million arrays.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Largest JSON document (a portal export or query response, which cannot be streamed row by row) read
 * whole, in UTF-16 code units (16 MiB). Larger exports must be NDJSON (one row per line).
 */
export const MAX_DOCUMENT_CHARS = 16 << 20;
