import { ConcurrencyError, type LedgerEntry, type StateStore } from '../dedupe/StateStore';
import { errorMessage } from '../errors/errorMessage';
import type { Notifier } from '../notify/Notifier';
import { DEFAULT_LEASE_MS, type DeliveryDeps } from './DeliveryDeps';
import type { DeliveryReport } from './DeliveryReport';
import { forEachLimited } from '../util/forEachLimited';
import { transportOf } from './transportOf';

/*
 * Ledger rows from before per-transport delivery ("legacy rows") have transport null: one row per alert
 * and destination, whose single notifier was the destination's last transport (email when it had both).
 * - pending legacy row: an alert not yet delivered. The outbox moves it into one pending row per transport
 *   the destination has now (insert-if-absent, so a scan re-reading the alert cannot double it) and marks
 *   the legacy row `moved`; the new rows are then delivered like any outbox entry. Nothing is lost, and
 *   each transport gets it once (a crash mid-send before the upgrade may resend once, as before).
 * - sent legacy row: the alert reached the destination. A scan re-reading it after the upgrade (the
 *   overlap window) does not send it again to any transport: no duplicate email, at the price of Slack
 *   never getting alerts that the old version "delivered" only by email.
 * - parked legacy row: never delivered; a re-read sends it through the new per-transport rows.
 * Legacy rows leave with the ledger's retention (30 days); then this file can go.
 */

/** True when a version before per-transport delivery already sent `key` to `destination`. */
export async function sentBeforeUpgrade(store: StateStore, key: string, destination: string): Promise<boolean> {
  return (await store.getDelivery(key, destination, null))?.status === 'sent';
}

/**
 * Moves due legacy rows into per-transport rows (due at once) and marks them `moved`. A row whose
 * destination has no notifier now stays pending (a configuration that brings it back delivers it).
 * Returns how many rows were moved; the caller lists the outbox again to deliver them.
 */
export async function moveLegacyRows(rows: LedgerEntry[], deps: DeliveryDeps, report: DeliveryReport): Promise<number> {
  const now = deps.now();
  const lease = new Date(now.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS));
  let moved = 0;
  await forEachLimited(rows, 8, async (row) => {
    const transports: Notifier[] = deps.notifiers.filter((n) => n.destination === row.destination);
    if (transports.length === 0) {
      report.pending++;
      report.failures.push({ destination: row.destination, transport: null, code: 'no_notifier', message: `No notifier is configured for destination "${row.destination}"` });
      deps.log.error(`Outbox: pending alert ${row.key} for destination "${row.destination}", which has no notifier`);
      return;
    }
    try {
      // Re-claim first (conditional on the etag): of two overlapping runs only one moves the row.
      const owned = await deps.store.updateDelivery(row, { leaseUntil: lease });
      for (const notifier of transports) {
        await deps.store.claimDelivery({
          key: row.key, destination: row.destination, transport: transportOf(notifier), alert: row.alert,
          leaseUntil: now, createdAt: row.createdAt,
        });
      }
      await deps.store.updateDelivery(owned, { status: 'moved', lastError: null });
      moved++;
    } catch (err) {
      if (err instanceof ConcurrencyError) return; // another run is moving it
      report.pending++;
      report.failures.push({ destination: row.destination, transport: null, code: 'state_store', message: errorMessage(err) });
      deps.log.error(`Outbox: could not move pending alert ${row.key} for ${row.destination} to per-transport rows; `
        + `retried next run: ${errorMessage(err)}`);
    }
  });
  if (moved > 0) deps.log.info(`Outbox: moved ${moved} pending alert(s) from per-destination ledger rows (older version) to one row per transport`);
  return moved;
}
