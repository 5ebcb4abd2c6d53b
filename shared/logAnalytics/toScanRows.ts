import type { LogsTable } from '@azure/monitor-query-logs';
import { SCAN_COLUMNS, type ScanRow } from './ScanRow';

/**
 * A result table to ScanRows, by column name (never by position). A missing column means the query and
 * this code disagree: that is a bug to report, not rows to skip.
 */
export function toScanRows(table: LogsTable | undefined): ScanRow[] {
  if (!table) return [];
  const index = new Map(table.columnDescriptors.map((c, i) => [c.name ?? '', i]));
  const at = SCAN_COLUMNS.map((name) => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`Log Analytics result has no ${name} column (columns: ${[...index.keys()].join(', ')})`);
    return i;
  });
  const [tg, ing, server, pid, message, context] = at as [number, number, number, number, number, number];
  return table.rows.map((row) => ({
    TimeGenerated: asDate(row[tg]),
    IngestedAt: asDate(row[ing]),
    LogicalServerName: typeof row[server] === 'string' && row[server] !== '' ? (row[server] as string) : null,
    ProcessId: typeof row[pid] === 'number' ? (row[pid] as number) : null,
    Message: typeof row[message] === 'string' ? (row[message] as string) : null,
    Context: typeof row[context] === 'string' && row[context] !== '' ? (row[context] as string) : null,
  }));
}

function asDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** Log order as far as rows tell it: by TimeGenerated, then arrival; stable for ties. */
export function byLogOrder(a: ScanRow, b: ScanRow): number {
  return (time(a.TimeGenerated) - time(b.TimeGenerated)) || (time(a.IngestedAt) - time(b.IngestedAt));
}

function time(d: Date | null): number {
  return d === null ? 0 : d.getTime();
}
