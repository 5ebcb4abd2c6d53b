import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One PostgreSQL log record as every source carries it: the server, the time Azure gives the row, and the
 * whole log line (Azure's `%t-%c-` prefix, severity, message). Each source's harness turns these into its
 * own shape: Log Analytics rows, archive blob lines, OpenSearch documents, Event Hubs records, a file.
 */
export interface ContractRecord {
  server: string;
  /** ISO 8601: TimeGenerated, the archive's `time`, the document's timestamp. */
  time: string;
  line: string;
  pid: number | null;
}

const DEMO = join(__dirname, '..', 'fixtures', 'demo', 'azure-diagnostics.ndjson');
export const RESOURCE_PREFIX = '/SUBSCRIPTIONS/6F1D3F3E-5C1A-4D7E-9A52-0C0FFEE00001/RESOURCEGROUPS/RG-PGAUDIT-DEMO/PROVIDERS/MICROSOFT.DBFORPOSTGRESQL/FLEXIBLESERVERS/';

/**
 * A day of real pgAudit output (test/fixtures/demo: PostgreSQL 15 + pgaudit, sessions across hours) from
 * two servers: `pg-demo-1` as recorded, and `pg-demo-2` with the same records a little later, so every
 * alert exists once per server. In time order.
 */
export function twoServerDay(): ContractRecord[] {
  const rows = readFileSync(DEMO, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const one = rows.map((r) => ({ server: 'pg-demo-1', time: String(r.TimeGenerated), line: String(r.Message), pid: Number(r.processId_d) || null }));
  const two = one.map((r) => ({ ...r, server: 'pg-demo-2', time: new Date(Date.parse(r.time) + 90_000).toISOString() }));
  return [...one, ...two].sort((a, b) => a.time.localeCompare(b.time));
}

/** The rules' lists for the demo day, as `npm run demo` sets them. */
export const DEMO_LISTS = { sensitive_tables: ['sales.payment_cards'], service_accounts: ['etl_loader', 'migrations', 'app_web'] };

/** A record as a diagnostic archive line (`insights-logs-postgresqllogs`), also the Event Hubs record shape. */
export function archiveLine(r: ContractRecord): string {
  return JSON.stringify({
    properties: { timestamp: r.time.replace('T', ' ').replace('Z', ' UTC'), processId: r.pid, errorLevel: 'LOG', sqlerrcode: '00000', message: r.line },
    resourceId: `${RESOURCE_PREFIX}${r.server.toUpperCase()}`, category: 'PostgreSQLLogs', operationName: 'LogEvent', time: r.time,
  });
}

/** A record as an AzureDiagnostics row in Log Analytics. */
export function diagnosticsRowOf(r: ContractRecord): Record<string, unknown> & { TimeGenerated: string } {
  return {
    TimeGenerated: r.time,
    ResourceId: `${RESOURCE_PREFIX}${r.server.toUpperCase()}`,
    Resource: r.server.toUpperCase(),
    LogicalServerName_s: r.server,
    Category: 'PostgreSQLLogs',
    OperationName: 'LogEvent',
    processId_d: r.pid,
    errorLevel_s: 'LOG',
    Message: r.line,
  };
}

/**
 * The records with one session made a pooled connection: its connection lines stay where they were, the
 * rest (its statements, its disconnection) happen `laterMs` later, timestamps in the line text moved
 * with them. So the session's user is known only from a line read (or looked up) in an earlier run.
 */
export function poolSession(records: ContractRecord[], server: string, sessionId: string, laterMs: number): ContractRecord[] {
  const moved = records.map((r) => {
    if (r.server !== server || !r.line.includes(`-${sessionId}-`) || /LOG: {2}connection (received|authorized):/.test(r.line)) return r;
    const time = new Date(Date.parse(r.time) + laterMs);
    const stamp = time.toISOString().replace('T', ' ').slice(0, 19);
    return { ...r, time: time.toISOString(), line: stamp + r.line.slice(stamp.length) };
  });
  return moved.sort((a, b) => a.time.localeCompare(b.time));
}
