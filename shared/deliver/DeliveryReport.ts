/** What one delivery pass did, counted per (alert, destination, transport): Slack and email count apart. */
export interface DeliveryReport {
  /** Marked sent by this pass (including alerts the destination already held, found by findDelivered). */
  delivered: number;
  /** Already claimed by another run (sent, in flight or parked): not sent again. */
  duplicatesSkipped: number;
  /** Left pending in the ledger; the outbox retries them after their lease. */
  pending: number;
  /** Permanently refused by their destination: parked, reported, never retried. */
  parked: number;
  /**
   * Neither sent nor recorded in the ledger (state store unreachable, no notifier for the destination).
   * Nothing remembers these: the scan must not advance its watermark past them.
   */
  unclaimed: number;
  failures: DeliveryFailure[];
}

export interface DeliveryFailure {
  destination: string;
  /** `slack`, `email`, ...; null when the failure is not about one transport (no notifier at all). */
  transport: string | null;
  /** NotifyError code (`channel_not_found`, `rate_limited`, ...), `state_store`, `no_notifier` or `unexpected`. */
  code: string;
  message: string;
}

export function emptyDeliveryReport(): DeliveryReport {
  return { delivered: 0, duplicatesSkipped: 0, pending: 0, parked: 0, unclaimed: 0, failures: [] };
}

/** Adds `b` into `a`. */
export function addDeliveryReport(a: DeliveryReport, b: DeliveryReport): void {
  a.delivered += b.delivered;
  a.duplicatesSkipped += b.duplicatesSkipped;
  a.pending += b.pending;
  a.parked += b.parked;
  a.unclaimed += b.unclaimed;
  a.failures.push(...b.failures);
}
