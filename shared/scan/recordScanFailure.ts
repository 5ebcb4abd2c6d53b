import type { StateStore, Watermark } from '../dedupe/StateStore';
import { deliverAlerts } from '../deliver/deliverAlerts';
import { errorMessage } from '../errors/errorMessage';
import type { Destination } from '../model/Destination';
import type { Notifier } from '../notify/Notifier';
import type { Logger } from '../util/Logger';
import { monitorAlert } from './monitorAlerts';
import { countDelivery, type ScanReport } from './ScanReport';

/** Consecutive failed runs before the scan alerts about itself. */
export const FAILURES_BEFORE_ALERT = 3;

export interface FailureContext {
  store: StateStore;
  scope: string;
  /** For the alert: what could not be read (`Log Analytics workspace …`). */
  sourceDescription: string;
  watermark: Watermark | null;
  /** The position to keep when no watermark exists yet (the first run's window start), so nothing is skipped. */
  fallbackPosition: string;
  /** The rules file's notifiers, or null when they could not be made (the settings' default destination then). */
  notifiers: Notifier[] | null;
  notifiersFor: (destinations: readonly Destination[]) => Notifier[];
  now: () => Date;
  log: Logger;
  leaseMs: number;
}

/**
 * A failed run: the watermark stays, the failure is counted, and from the third failure in a row the
 * scan alerts about itself (once per failure streak).
 */
export async function recordScanFailure(c: FailureContext, report: ScanReport): Promise<void> {
  const failures = (c.watermark?.consecutiveFailures ?? 0) + 1;
  const ingestedThrough = c.watermark?.ingestedThrough ?? c.fallbackPosition;
  c.log.error(`scan failed (${failures} in a row); the watermark stays at ${ingestedThrough}: ${report.error}`);
  try {
    await c.store.setWatermark(
      c.scope,
      { ingestedThrough, lastSeenByServer: c.watermark?.lastSeenByServer ?? {}, consecutiveFailures: failures, lastError: report.error },
      c.watermark?.etag ?? null,
    );
  } catch (err) {
    c.log.error(`could not record the failure in the state store: ${errorMessage(err)}`);
  }
  if (failures < FAILURES_BEFORE_ALERT) return;
  const alert = monitorAlert({
    rule: 'pgaudit-alerts-scan-failing',
    severity: 'critical',
    title: `pgaudit-alerts has failed ${failures} scans in a row`,
    description:
      `Audit rows of ${c.sourceDescription} are not being checked. Last error: ${report.error}. Common causes: the function's identity lost ` +
      'its reader role ("Log Analytics Reader" on the workspace, "Storage Blob Data Reader" on the archive), the rules file is invalid ' +
      '(run pgaudit-alerts check-rules), or the source or the state storage account is unreachable. Rows are re-read once the scan ' +
      'works again: nothing is skipped.',
    server: null,
    incident: `failing-from-${ingestedThrough}`,
    time: c.now(),
  });
  try {
    const notifiers = c.notifiers ?? c.notifiersFor([]);
    countDelivery(report, await deliverAlerts([alert], { store: c.store, notifiers, now: c.now, log: c.log, leaseMs: c.leaseMs }));
  } catch (err) {
    c.log.error(`could not send the scan-failure alert: ${errorMessage(err)}`);
  }
}
