/**
 * The normalized row every scan and session-lookup query returns, whichever table it came from.
 * The column names are ones `azureRowToRecord` already reads (`TimeGenerated`, `LogicalServerName`,
 * `ProcessId`, `Message`), so a result pasted from the portal also parses with `--format pgsql-server-logs`.
 * `IngestedAt` is `ingestion_time()`: the arrival time the scan windows and splits on.
 */
export interface ScanRow {
  TimeGenerated: Date | null;
  IngestedAt: Date | null;
  /** Lower-case server name: LogicalServerName(_s) when set, else the resource id's last segment. */
  LogicalServerName: string | null;
  ProcessId: number | null;
  Message: string | null;
  /** PGSQLServerLogs' Context column ('' when none, and always '' for AzureDiagnostics, which has no such column). */
  Context: string | null;
}

export const SCAN_COLUMNS = ['TimeGenerated', 'IngestedAt', 'LogicalServerName', 'ProcessId', 'Message', 'Context'] as const;
