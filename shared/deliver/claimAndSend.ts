import { errorMessage } from '../errors/errorMessage';
import type { Alert } from '../model/Alert';
import type { Notifier } from '../notify/Notifier';
import { DEFAULT_LEASE_MS, sendBudgetMs, type DeliveryDeps } from './DeliveryDeps';
import { addDeliveryReport, emptyDeliveryReport, type DeliveryReport } from './DeliveryReport';
import { forEachLimited } from '../util/forEachLimited';
import { sentBeforeUpgrade } from './legacyLedgerRows';
import { markSent, recordDelivery } from './recordDelivery';
import { sendClaimed, type PermanentFailure } from './sendClaimed';
import { notifiersByRoute, routeKey, routeName, transportOf } from './transportOf';

/**
 * Claims every (alert, destination, transport) in the ledger (insert-if-absent, pending, leased), then sends
 * what this run won, one notify() per destination and transport. Each transport of a destination is its own
 * delivery: Slack and email of one destination are claimed, sent, retried and parked independently. A claim
 * another run already made is skipped: that run sends it, sent it, or parked it; its outbox entry covers a
 * crash. Claims all come before any send.
 */
export async function claimAndSend(alerts: Alert[], deps: DeliveryDeps):
  Promise<{ report: DeliveryReport; permanent: PermanentFailure[] }> {
  const report = emptyDeliveryReport();
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const byRoute = notifiersByRoute(deps.notifiers);
  const byDestination = new Map<string, Notifier[]>();
  for (const n of deps.notifiers) {
    const list = byDestination.get(n.destination);
    if (list) list.push(n);
    else byDestination.set(n.destination, [n]);
  }
  const now = deps.now();
  const leaseUntil = new Date(now.getTime() + leaseMs);

  const claims: { alert: Alert; notifier: Notifier }[] = [];
  for (const alert of alerts) {
    for (const destination of new Set(alert.destinations ?? byDestination.keys())) {
      const transports = byDestination.get(destination);
      if (transports) {
        for (const notifier of transports) claims.push({ alert, notifier });
        continue;
      }
      report.unclaimed++;
      report.failures.push({ destination, transport: null, code: 'no_notifier', message: `No notifier is configured for destination "${destination}"` });
      deps.log.error(`Alert ${alert.key} names destination "${destination}", which has no notifier; not delivered`);
    }
  }

  const won = new Map<string, Alert[]>();
  await forEachLimited(claims, 8, async ({ alert, notifier }) => {
    const { destination } = notifier;
    const transport = transportOf(notifier);
    let claimed: boolean;
    try {
      claimed = await deps.store.claimDelivery({ key: alert.key, destination, transport, alert, leaseUntil, createdAt: now });
    } catch (err) {
      report.unclaimed++;
      report.failures.push({ destination, transport, code: 'state_store', message: errorMessage(err) });
      deps.log.error(`Could not claim alert ${alert.key} for ${routeName(destination, transport)}; not sent: ${errorMessage(err)}`);
      return;
    }
    if (!claimed) {
      report.duplicatesSkipped++;
      return;
    }
    try {
      if (await sentBeforeUpgrade(deps.store, alert.key, destination)) {
        // Sent by a version that kept one row per destination: not sent again (see legacyLedgerRows).
        await recordDelivery(deps.store, { key: alert.key, destination, transport }, markSent(now));
        report.duplicatesSkipped++;
        return;
      }
    } catch (err) {
      // Claimed but undecided: the row stays pending and the outbox delivers it after the lease.
      report.pending++;
      report.failures.push({ destination, transport, code: 'state_store', message: errorMessage(err) });
      deps.log.error(`Alert ${alert.key} for ${routeName(destination, transport)} is claimed but its older ledger row could not be read; `
        + `the outbox sends it after the lease: ${errorMessage(err)}`);
      return;
    }
    const key = routeKey(destination, transport);
    const list = won.get(key);
    if (list) list.push(alert);
    else won.set(key, [alert]);
  });

  const permanent: PermanentFailure[] = [];
  const context = { store: deps.store, now: deps.now, log: deps.log, sendBudgetMs: sendBudgetMs(leaseMs) };
  // Transports send in parallel and apart: a slow or failing Slack neither delays nor fails the email.
  await Promise.all([...won].map(async ([key, claimed]) => {
    // Claims finish in any order; send in the order the scan found the alerts.
    const mine = new Set(claimed);
    const ordered = alerts.filter((a) => mine.has(a));
    const outcome = await sendClaimed(byRoute.get(key)!, ordered, context);
    addDeliveryReport(report, outcome.report);
    if (outcome.permanent) permanent.push(outcome.permanent);
  }));
  return { report, permanent };
}
