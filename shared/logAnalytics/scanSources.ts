/** The two tables Azure Database for PostgreSQL writes its logs to (resource-specific, or the legacy one). */
export const LOGS_TABLES = ['PGSQLServerLogs', 'AzureDiagnostics'] as const;
export type LogsTable = (typeof LOGS_TABLES)[number];
/** The LOGS_TABLE setting: one table, or `auto` for whichever the workspace has. */
export type LogsTableSetting = 'auto' | LogsTable;

/** The tables a `LOGS_TABLE` value reads. */
export function tablesFor(table: LogsTableSetting): LogsTable[] {
  return table === 'auto' ? [...LOGS_TABLES] : [table];
}

/**
 * The last segment of a resource id (`.../flexibleServers/NAME`): the server name when the row has no
 * LogicalServerName (older rows, some regions).
 */
const RESOURCE_NAME = 'extract(@"[^/]+$", 0, _ResourceId)';

/**
 * AzureDiagnostics is shared by every resource type and has a column only once some resource wrote it:
 * a workspace whose AzureDiagnostics holds only, say, Key Vault logs has no `Message` or `processId_d`,
 * and naming them directly would fail the whole query (isfuzzy covers missing tables, not columns).
 */
const DIAGNOSTICS_SERVER = 'column_ifexists("LogicalServerName_s", "")';

/** The `project` that turns one table's rows into the normalized ScanRow shape. */
export function projectScanRow(table: LogsTable): string {
  if (table === 'PGSQLServerLogs') {
    return 'project TimeGenerated, IngestedAt = ingestion_time(), ' +
      `LogicalServerName = tolower(iff(isnotempty(LogicalServerName), LogicalServerName, ${RESOURCE_NAME})), ProcessId, Message, ` +
      'Context = column_ifexists("Context", "")';
  }
  return 'project TimeGenerated, IngestedAt = ingestion_time(), ' +
    `LogicalServerName = tolower(iff(isnotempty(${DIAGNOSTICS_SERVER}), ${DIAGNOSTICS_SERVER}, ${RESOURCE_NAME})), ` +
    'ProcessId = toint(column_ifexists("processId_d", real(null))), Message = column_ifexists("Message", ""), ' +
    // No such column: a record's CONTEXT is a row of its own here (selected by the message filter).
    'Context = column_ifexists("Context_s", "")';
}

/**
 * One table's rows as ScanRows: `rowFilters` use only columns every table has (or `ingestion_time()`);
 * `messageFilters` test `Message`. In PGSQLServerLogs they run before the projection; in
 * AzureDiagnostics after it, on the projected Message (see DIAGNOSTICS_SERVER for why).
 */
export function scanLeg(table: LogsTable, rowFilters: string[], messageFilters: string[]): string[] {
  const where = (filters: string[]) => filters.map((f) => `| where ${f}`);
  if (table === 'PGSQLServerLogs') return [table, ...where(rowFilters), ...where(messageFilters), `| ${projectScanRow(table)}`];
  return ['AzureDiagnostics', ...where(['Category == "PostgreSQLLogs"', ...rowFilters]), `| ${projectScanRow(table)}`, ...where(messageFilters)];
}

/**
 * One leg per table; several legs become `union isfuzzy=true`, which tolerates a table the workspace
 * does not have (a workspace that never used one of the two diagnostic modes).
 */
export function unionOf(legs: string[][]): string[] {
  if (legs.length === 1) return legs[0]!;
  const out = ['union isfuzzy=true'];
  legs.forEach((leg, i) => {
    const last = i === legs.length - 1;
    leg.forEach((line, j) => {
      const open = j === 0 ? '(' : ' ';
      const close = j === leg.length - 1 ? (last ? ')' : '),') : '';
      out.push(`    ${open}${line}${close}`);
    });
  });
  return out;
}
