import { claimAndSend } from './claimAndSend';
import type { DeliveryDeps } from './DeliveryDeps';
import { destinationFailureAlert } from './destinationFailureAlert';
import type { PermanentFailure } from './sendClaimed';

/**
 * Tells the destinations that still work about the ones that refused alerts permanently. Goes through
 * the ledger like any alert (no duplicate warnings from overlapping runs, retried if it fails), but does
 * not cascade: a warning that cannot be delivered is only logged.
 */
export async function warnOtherDestinations(failures: PermanentFailure[], deps: DeliveryDeps): Promise<void> {
  if (failures.length === 0) return;
  const failing = new Set(failures.map((f) => f.destination));
  const others = deps.notifiers.filter((n) => !failing.has(n.destination)).map((n) => n.destination);
  if (others.length === 0) {
    deps.log.error(`No other destination to warn about failing destination(s): ${[...failing].join(', ')}`);
    return;
  }
  const now = deps.now();
  const warnings = failures.map((f) => ({ ...destinationFailureAlert(f, now), destinations: others }));
  const { report } = await claimAndSend(warnings, deps);
  deps.log.info(`Warned ${others.join(', ')} about failing destination(s) ${[...failing].join(', ')}: `
    + `${report.delivered} sent, ${report.duplicatesSkipped} already sent, ${report.pending} pending`);
}
