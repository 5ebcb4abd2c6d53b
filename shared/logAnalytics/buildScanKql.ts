import { kqlDateTime, kqlString } from './kqlLiteral';
import { scanLeg, tablesFor, unionOf, type LogsTableSetting } from './scanSources';

export interface ScanKqlOptions {
  table: LogsTableSetting;
  /** Lower-case server names; empty = every server. */
  servers: string[];
  /** Exclusive lower bound of ingestion_time(). */
  ingestedAfter: Date;
  /** Inclusive upper bound of ingestion_time(): consecutive windows (a, b], (b, c] never share a row. */
  ingestedBefore: Date;
}

/**
 * The lines a scan needs: every pgAudit `AUDIT: ` line, the connection lines that say who is behind
 * a session (`connection received/authorized`, `disconnection` for pid-based session tracking), and the
 * CONTEXT rows that tell a RAISE'd imitation of them from the real thing (see TrustGate).
 * Case-sensitive: PostgreSQL prints these words exactly so.
 */
export const SCAN_MESSAGE_FILTER =
  'Message contains_cs "AUDIT: " or Message contains_cs "connection authorized: " ' +
  'or Message contains_cs "connection received: " or Message contains_cs "disconnection: " or Message contains_cs "CONTEXT:  "';

/**
 * The scan query: rows selected by **arrival** (ingestion_time in (ingestedAfter, ingestedBefore]),
 * normalized to ScanRow. The TimeGenerated range is not in the text: the caller passes it as the
 * request's timespan (widened by SCAN_MAX_LATENESS), which the service intersects with the query.
 * Plain operators only (let, union, where, project) so the portal, Basic-plan rules and our test
 * stand-in all read it the same; session context is resolved in TypeScript, not with a join.
 */
export function buildScanKql(opts: ScanKqlOptions): string {
  if (!(opts.ingestedAfter.getTime() < opts.ingestedBefore.getTime())) {
    throw new Error(`buildScanKql: empty ingestion window ${opts.ingestedAfter.toISOString()}..${opts.ingestedBefore.toISOString()}`);
  }
  const legs = tablesFor(opts.table).map((table) =>
    scanLeg(table, ['ingestion_time() > ingestedAfter and ingestion_time() <= ingestedBefore'], [SCAN_MESSAGE_FILTER]));
  return [
    `let ingestedAfter = ${kqlDateTime(opts.ingestedAfter)};`,
    `let ingestedBefore = ${kqlDateTime(opts.ingestedBefore)};`,
    ...unionOf(legs),
    ...serverFilter(opts.servers),
  ].join('\n');
}

/** PG_SERVERS: names are compared lower-case on both sides (the projection lower-cases the row's). */
export function serverFilter(servers: string[]): string[] {
  if (servers.length === 0) return [];
  const names = [...new Set(servers.map((s) => s.toLowerCase()))];
  return [`| where LogicalServerName in (${names.map(kqlString).join(', ')})`];
}
