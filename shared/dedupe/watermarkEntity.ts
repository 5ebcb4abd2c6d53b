import type { TableEntity, TableEntityResult } from '@azure/data-tables';
import type { Watermark } from './StateStore';
import { tableKey } from './tableKey';

/** Watermark row: one partition per scope (workspace or input), a single row in it. */
export interface WatermarkRow {
  scope: string;
  ingestedThrough: string;
  /** JSON object server → ISO time. */
  lastSeenByServer: string;
  consecutiveFailures: number;
  lastError?: string;
}

const MAX_ERROR_CHARS = 4000;

export function watermarkKeys(scope: string): { partitionKey: string; rowKey: string } {
  return { partitionKey: tableKey(scope), rowKey: 'watermark' };
}

export function toWatermarkEntity(scope: string, watermark: Watermark): TableEntity<WatermarkRow> {
  const row: TableEntity<WatermarkRow> = {
    ...watermarkKeys(scope),
    scope,
    ingestedThrough: watermark.ingestedThrough,
    lastSeenByServer: JSON.stringify(watermark.lastSeenByServer),
    consecutiveFailures: watermark.consecutiveFailures,
  };
  if (watermark.lastError != null) row.lastError = watermark.lastError.slice(0, MAX_ERROR_CHARS);
  return row;
}

export function fromWatermarkEntity(row: TableEntityResult<WatermarkRow>): Watermark {
  return {
    ingestedThrough: row.ingestedThrough,
    lastSeenByServer: JSON.parse(row.lastSeenByServer) as Record<string, string>,
    consecutiveFailures: row.consecutiveFailures,
    lastError: row.lastError ?? null,
    etag: row.etag,
  };
}
