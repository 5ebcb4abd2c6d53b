import { ConcurrencyError, type LedgerEntry, type LedgerPatch, type StateStore } from '../dedupe/StateStore';
import { retryBackoffMs } from './retryBackoff';
import { routeName } from './transportOf';

/**
 * Applies `decide(current row)` to a ledger row, re-reading and deciding again when another writer got in
 * first (ConcurrencyError). `decide` returns null when the row needs no change (someone already marked it
 * sent, say). Resolves to the row as it ends up, or null when it no longer exists.
 */
export async function recordDelivery(store: StateStore, row: LedgerRowId,
  decide: (current: LedgerEntry) => LedgerPatch | null): Promise<LedgerEntry | null> {
  const { key, destination, transport } = row;
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await store.getDelivery(key, destination, transport);
    if (!current) return null;
    const patch = decide(current);
    if (!patch) return current;
    try {
      return await store.updateDelivery(current, patch);
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
    }
  }
  throw new ConcurrencyError(`Delivery of ${key} to ${routeName(destination, transport)} kept changing under 5 attempts to record it`);
}

/** Which ledger row: alert key, destination and transport (null: a row from before per-transport delivery). */
export type LedgerRowId = Pick<LedgerEntry, 'key' | 'destination' | 'transport'>;

export const markSent = (now: Date) => (current: LedgerEntry): LedgerPatch | null =>
  current.status === 'sent' ? null : { status: 'sent', sentAt: now, lastError: null };

/** Retryable failure: stays pending, leased until its backoff ends, then the outbox picks it up. */
export const markRetry = (now: Date, error: string) => (current: LedgerEntry): LedgerPatch | null => {
  if (current.status !== 'pending') return null;
  const attempts = current.attempts + 1;
  return { attempts, lastError: error, leaseUntil: new Date(now.getTime() + retryBackoffMs(attempts)) };
};

/** Permanent failure: parked, never retried (unless the alert was meanwhile marked sent). */
export const markParked = (error: string) => (current: LedgerEntry): LedgerPatch | null =>
  current.status === 'sent' ? null : { status: 'parked', attempts: current.attempts + 1, lastError: error };
