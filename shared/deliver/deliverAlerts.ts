import type { Alert } from '../model/Alert';
import { claimAndSend } from './claimAndSend';
import type { DeliveryDeps } from './DeliveryDeps';
import type { DeliveryReport } from './DeliveryReport';
import { warnOtherDestinations } from './warnOtherDestinations';

export type { DeliveryDeps } from './DeliveryDeps';
export type { DeliveryFailure, DeliveryReport } from './DeliveryReport';

/**
 * Delivers a scan's alerts exactly once across overlapping runs: claim each (alert, destination, transport)
 * in the ledger (insert-if-absent), send what this run claimed (one notify() per destination and transport,
 * so digests work), mark it sent. Retryable failures stay pending for retryOutbox; permanent ones are parked,
 * logged and announced through the other destinations and transports. The watermark may advance when `unclaimed` is 0.
 */
export async function deliverAlerts(alerts: Alert[], deps: DeliveryDeps): Promise<DeliveryReport> {
  const { report, permanent } = await claimAndSend(alerts, deps);
  await warnOtherDestinations(permanent, deps);
  return report;
}
