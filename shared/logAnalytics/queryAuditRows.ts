import { LogsQueryResultStatus } from '@azure/monitor-query-logs';
import type { LogsTableSetting } from './scanSources';
import { buildScanKql } from './buildScanKql';
import { LogAnalyticsQueryError } from './LogAnalyticsQueryError';
import { limitsOf, type LogsQueryDeps } from './LogsQueryDeps';
import { resolveLogsTable } from './resolveLogsTables';
import { runLogsQuery } from './runLogsQuery';
import type { ScanRow } from './ScanRow';
import type { ScanWindow } from '../source/ScanWindow';
import { byLogOrder, toScanRows } from './toScanRows';

/** A batch of rows from one (sub)window, which has been read completely once its last batch is out. */
export interface ScanRowBatch {
  rows: ScanRow[];
  /** The sub-window these rows come from (a piece of the scan window when it had to be split). */
  ingestedAfter: Date;
  ingestedBefore: Date;
}

type Outcome = { kind: 'complete'; rows: ScanRow[] } | { kind: 'split'; reason: string } | { kind: 'retry' };

/**
 * The rows of a scan window, sub-window by sub-window in arrival order (each sub-window's rows in log
 * order), streamed: only one query result is held at a time. A result that is partial or at the row
 * limit is dropped and its window queried again as two halves, down to `minWindowMs` (once a piece
 * fits, wider windows are split to its span before they are queried); a fuzzy union's
 * warning about a table the workspace lacks is not a failure (the query is narrowed to the table that
 * exists). Anything that still fails throws LogAnalyticsQueryError: the caller keeps its watermark.
 */
export async function* queryAuditRows(deps: LogsQueryDeps, window: ScanWindow): AsyncGenerator<ScanRowBatch> {
  const limits = limitsOf(deps);
  const timespan = {
    startTime: window.timespanStart,
    endTime: window.timespanEnd ?? new Date(window.ingestedBefore.getTime() + 3_600_000),
  };
  let table: LogsTableSetting = deps.table;
  let tablesChecked = false;
  /**
   * The span of the last sub-window that came back complete after a split. Rows arrive at a fairly
   * steady rate, so wider windows are split to about this span before querying: every over-limit answer
   * costs a full download (up to 500,000 rows / 64 MB) that is thrown away.
   */
  let spanHint: number | null = null;

  async function queryWindow(after: Date, before: Date): Promise<Outcome> {
    const label = { ingestedAfter: after, ingestedBefore: before };
    const query = buildScanKql({ table, servers: deps.servers, ingestedAfter: after, ingestedBefore: before });
    const result = await runLogsQuery(deps, query, timespan, label);
    if (result.status === LogsQueryResultStatus.Success) {
      const rows = toScanRows(result.tables[0]);
      return rows.length >= limits.maxRows ? { kind: 'split', reason: `${rows.length} rows, the row limit` } : { kind: 'complete', rows };
    }
    const rowCount = result.partialTables[0]?.rows.length ?? 0;
    const error = `${result.partialError.code ?? 'PartialError'}: ${result.partialError.message ?? ''}`.trim();
    if (rowCount >= limits.maxRows) return { kind: 'split', reason: `partial result at the row limit (${rowCount} rows; ${error})` };
    if (table === 'auto' && !tablesChecked) {
      // Maybe only the fuzzy union's warning about a missing table: find out which tables exist.
      tablesChecked = true;
      table = await resolveLogsTable(deps, window.ingestedBefore);
      if (table !== 'auto') {
        deps.log.info(`Log Analytics workspace ${deps.workspaceId} has only ${table}; reading that table (LOGS_TABLE=auto)`);
        return { kind: 'retry' };
      }
    }
    return { kind: 'split', reason: `partial result (${rowCount} rows; ${error})` };
  }

  async function* read(after: Date, before: Date, split: boolean): AsyncGenerator<ScanRowBatch> {
    const span = before.getTime() - after.getTime();
    if (spanHint !== null && span > spanHint * 1.5 && span > limits.minWindowMs) {
      yield* halves(after, before);
      return;
    }
    let outcome = await queryWindow(after, before);
    if (outcome.kind === 'retry') outcome = await queryWindow(after, before);
    if (outcome.kind === 'complete') {
      // A sparse answer (in rows and in bytes) lets the hint grow again: the rate may have dropped.
      if (split || spanHint !== null) spanHint = isSparse(outcome.rows, limits.maxRows) ? span * 2 : span;
      const rows = outcome.rows.sort(byLogOrder);
      outcome.rows = [];
      for (let i = 0; i < rows.length; i += limits.batchRows) {
        yield { rows: rows.slice(i, i + limits.batchRows), ingestedAfter: after, ingestedBefore: before };
      }
      return;
    }
    const reason = outcome.kind === 'split' ? outcome.reason : 'the table check did not settle';
    if (span <= limits.minWindowMs) {
      throw new LogAnalyticsQueryError(deps.workspaceId, { ingestedAfter: after, ingestedBefore: before },
        `${reason}, and the window is already at the minimum of ${limits.minWindowMs} ms, so it cannot be split further`);
    }
    deps.log.info(`Log Analytics workspace ${deps.workspaceId}: ${reason} for ${after.toISOString()}..${before.toISOString()}; querying it as two halves`);
    yield* halves(after, before);
  }

  async function* halves(after: Date, before: Date): AsyncGenerator<ScanRowBatch> {
    const middle = new Date(after.getTime() + Math.floor((before.getTime() - after.getTime()) / 2));
    yield* read(after, middle, true);
    yield* read(middle, before, true);
  }

  // Runs closer together than the settle delay have nothing to read yet.
  if (window.ingestedAfter.getTime() >= window.ingestedBefore.getTime()) return;
  yield* read(window.ingestedAfter, window.ingestedBefore, false);
}

/** Well under both service limits: a quarter of the rows and of the 64 MB (estimated from the messages). */
function isSparse(rows: ScanRow[], maxRows: number): boolean {
  if (rows.length >= maxRows / 4) return false;
  let bytes = 0;
  for (const row of rows) bytes += (row.Message?.length ?? 0) + 100;
  return bytes < 16_000_000;
}
