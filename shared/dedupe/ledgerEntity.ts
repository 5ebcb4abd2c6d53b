import type { TableEntity, TableEntityResult } from '@azure/data-tables';
import type { Alert } from '../model/Alert';
import { fitAlertForStorage } from './fitAlertForStorage';
import type { DeliveryStatus, LedgerEntry } from './StateStore';
import { hashKey, tableKey } from './tableKey';

/**
 * Ledger row: partitioned by destination (a run's sends and a destination's outbox stay together), one row
 * per alert key and transport: RowKey `<transport>~<sha256 of the key>` (alert keys contain `/`; the
 * readable key is kept). Rows written before per-transport delivery have no `transport` property and the
 * bare sha256 as RowKey; they are still read, so their pending alerts are not lost (see migrateLegacyRows).
 * Nullable values are left out (Table Storage has no null) and read back as null.
 */
export interface LedgerRow {
  key: string;
  destination: string;
  transport?: string;
  alert: string;
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  sentAt?: Date;
  leaseUntil: Date;
  createdAt: Date;
}

/** lastError is for humans; keep it well inside the 32K-character property limit. */
const MAX_ERROR_CHARS = 4000;

export function ledgerPartition(destination: string): string {
  return tableKey(destination);
}

export function ledgerRowKey(key: string, transport: string | null): string {
  // `~` never occurs in a sha256 hex string, so an old bare-hash RowKey cannot equal a new one.
  return transport === null ? hashKey(key) : `${tableKey(transport)}~${hashKey(key)}`;
}

export function toLedgerEntity(entry: Omit<LedgerEntry, 'etag'>): TableEntity<LedgerRow> {
  const row: TableEntity<LedgerRow> = {
    partitionKey: ledgerPartition(entry.destination),
    rowKey: ledgerRowKey(entry.key, entry.transport),
    key: entry.key,
    destination: entry.destination,
    alert: fitAlertForStorage(entry.alert),
    status: entry.status,
    attempts: entry.attempts,
    leaseUntil: new Date(entry.leaseUntil),
    createdAt: new Date(entry.createdAt),
  };
  if (entry.transport !== null) row.transport = entry.transport;
  if (entry.lastError !== null) row.lastError = entry.lastError.slice(0, MAX_ERROR_CHARS);
  if (entry.sentAt !== null) row.sentAt = new Date(entry.sentAt);
  return row;
}

export function fromLedgerEntity(row: TableEntityResult<LedgerRow>): LedgerEntry {
  return {
    key: row.key,
    destination: row.destination,
    transport: row.transport ?? null,
    alert: JSON.parse(row.alert) as Alert,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError ?? null,
    sentAt: row.sentAt ? new Date(row.sentAt) : null,
    leaseUntil: new Date(row.leaseUntil),
    createdAt: new Date(row.createdAt),
    etag: row.etag,
  };
}
