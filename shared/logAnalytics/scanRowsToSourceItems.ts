import { azureRowToRecord } from '../source/azureRowToRecord';
import type { SourceItem } from '../source/SourceRecord';
import type { ScanRowBatch } from './queryAuditRows';

/**
 * Scan rows into the parser's source items (mergeAuditRecords' input). ScanRow's columns are the ones
 * azureRowToRecord reads, so a row from the API and a row exported from the portal parse alike. The
 * location names the server and the row's times, which find the row again in the portal.
 */
export async function* scanRowsToSourceItems(batches: AsyncIterable<ScanRowBatch>, workspaceId: string): AsyncGenerator<SourceItem[]> {
  for await (const batch of batches) {
    const out: SourceItem[] = [];
    for (const row of batch.rows) {
      const location = `log-analytics ${workspaceId} ${row.LogicalServerName ?? '?'} ${row.TimeGenerated?.toISOString() ?? '?'}`;
      const item = azureRowToRecord(row as unknown as Record<string, unknown>, location, null);
      if (item !== null) out.push(item);
    }
    if (out.length > 0) yield out;
  }
}
