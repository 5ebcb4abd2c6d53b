import type { StateStore } from '../dedupe/StateStore';
import type { Notifier } from '../notify/Notifier';
import type { Logger } from '../util/Logger';

export interface DeliveryDeps {
  store: StateStore;
  /** One per destination and transport (a destination with Slack and email has two), by `notifier.destination`. */
  notifiers: Notifier[];
  now: () => Date;
  /**
   * How long a claim protects an alert from other runs' outbox retries. A send is aborted (via the
   * notifier's signal) well before the lease runs out, so no other run can resend what is still in flight.
   */
  leaseMs?: number;
  log: Logger;
}

export const DEFAULT_LEASE_MS = 10 * 60_000;

/** The part of the lease a send may use; the rest covers marking the ledger afterwards. */
export function sendBudgetMs(leaseMs: number): number {
  return Math.max(1_000, Math.floor(leaseMs * 0.7));
}
