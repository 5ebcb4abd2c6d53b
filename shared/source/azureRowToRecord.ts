import type { SourceItem } from './SourceRecord';

type Row = Record<string, unknown>;

/**
 * One Azure row of any shape we read — AzureDiagnostics, PGSQLServerLogs, the Storage diagnostic archive
 * (`properties.message`), or a Log Analytics scan row — into a line record. All of them carry the whole
 * log line (prefix, severity, message) in their message column.
 */
export function azureRowToRecord(row: Row, location: string, fallbackServer: string | null): SourceItem | null {
  const props = isObject(row.properties) ? row.properties : {};
  const category = row.Category ?? row.category;
  if (typeof category === 'string' && category !== '' && category !== 'PostgreSQLLogs') return null;
  const message = row.Message ?? row.message ?? props.message;
  if (typeof message !== 'string') {
    return { problem: { location, message: 'row has no Message (or properties.message) text' } };
  }
  const server =
    nonEmpty(row.LogicalServerName) ?? nonEmpty(row.LogicalServerName_s) ?? nonEmpty(props.LogicalServerName) ??
    nonEmpty(row.server) ?? lastSegment(row._ResourceId ?? row.ResourceId ?? row.resourceId) ?? nonEmpty(row.Resource) ??
    fallbackServer;
  return {
    record: {
      location,
      server: server === null ? null : server.toLowerCase(),
      line: message,
      rowTime: rawTime(row.TimeGenerated ?? row.timeGenerated ?? props.timestamp ?? row.time),
      rowPid: toPid(row.ProcessId ?? row.processId_d ?? props.processId ?? row.processId),
      ...contextColumn(row.Context ?? props.context),
    },
  };
}

/** A Context column, when the row shape has one (PGSQLServerLogs; AzureDiagnostics has none). */
function contextColumn(value: unknown): { rowContext?: string | null } {
  if (typeof value === 'string') return { rowContext: value === '' ? null : value };
  return value === null ? { rowContext: null } : {};
}

function isObject(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function lastSegment(resourceId: unknown): string | null {
  const text = nonEmpty(resourceId);
  if (text === null) return null;
  const parts = text.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? null;
}

/** Kept raw: converted (toIsoTime) only for the few lines whose prefix has no time of its own. */
function rawTime(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return typeof value === 'string' && value !== '' ? value : null;
}

function toPid(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}
