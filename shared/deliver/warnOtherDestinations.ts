import { claimAndSend } from './claimAndSend';
import type { DeliveryDeps } from './DeliveryDeps';
import { destinationFailureAlert } from './destinationFailureAlert';
import type { PermanentFailure } from './sendClaimed';
import { routeKey, routeName, transportOf } from './transportOf';

/**
 * Tells the transports that still work about the ones that refused alerts permanently: the other
 * destinations, and the same destination's other transport (its email hears that its Slack channel is
 * gone). Goes through the ledger like any alert (no duplicate warnings from overlapping runs, retried if
 * it fails), but does not cascade: a warning that cannot be delivered is only logged.
 */
export async function warnOtherDestinations(failures: PermanentFailure[], deps: DeliveryDeps): Promise<void> {
  if (failures.length === 0) return;
  const failing = new Set(failures.map((f) => routeKey(f.destination, f.transport)));
  const failingNames = failures.map((f) => routeName(f.destination, f.transport)).join(', ');
  const others = deps.notifiers.filter((n) => !failing.has(routeKey(n.destination, transportOf(n))));
  if (others.length === 0) {
    deps.log.error(`No other destination to warn about failing destination(s): ${failingNames}`);
    return;
  }
  const now = deps.now();
  // No `destinations` on the warnings: every transport in `others` gets them, and only those.
  const warnings = failures.map((f) => destinationFailureAlert(f, now));
  const { report } = await claimAndSend(warnings, { ...deps, notifiers: others });
  const names = others.map((n) => routeName(n.destination, transportOf(n))).join(', ');
  deps.log.info(`Warned ${names} about failing destination(s) ${failingNames}: `
    + `${report.delivered} sent, ${report.duplicatesSkipped} already sent, ${report.pending} pending`);
}
