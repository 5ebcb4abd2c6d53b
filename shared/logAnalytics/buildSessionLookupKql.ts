import { isSessionId, sessionStartTime } from '../model/sessionId';
import { kqlString } from './kqlLiteral';
import { scanLeg, tablesFor, unionOf, type LogsTableSetting } from './scanSources';
import { serverFilter } from './buildScanKql';

export interface SessionLookupKqlOptions {
  table: LogsTableSetting;
  /** The server the sessions belong to (lower-case). */
  server: string;
  /** `%c` session ids, `hex(start epoch seconds).hex(pid)`. */
  sessionIds: string[];
}

/** Session ids per lookup query: keeps the text short and the `or` chain cheap. Chunk larger sets. */
export const SESSION_LOOKUP_MAX_IDS = 100;

/**
 * The connection lines (`connection received/authorized`) of sessions whose AUDIT lines arrived in a
 * window that did not hold their start, so the user, database and client are known. Selected by the
 * session id in the line's prefix (`%c`), not by arrival: pair it with sessionLookupTimespan.
 */
export function buildSessionLookupKql(opts: SessionLookupKqlOptions): string {
  const ids = [...new Set(opts.sessionIds)];
  if (ids.length === 0) throw new Error('buildSessionLookupKql: no session ids');
  if (ids.length > SESSION_LOOKUP_MAX_IDS) {
    throw new Error(`buildSessionLookupKql: ${ids.length} session ids, at most ${SESSION_LOOKUP_MAX_IDS} per query`);
  }
  const bad = ids.find((id) => !isSessionId(id));
  if (bad !== undefined) throw new Error(`buildSessionLookupKql: ${JSON.stringify(bad)} is not a %c session id (hex.hex)`);
  const idFilter = ids.map((id) => `Message contains_cs ${kqlString(id)}`).join(' or ');
  const legs = tablesFor(opts.table).map((table) =>
    scanLeg(table, [], ['Message contains_cs "connection authorized: " or Message contains_cs "connection received: "', idFilter]));
  return [...unionOf(legs), ...serverFilter([opts.server])].join('\n');
}

/**
 * The TimeGenerated range that holds the sessions' connection lines: `%c` carries the session's start
 * second, and PostgreSQL logs `connection received` at that moment and `authorized` right after.
 * The margins cover slow authentication and clock differences.
 */
export function sessionLookupTimespan(sessionIds: string[]): { startTime: Date; endTime: Date } {
  const starts = sessionIds.map(sessionStartTime).filter((t): t is Date => t !== null).map((t) => t.getTime());
  if (starts.length === 0) throw new Error('sessionLookupTimespan: no valid session ids');
  return {
    startTime: new Date(Math.min(...starts) - 5 * 60_000),
    endTime: new Date(Math.max(...starts) + 60 * 60_000),
  };
}
