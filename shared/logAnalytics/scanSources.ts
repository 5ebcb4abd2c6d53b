import type { Settings } from '../settings/Settings';

export type LogsTable = Exclude<Settings['logsTable'], 'auto'>;

export const LOGS_TABLES: readonly LogsTable[] = ['PGSQLServerLogs', 'AzureDiagnostics'];

/** The tables a `LOGS_TABLE` value reads. */
export function tablesFor(table: Settings['logsTable']): LogsTable[] {
  return table === 'auto' ? [...LOGS_TABLES] : [table];
}

/**
 * The last segment of a resource id (`.../flexibleServers/NAME`): the server name when the row has no
 * LogicalServerName (older rows, some regions).
 */
const RESOURCE_NAME = 'extract(@"[^/]+$", 0, _ResourceId)';

/**
 * The `project` that turns one table's rows into the normalized ScanRow shape. AzureDiagnostics is a
 * shared table whose columns exist only once some resource wrote them, hence `column_ifexists`.
 */
export function projectScanRow(table: LogsTable): string {
  const name = table === 'PGSQLServerLogs' ? 'LogicalServerName' : 'column_ifexists("LogicalServerName_s", "")';
  const pid = table === 'PGSQLServerLogs' ? 'ProcessId' : 'ProcessId = toint(processId_d)';
  return (
    `project TimeGenerated, IngestedAt = ingestion_time(), ` +
    `LogicalServerName = tolower(iff(isnotempty(${name}), ${name}, ${RESOURCE_NAME})), ${pid}, Message`
  );
}

/** Rows of the table that are PostgreSQL logs at all (AzureDiagnostics holds every resource's). */
export function tableRows(table: LogsTable): string[] {
  return table === 'AzureDiagnostics' ? ['AzureDiagnostics', '| where Category == "PostgreSQLLogs"'] : [table];
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
