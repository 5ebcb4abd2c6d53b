import { LogAnalyticsQueryError } from './LogAnalyticsQueryError';
import type { LogsQueryDeps } from './LogsQueryDeps';
import { QueryRefused, runLogsQuery } from './runLogsQuery';
import { LOGS_TABLES, type LogsTable, type LogsTableSetting } from './scanSources';

/** A query that reads no rows but fails (400) when the table does not exist. */
export function buildTableProbeKql(table: LogsTable): string {
  return `${table}\n| where false\n| project TimeGenerated`;
}

/**
 * Which of the two tables the workspace has, asked once when `union isfuzzy=true` reported a partial
 * result. Through the SDK, the "table does not exist" warning of a fuzzy union and a real partial
 * failure look alike (it drops the engine's inner error), so the answer comes from the tables
 * themselves: `auto` when both exist (the partial result was real), else the one that exists.
 */
export async function resolveLogsTable(deps: LogsQueryDeps, at: Date): Promise<LogsTableSetting> {
  const timespan = { startTime: new Date(at.getTime() - 60_000), endTime: at };
  const exists = await Promise.all(LOGS_TABLES.map(async (table) => {
    try {
      await runLogsQuery(deps, buildTableProbeKql(table), timespan, null);
      return true;
    } catch (err) {
      const refused = err instanceof LogAnalyticsQueryError && err.cause instanceof QueryRefused ? err.cause : null;
      if (refused?.status === 400 && /resolve|SemanticError/i.test(refused.serviceText)) return false;
      throw err;
    }
  }));
  const present = LOGS_TABLES.filter((_, i) => exists[i]);
  if (present.length === 0) {
    throw new LogAnalyticsQueryError(deps.workspaceId, null,
      'the workspace has neither PGSQLServerLogs nor AzureDiagnostics: check LOGS_WORKSPACE_ID and the servers\' diagnostic settings (category PostgreSQLLogs)');
  }
  return present.length === 2 ? 'auto' : present[0]!;
}
